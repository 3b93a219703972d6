"""Tokens for lexical retrieval: jieba with the domain dictionary for Chinese, words for English."""

from __future__ import annotations

import itertools
import logging
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import jieba

RESOURCES = Path(__file__).resolve().parent / "resources"
USER_DICT = RESOURCES / "jieba_userdict.txt"
SYNONYMS = RESOURCES / "synonyms.txt"

# Function words carry no meaning for matching; the regulation's own boilerplate ("应当", "政务云平台")
# is kept because BM25's IDF already discounts what every article says.
_ZH_STOP = frozenset(
    """的 了 和 与 及 或 等 在 是 要 吗 呢 吧 啊 我们 我 你 他们 什么 怎么 怎样 如何 哪些 哪个 多久 多少 多长
    多长时间 长时间 几 几个 几家 何时 什么时候 时候 是否 需要 必须 应该 有 被 对 将 把 为 之 其 并 也 都 就 还 应
    会 可以 能 能否 之后 后 前 时 出 做 走 搞 拿 去 来 几次 一次 吗 呀 请问""".split()
)
_EN_STOP = frozenset(
    """a an the of to in on for and or is are be been must we our us do does did what which who whom how
    when where why it its this that these those with by as at from any all can shall should will may i
    you they their there than then so if not no into about after before need needs has have had was
    were often done happen happens someone somebody anyone get got make much many long far fast
    quickly soon whose me my""".split()
)
_WORD = re.compile(r"[a-z0-9]+")
_CJK = re.compile(r"[\u4e00-\u9fff]")


@lru_cache(maxsize=1)
def _tokenizer() -> jieba.Tokenizer:
    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.load_userdict(str(USER_DICT))
    return tokenizer


@lru_cache(maxsize=1)
def domain_terms() -> frozenset[str]:
    """The user dictionary's terms (政务云, 渗透测试, …), kept whole by jieba."""
    lines = USER_DICT.read_text(encoding="utf-8").splitlines()
    return frozenset(line.split()[0] for line in lines if line.strip())


def zh_tokens(text: str) -> list[str]:
    """jieba search-mode tokens (long compounds plus their parts), stop words and punctuation dropped."""
    tokens = []
    for token in _tokenizer().cut_for_search(text):
        if not token.strip() or token in _ZH_STOP or not (_CJK.search(token) or token.isalnum()):
            continue
        tokens.append(token)
        # Search mode only emits 2- and 3-character parts; a 4+ character domain term inside a
        # longer one (安全事件 in 网络安全事件) must match the same term asked on its own.
        if len(token) > 4:
            tokens += [
                term for term in domain_terms() if len(term) > 3 and term != token and term in token
            ]
    return tokens


def en_tokens(text: str) -> list[str]:
    """Snowball stems with stop words dropped, plus adjacent-stem pairs so phrases
    ("security inspection", "access control") outrank the same words scattered."""
    # "cybersecurity incident" should meet "security incident" the way 网络安全事件 meets 安全事件.
    words = _WORD.findall(text.lower().replace("cyber", "cyber "))
    stems = _stemmer().stemWords([w for w in words if w not in _EN_STOP])
    return stems + [f"{a}_{b}" for a, b in itertools.pairwise(stems)]


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    import snowballstemmer

    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=1)
def _synonyms() -> dict[str, tuple[str, ...]]:
    """Colloquial word (as a token: stemmed for English) -> the regulation's words."""
    groups: dict[str, tuple[str, ...]] = {}
    for line in SYNONYMS.read_text(encoding="utf-8").splitlines():
        words = line.split()
        if len(words) < 2 or line.startswith("#"):
            continue
        key = words[0] if _CJK.search(words[0]) else _stemmer().stemWord(words[0])
        groups[key] = tuple(words[1:])
    return groups


def query_terms(question: str, lang: str) -> dict[str, frozenset[str]]:
    """Each token of the question with the tokens that stand for it (上报 -> 报告, 报备)."""
    tokenize = zh_tokens if lang == "zh" else en_tokens
    table = _synonyms()
    return {
        token: frozenset({token, *(t for word in table.get(token, ()) for t in tokenize(word))})
        for token in tokenize(question)
    }
