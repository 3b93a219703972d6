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


def test_documents_keep_their_own_id_and_title(docs: Path) -> None:
    documents = {d.doc_id: d for d in load_documents([docs])}
    assert documents["reg-a"].title == "甲办法（试行）"
    assert documents["reg-b"].title == "乙规定"
    assert documents["reg-a"].article(2).chapter == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "empty"),
        ("prose.md", "这只是一段说明，没有任何条款。".encode(), "no article headings"),
        ("gbk.txt", "第一条 本办法自印发之日起执行。".encode("gbk"), "not UTF-8"),
        ("broken.docx", b"PK\x03\x04 not really a zip", "cannot be read as .docx"),
    ],
)
def test_a_bad_file_is_named_and_the_index_is_left_intact(
    index: ArticleIndex, docs: Path, name: str, content: bytes, message: str
) -> None:
    ingest(index, [docs])
    before = index.stored_fingerprints()
    (docs / name).write_bytes(content)
    with pytest.raises(LoadError) as raised:
        ingest(index, [docs])
    assert name in str(raised.value)
    assert message in str(raised.value)
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
