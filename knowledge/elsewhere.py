"""What the indexed documents cannot answer by their nature, read off the question itself.

Two kinds of near-scope questions sound like the statutes and are not in them: lookups (a duty
phone number, a form to download, a price, which vendors or labs) — statutes state duties, never
directories — and questions about another law ("GDPR最高罚多少", "刑法里怎么判"). Both are
signals for the answer-or-decline model (knowledge/decide.py), which weighs them against how well
an article matches, not rules that decline on their own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from knowledge.types import Document, Lang

OTHER_LAWS_FILE = Path(__file__).resolve().parent / "resources" / "other_laws.txt"

# Phrases that ask for a contact, a form, a price, a list of companies or what to hand in.
# 多少钱 asks a price unless it is a fine (罚多少钱). A phrase some indexed article uses is dropped
# by Lookups (the regulation's 名单 and 电话值守 are duties, not directories).
_ZH_LOOKUP_PHRASES = (
    "电话号码 联系电话 电话多少 联系方式 联系人 邮箱 网址 官网 链接 下载 模板 样表 范本 报价 价格 "
    "行情 多少钱 哪几家公司 哪家公司 哪些公司 哪些厂商 哪家厂商 推荐 型号 品牌 "
    # What to hand in and how to qualify: statutes state the duty to file, never the dossier.
    "哪些材料 什么材料 啥材料 申报材料 准备材料 材料清单 表格 证书 报名 怎么考 咋考 "
    # How a product is set up, and which companies: manuals and notices, not statutes.
    "怎么配置 咋配置 具体配置 配置步骤 操作步骤 是哪几家 有哪几家"
).split()
_EN_LOOKUP = re.compile(
    r"\b(?:phone|hotline|contact (?:details|info|number)|e-?mail address|website|url|link|"
    r"download|template|price|pricing|quote|how much does .{0,40} cost|"
    r"which (?:companies|vendors|firms|labs|providers|brands)|recommend|list of (?:companies|"
    r"vendors|labs|firms|providers)|brand|model number|"
    r"(?:which|what) forms? (?:do|should) (?:we|i)|application forms?|forms? to (?:fill|submit)|"
    r"what (?:documents|materials|paperwork) (?:do|should|must) we (?:submit|prepare|hand in)|"
    r"how (?:do|should|can) (?:we|i) configure|step[- ]by[- ]step|"
    r"how long does (?:it|the \w+|\w+) take (?:\w+ )?to (?:review|approve|process|issue))\b",
    re.I,
)


class Lookups:
    """Does a question ask for a contact, a form, a price or a list of companies?"""

    def __init__(self, documents: Iterable[Document]) -> None:
        kept = _unused(_ZH_LOOKUP_PHRASES, [d.text for d in documents])
        self._zh = re.compile("|".join(re.escape(p) for p in kept)) if kept else None

    def asked(self, question: str, lang: Lang) -> bool:
        if lang == "en":
            return bool(_EN_LOOKUP.search(question))
        return bool(self._zh and self._zh.search(question.replace("罚多少钱", "")))


class OtherLaws:
    """The names in resources/other_laws.txt that no indexed document is or cites."""

    def __init__(self, documents: Iterable[Document], path: Path = OTHER_LAWS_FILE) -> None:
        names = [
            line.strip()
            for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")
        ]
        kept = _unused(names, [f"{d.title}\n{d.title_en}\n{d.text}" for d in documents])
        is_chinese = {n: bool(re.search(r"[\u4e00-\u9fff]", n)) for n in kept}
        chinese = [re.escape(n) for n in kept if is_chinese[n]]
        latin = [re.escape(n) for n in kept if not is_chinese[n]]
        parts = [f"(?:{'|'.join(chinese)})"] if chinese else []
        if latin:
            # Latin names are whole words among Latin letters: "GDPR最高罚多少" names GDPR.
            parts.append(rf"(?<![A-Za-z0-9-])(?:{'|'.join(latin)})(?![A-Za-z0-9-])")
        self._pattern = re.compile("|".join(parts), re.I) if parts else None

    def named(self, question: str) -> bool:
        """Does the question name a law that is not indexed?"""
        return bool(self._pattern and self._pattern.search(question))


def _unused(phrases: Iterable[str], texts: list[str]) -> list[str]:
    """The phrases none of the texts contains (case-insensitively): a cue an indexed document
    uses is its subject, not a sign of a question it cannot answer."""
    folded = [text.casefold() for text in texts]
    return [p for p in phrases if not any(p.casefold() in text for text in folded)]
