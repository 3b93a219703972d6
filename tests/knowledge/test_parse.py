"""The structural parser: articles, chapters, paragraphs and exact offsets."""

from __future__ import annotations

import pytest

from knowledge.corpus import BUNDLED_DIR, load_bundled
from knowledge.numerals import chinese_to_int, int_to_chinese
from knowledge.parse import ParseError, parse_document

SOURCE = (BUNDLED_DIR / "chongqing-govcloud-security-measures.zh.txt").read_text(encoding="utf-8")

# Chapter of every article as the regulation lays them out (第一章 has no heading in the source).
CHAPTERS = {
    1: range(1, 7),
    2: range(7, 14),
    3: range(14, 18),
    4: range(18, 25),
    5: range(25, 31),
    6: range(31, 36),
    7: range(36, 38),
}


def test_bundled_regulation_has_37_articles_in_order() -> None:
    document = load_bundled()
    assert [a.number for a in document.articles] == list(range(1, 38))
    assert document.title == "重庆市电子政务云平台安全管理办法（试行）"
    assert document.doc_id == "chongqing-govcloud-security-measures"


def test_every_article_sits_in_its_chapter_even_without_the_first_heading() -> None:
    document = load_bundled()
    for chapter, numbers in CHAPTERS.items():
        assert [document.article(n).chapter for n in numbers] == [chapter] * len(numbers)
    assert document.article(30).chapter_title == "应急管理"
    assert document.article(36).chapter_title == "附则"


@pytest.mark.parametrize("article", load_bundled().articles, ids=lambda a: a.label)
def test_offsets_cut_the_exact_text_back_out_of_the_source(article) -> None:  # type: ignore[no-untyped-def]
    assert SOURCE[article.start : article.end] == article.text
    for paragraph in article.paragraphs:
        assert SOURCE[paragraph.start : paragraph.end] == paragraph.text
    assert not article.text.startswith(article.label)
    assert SOURCE[: article.start].rstrip().endswith(article.label)


def test_paragraph_counts_follow_the_source_lines() -> None:
    document = load_bundled()
    assert len(document.article(30).paragraphs) == 3
    assert (
        document.article(30)
        .paragraphs[1]
        .text.startswith("政务云服务商和云租户应当按照相关规定，在2个小时内")
    )
    assert len(document.article(37).paragraphs) == 1
    # The page footer "— 1 —" after the last article is layout, not text.
    assert "—" not in document.article(37).text


@pytest.mark.parametrize("number", range(1, 100))
def test_chinese_numerals_up_to_ninety_nine_round_trip(number: int) -> None:
    assert chinese_to_int(int_to_chinese(number)) == number


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("三十七", 37),
        ("九十九", 99),
        ("一百零五", 105),
        ("12", 12),
    ],
)
def test_chinese_numerals(text: str, value: int) -> None:
    assert chinese_to_int(text) == value


@pytest.mark.parametrize("text", ["", "十x", "abc"])
def test_bad_numerals_raise(text: str) -> None:
    with pytest.raises(ValueError):
        chinese_to_int(text)


def test_markdown_headings_and_article_numbers_above_ninety() -> None:
    text = "# 某办法\n\n## 第一章 总则\n\n**第九十九条** 甲。\n乙。\n\n## 第二章 附则\n\n第一百条 丙。\n"
    document = parse_document(text, doc_id="x")
    assert [(a.number, a.chapter, a.chapter_title) for a in document.articles] == [
        (99, 1, "总则"),
        (100, 2, "附则"),
    ]
    assert document.title == "某办法"
    assert [p.text for p in document.articles[0].paragraphs] == ["甲。", "乙。"]


def test_references_inside_a_sentence_are_not_headings() -> None:
    document = parse_document("办法\n第一条 依照第三条执行。\n第二条 见第一条。\n", doc_id="x")
    assert [a.number for a in document.articles] == [1, 2]


@pytest.mark.parametrize("text", ["", "   \n", "没有条款的一段文字。"])
def test_empty_or_article_free_text_is_rejected(text: str) -> None:
    with pytest.raises(ParseError):
        parse_document(text, doc_id="x")


def test_repeated_article_numbers_are_rejected() -> None:
    with pytest.raises(ParseError, match="repeat"):
        parse_document("办法\n第一条 甲。\n第一条 乙。\n", doc_id="x")


LAW = (
    "# 中华人民共和国某某法\n\n2016年11月7日 通过\n第一条 这行在信息块里，不是条文。\n\n<!-- INFO END -->\n\n"
    "## 第一章 总则\n\n第一条 为了规范管理，制定本法。\n\n"
    "## 第三章 运行安全\n\n### 第一节 一般规定\n\n第二条 网络运营者应当留存网络日志不少于六个月。\n\n"
    "### 第二节 关键信息基础设施\n\n第三条 运营者应当每年至少进行一次检测评估。\n"
    "第九条规定的情形除外。\n"
)


def test_sections_are_structure_and_the_info_block_is_not_text() -> None:
    document = parse_document(LAW, doc_id="law")
    assert document.title == "中华人民共和国某某法"
    assert [a.number for a in document.articles] == [1, 2, 3]
    assert document.article(1).text == "为了规范管理，制定本法。"
    second = document.article(2)
    assert second.text == "网络运营者应当留存网络日志不少于六个月。"  # no "### 第二节" glued on
    assert (second.chapter, second.chapter_title) == (3, "运行安全")
    assert (second.section, second.section_title) == (1, "一般规定")
    assert document.article(3).section_title == "关键信息基础设施"


def test_a_reference_opening_a_line_stays_text_and_the_count_check_says_so() -> None:
    document = parse_document(LAW, doc_id="law")
    assert document.article(3).text.endswith("第九条规定的情形除外。")
    assert any("4 lines start with 第…条 but 3 articles" in w for w in document.warnings)


def test_gaps_in_the_numbering_are_reported() -> None:
    document = parse_document("办法\n第一条 甲。\n第三条 丙。\n", doc_id="x")
    assert any("missing: [2]" in w for w in document.warnings)


def test_the_bundled_laws_parse_cleanly() -> None:
    from knowledge.corpus import load_bundled_corpus

    counts = {d.doc_id: (len(d.articles), d.warnings) for d in load_bundled_corpus()}
    assert counts == {
        "chongqing-govcloud-security-measures": (37, ()),
        "critical-information-infrastructure-regulations": (51, ()),
        "cryptography-law": (44, ()),
        "cybersecurity-law": (79, ()),
        "data-security-law": (55, ()),
        "personal-information-protection-law": (74, ()),
    }


def test_every_bundled_law_has_an_aligned_english_rendering() -> None:
    from knowledge.corpus import load_bundled_corpus

    for document in load_bundled_corpus():
        assert document.title_en, document.doc_id
        for article in document.articles:
            assert len(article.translation.split("\n")) == len(article.paragraphs), article.label
