"""Start-up never fails on one bad file, indexes a copy of a bundled document once, and the
knowledge layer never imports the Slack edge."""

from __future__ import annotations

import shutil
from pathlib import Path

from knowledge.corpus import BUNDLED_DIR
from knowledge.engine import KnowledgeConfig, build_answerer

KNOWLEDGE = Path(__file__).resolve().parents[2] / "knowledge"


def test_a_bad_file_and_a_duplicate_in_docs_dir_do_not_stop_the_answers(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    (docs / "empty.md").write_text("", encoding="utf-8")
    shutil.copy(BUNDLED_DIR / "cybersecurity-law.zh.md", docs / "网络安全法(2016-11-07).md")
    (docs / "local-rules.md").write_text(
        "某区政务云管理细则\n第一条 机房钥匙由值班人员保管，交接时应当登记。\n", encoding="utf-8"
    )
    answerer = build_answerer(
        KnowledgeConfig(chroma_path=tmp_path / "chroma", docs=(BUNDLED_DIR, docs))
    )
    indexed = set(answerer.retriever.documents)
    assert "cybersecurity-law" in indexed and "网络安全法(2016-11-07)" not in indexed
    assert "local-rules" in indexed and len(indexed) == 7
    answer = answerer.answer("出了安全事件多久要上报？")
    assert answer.citations[0].doc_id == "chongqing-govcloud-security-measures"


def test_the_knowledge_layer_never_imports_the_slack_edge() -> None:
    for source in KNOWLEDGE.rglob("*.py"):
        text = source.read_text(encoding="utf-8")
        assert "from bot" not in text and "import bot" not in text, source.name
