"""Cited answers on the bundled regulation: right article, exact quotes, language, abstention."""

from __future__ import annotations

import pytest

from knowledge.answer import Answerer, EmptyQuestion
from knowledge.corpus import load_bundled

# A sample beyond the shared evaluation set, phrased the way staff ask.
IN_SCOPE = [
    ("出了安全事件多久要上报？", 30),
    ("漏洞扫描多久做一次？", 21),
    ("安全团队人员变动需要提前多少天报备？", 19),
    ("每天都要做安全巡检吗？", 23),
    ("应急演练多久搞一次？", 26),
    ("租户数据在服务终止后多少天内销毁？", 35),
    ("How fast must we report an incident?", 30),
    ("How often do we have to run a vulnerability scan?", 21),
    ("How far ahead must a change to the security team be reported?", 19),
    ("How often must the provider report to tenants in writing?", 33),
]
OUT_OF_SCOPE = [
    "明天会下雨吗？",
    "食堂几点开门？",
    "What time does the cafeteria open?",
    "How do I reset my laptop password?",
]


@pytest.mark.parametrize(("question", "article"), IN_SCOPE)
def test_in_scope_questions_cite_the_right_article(
    answerer: Answerer, question: str, article: int
) -> None:
    answer = answerer.answer(question)
    assert not answer.abstained
    assert answer.citations[0].article == article


@pytest.mark.parametrize("question", OUT_OF_SCOPE)
def test_out_of_scope_questions_are_declined(answerer: Answerer, question: str) -> None:
    answer = answerer.answer(question)
    assert answer.abstained
    assert answer.citations == ()
    assert (
        ("本办法未涉及" in answer.text)
        if answer.language == "zh"
        else ("does not cover" in answer.text)
    )


@pytest.mark.parametrize("question", [q for q, _ in IN_SCOPE])
def test_quotes_are_cut_verbatim_from_the_source(answerer: Answerer, question: str) -> None:
    source = load_bundled().text
    for citation in answerer.answer(question).citations:
        assert source[citation.start : citation.end] == citation.quote
        article = load_bundled().article(citation.article)
        assert article.start <= citation.start < citation.end <= article.end
        assert citation.label == article.label
        assert citation.doc_id == "chongqing-govcloud-security-measures"


def test_chinese_answer_leads_with_the_deadline_and_quotes_article_30(answerer: Answerer) -> None:
    answer = answerer.answer("出了安全事件多久要上报？")
    assert answer.language == "zh"
    first_line = answer.text.splitlines()[0]
    assert first_line.startswith("2个小时内向网信部门、公安部门、大数据主管部门等报告")
    assert "第三十条" in answer.text
    assert "在2个小时内向网信部门、公安部门、大数据主管部门等报告" in answer.citations[0].quote


def test_english_answer_uses_the_translation_and_quotes_the_original(answerer: Answerer) -> None:
    answer = answerer.answer("How fast must we report an incident?")
    assert answer.language == "en"
    first_line = answer.text.splitlines()[0]
    assert first_line.startswith(
        "Within 2 hours, to the cyberspace affairs department, the public security department"
    )
    assert "Chongqing E-Government Cloud Platform Security Management Measures" in answer.text
    assert "unofficial" in answer.text.lower()
    assert "第三十条" in answer.text
    citation = answer.citations[0]
    assert "2 hours" in citation.translation
    assert "在2个小时内" in citation.quote
    assert citation.quote in answer.text


def test_a_frequency_question_quotes_the_sentence_with_the_number(answerer: Answerer) -> None:
    answer = answerer.answer("渗透测试多久做一次？")
    assert answer.citations[0].article == 21
    assert "渗透测试不低于每季度1次" in answer.citations[0].quote


def test_empty_question_is_rejected(answerer: Answerer) -> None:
    with pytest.raises(EmptyQuestion):
        answerer.answer("   ")
