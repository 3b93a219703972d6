"""Ingest is idempotent, replaces changed documents, removes deleted ones, and rejects bad files."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from langchain_core.embeddings import Embeddings

from knowledge.corpus import load_documents
from knowledge.index import ArticleIndex, open_client
from knowledge.ingest import ingest
from knowledge.loaders import LoadError
from tests.knowledge.conftest import REGULATION_A, REGULATION_B


@pytest.fixture
def index(tmp_path: Path, embeddings: Embeddings) -> ArticleIndex:
    return ArticleIndex(open_client(path=tmp_path / "chroma"), embeddings)


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "reg-a.txt").write_text(REGULATION_A, encoding="utf-8")
    (folder / "reg-b.md").write_text(REGULATION_B, encoding="utf-8")
    return folder


def test_reingest_skips_unchanged_replaces_changed_and_deletes_removed(
    index: ArticleIndex, docs: Path
) -> None:
    first = ingest(index, [docs])
    assert sorted(first.added) == ["reg-a", "reg-b"]

    again = ingest(index, [docs])
    assert (again.added, again.replaced, again.removed) == ([], [], [])
    assert sorted(again.unchanged) == ["reg-a", "reg-b"]

    (docs / "reg-a.txt").write_text(REGULATION_A + "第四条 新增条款。\n", encoding="utf-8")
    (docs / "reg-b.md").unlink()
    changed = ingest(index, [docs])
    assert changed.replaced == ["reg-a"]
    assert changed.removed == ["reg-b"]

    stored = index.load_documents()
    assert [d.doc_id for d in stored] == ["reg-a"]
    assert [a.number for a in stored[0].articles] == [1, 2, 3, 4]
    # No unit of the removed document is left behind to be retrieved.
    vector = index.embeddings.embed_query("日志保存多久")
    assert {m.doc_id for m in index.search("zh", vector, limit=50)} == {"reg-a"}


def test_an_ingest_stopped_before_the_registry_leaves_no_stale_units(
    index: ArticleIndex, docs: Path
) -> None:
    (docs / "reg-b.md").unlink()
    ingest(index, [docs])
    index._documents.delete(ids=["reg-a"])  # as if stopped after the units, before the registry
    (docs / "reg-a.txt").write_text("甲办法\n第一条 机房应当每日巡检。\n", encoding="utf-8")
    ingest(index, [docs])

    stored = index._units["zh"].get(include=["metadatas"])["metadatas"]
    assert {m["article"] for m in stored} == {1}  # articles 2 and 3 are gone


def test_documents_keep_their_own_id_and_title(docs: Path) -> None:
    documents = {d.doc_id: d for d in load_documents([docs])}
    assert documents["reg-a"].title == "甲办法（试行）"
    assert documents["reg-b"].title == "乙规定"
    assert documents["reg-a"].article(2).chapter == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "empty"),
        ("gbk.txt", "第一条 本办法自印发之日起执行。".encode("gbk"), "not UTF-8"),
        ("broken.docx", b"PK\x03\x04 not really a zip", "cannot be read as .docx"),
        ("repeats.md", "办法\n第一条 甲。\n第一条 乙。\n".encode(), "repeat"),
    ],
)
def test_a_bad_file_is_named_and_skipped_and_the_others_are_indexed(
    index: ArticleIndex, docs: Path, name: str, content: bytes, message: str
) -> None:
    (docs / name).write_bytes(content)
    report = ingest(index, [docs])
    assert sorted(report.added) == ["reg-a", "reg-b"]
    [note] = [n for n in report.notes if name in n]
    assert note.startswith("skipped") and message in note


def test_a_file_that_turns_bad_keeps_its_indexed_version(index: ArticleIndex, docs: Path) -> None:
    ingest(index, [docs])
    before = index.stored_fingerprints()
    (docs / "reg-b.md").write_bytes("第一条 日志保存不少于6个月。".encode("gbk"))
    report = ingest(index, [docs])
    assert report.removed == [] and sorted(report.unchanged) == ["reg-a"]
    assert index.stored_fingerprints() == before


def test_a_text_without_articles_is_indexed_paragraph_by_paragraph(
    index: ArticleIndex, docs: Path
) -> None:
    (docs / "notice.md").write_text(
        "机房管理须知\n\n进入机房须登记。\n\n机房钥匙由值班人员保管。\n", encoding="utf-8"
    )
    report = ingest(index, [docs])
    assert "notice" in report.added
    assert any("notice.md" in n and "paragraph by paragraph" in n for n in report.notes)
    notice = {d.doc_id: d for d in index.load_documents()}["notice"]
    assert notice.structure == "paragraphs"
    assert notice.title == "机房管理须知"
    assert [(a.label, a.text) for a in notice.articles] == [
        ("第1段", "进入机房须登记。"),
        ("第2段", "机房钥匙由值班人员保管。"),
    ]


def test_the_same_text_under_two_names_is_indexed_once(index: ArticleIndex, docs: Path) -> None:
    (docs / "copy-of-a.md").write_text(REGULATION_A, encoding="utf-8")
    report = ingest(index, [docs])
    assert sorted(report.added) == ["copy-of-a", "reg-b"] or sorted(report.added) == [
        "reg-a",
        "reg-b",
    ]
    assert len(index.load_documents()) == 2
    assert any("same text as" in n for n in report.notes)


def test_nothing_readable_is_an_error_and_leaves_the_index_alone(
    index: ArticleIndex, docs: Path, tmp_path: Path
) -> None:
    ingest(index, [docs])
    before = index.stored_fingerprints()
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "blank.txt").write_text("", encoding="utf-8")
    with pytest.raises(LoadError, match=r"blank\.txt"):
        ingest(index, [empty])
    assert index.stored_fingerprints() == before


def test_docx_documents_are_parsed_and_indexed(index: ArticleIndex, tmp_path: Path) -> None:
    folder = tmp_path / "word"
    folder.mkdir()
    document = docx.Document()
    for line in REGULATION_A.splitlines():
        document.add_paragraph(line)
    document.save(str(folder / "reg-word.docx"))
    report = ingest(index, [folder])
    assert report.added == ["reg-word"]
    stored = index.load_documents()[0]
    assert stored.title == "甲办法（试行）"
    assert stored.article(2).text == "安全事件应当在2个小时内报告。"


def test_missing_path_is_an_error(index: ArticleIndex, tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="no such file"):
        ingest(index, [tmp_path / "nowhere"])


def test_a_missing_path_beside_good_ones_is_only_a_note(index: ArticleIndex, docs: Path) -> None:
    report = ingest(index, [docs, docs.parent / "nowhere"])
    assert sorted(report.added) == ["reg-a", "reg-b"]
    assert any("nowhere" in n and "no such file" in n for n in report.notes)
