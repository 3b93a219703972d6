"""An English answer's label says whether an English rendering was quoted."""

from __future__ import annotations

import json

from bot.blocks import answer_blocks
from knowledge.types import Answer, Citation


def _answer(translation: str) -> Answer:
    citation = Citation(
        "cybersecurity-law",
        "中华人民共和国网络安全法",
        21,
        "第二十一条",
        0,
        10,
        "不少于六个月",
        translation,
        "",
        "Art. 21",
    )
    return Answer("How long are logs kept?", "en", "At least six months", (citation,))


def test_a_rendered_quote_is_labelled_unofficial_and_an_unrendered_one_as_original() -> None:
    rendered = json.dumps(answer_blocks(_answer("not less than six months"), shareable=False))
    assert "Unofficial English translation" in rendered and "Art. 21" in rendered
    original = json.dumps(answer_blocks(_answer(""), shareable=False))
    assert "No English rendering" in original and "Unofficial" not in original
