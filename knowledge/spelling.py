"""One-character typos corrected toward the indexed texts' own words, before retrieval.

Chinese typos come from the input method: a homophone of the meant character (评古 for 评估,
扫瞄 for 扫描, 侧评 for 测评, 事建 for 事件). A character is read as a typo only when the
pairs it forms with its neighbours are neither bigrams any indexed article uses nor words of
jieba's dictionary (so 一共, 信服, 期间 and every ordinary word stay as typed), and it is not part
of a question word or a thesaurus phrase (等保, 关基 are chat words, not typos). It is replaced by
the homophone (pypinyin's readings, every reading of a polyphone) that makes a pair that is both
a dictionary word and a bigram the articles use (one article for an ordinary word, two for a rare
one) — the most common such pair.

English: a word that is neither an English word (pyspellchecker's dictionary) nor one our
renderings or the thesaurus use ("pentset", "lgos", "vulnerabilites") is replaced by a word they
use one edit away (Damerau-Levenshtein, so a swapped pair is one edit). Real words are left as
typed: "wedding" is not our vocabulary, and must stay an off-topic word.

No library corrects toward a given corpus with Chinese homophones, so the rule is written here;
the readings, the English dictionary and the edit distance come from maintained libraries.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from knowledge import thesaurus
from knowledge.lexical import LexicalIndex, question_word_spans
from knowledge.thesaurus import expand
from knowledge.types import Article, Lang
from knowledge.words import tagger

MIN_ARTICLES = 2  # a replacement that is a rare word must be used by this many articles
# jieba's dictionary counts a few typos as words (条列 3, 扫瞄 0): an ordinary word is more common.
MIN_WORD_FREQUENCY = 5
MIN_ENGLISH_LENGTH = 4  # shorter words have too many neighbours one edit away
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")
_EN_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)*")  # "doesn't" is one word
# Function words (direction, adverb, preposition, particle, conjunction, numeral, measure,
# pronoun, modal, time — jieba's tags) are read as typos only by the strict rule (_used_enough);
# the few characters so common that a pair they form with anything says nothing (是, 有, 要, 出)
# never are.
_FUNCTION_TAGS = ("f", "d", "p", "u", "c", "m", "q", "r", "y", "e", "o", "t")
MAX_CHARACTER_FREQUENCY = 80_000


class Speller:
    """Corrects questions toward one index's vocabulary."""

    def __init__(self, zh: LexicalIndex, english_words: Iterable[str]) -> None:
        self._zh = zh
        self._english = tuple(sorted({w.lower() for w in english_words if w.isalpha()}))
        self._english_set = frozenset(self._english)
        self._nearest: dict[str, str | None] = {}  # unknown word -> our word one edit away
        self._homophones: dict[str, list[str]] | None = None
        self._lock = threading.Lock()

    def correct(self, text: str, lang: Lang) -> str:
        """`text` normalized (Simplified, NFKC); the corrected text, or `text` itself."""
        return self._correct_zh(text) if lang == "zh" else self._correct_en(text)

    def _correct_zh(self, text: str) -> str:
        chars = list(text)
        spans = question_word_spans(text) + [
            m.span()
            for entry in expand(text).entries
            if entry.pattern is None
            for m in re.finditer(re.escape(entry.phrase), text)
        ]
        protected = {i for start, end in spans for i in range(start, end)}
        for run in _CJK_RUN.finditer(text):
            for i in range(run.start(), run.end()):
                if i in protected or _too_common(chars[i]):
                    continue
                # A function character (至, 按) is a typo only where the meant word is common and
                # several articles use it: 网络日至 -> 日志, 数据按全法 -> 安全.
                strict = _is_function_character(chars[i])
                left = chars[i - 1] if i > run.start() else ""
                right = chars[i + 1] if i < run.end() - 1 else ""

                def pairs(c: str, left: str = left, right: str = right) -> list[str]:
                    """The pairs `c` forms with the neighbours of position i."""
                    return [p for p in (left + c, c + right) if len(p) == 2]

                if any(
                    self._zh.knows(p) or _word_frequency(p) >= MIN_WORD_FREQUENCY
                    for p in pairs(chars[i])
                ):
                    continue
                best, best_count = None, 0
                for candidate in self._homophones_of(chars[i]):
                    for pair in pairs(candidate):
                        count = self._zh.document_frequency(pair)
                        if count > best_count and _used_enough(pair, count, strict=strict):
                            best, best_count = candidate, count
                if best is not None:
                    chars[i] = best
        return "".join(chars)

    def _homophones_of(self, char: str) -> list[str]:
        """Characters the articles use that share a reading with `char` (tones ignored)."""
        with self._lock:
            if self._homophones is None:
                by_reading: dict[str, set[str]] = {}
                for char_ in self._zh.characters():
                    for reading in _readings(char_):
                        by_reading.setdefault(reading, set()).add(char_)
                self._homophones = {r: sorted(c) for r, c in by_reading.items()}
        found = {c for r in _readings(char) for c in self._homophones.get(r, ())}
        return sorted(found - {char})

    def _correct_en(self, text: str) -> str:
        def fix(match: re.Match[str]) -> str:
            word = match.group(0)
            lowered = word.lower()
            if (
                word[0].isupper()  # a name or an acronym (China, MLPS), not a typo
                or "'" in word
                or len(lowered) < MIN_ENGLISH_LENGTH
                or lowered in self._english_set
                or not _dictionary().unknown([lowered])
            ):
                return word
            if lowered not in self._nearest:
                self._nearest[lowered] = _nearest(lowered, self._english)
            return self._nearest[lowered] or word

        return _EN_WORD.sub(fix, text) if self._english else text


def english_vocabulary(articles: Iterable[Article]) -> set[str]:
    """The English words a correction may lead to: the thesaurus', and those our renderings use
    at least twice (a word used once may be a typo of the rendering's own)."""
    counts = Counter(w for a in articles for w in _EN_WORD.findall(a.translation.lower()))
    words = {w for w, n in counts.items() if n >= 2 and "'" not in w}
    for entry in thesaurus.entries():
        words.update(_EN_WORD.findall(" ".join((entry.phrase, *entry.en)).lower()))
    return words


_dictionary_lock = threading.Lock()


def _dictionary() -> Any:
    with _dictionary_lock:
        return _load_dictionary()


@lru_cache(maxsize=1)
def _load_dictionary() -> Any:
    from spellchecker import SpellChecker  # ships its English word frequencies

    return SpellChecker(language="en")


def _is_function_character(char: str) -> bool:
    return tagger().dt.word_tag_tab.get(char, "").startswith(_FUNCTION_TAGS)


def _too_common(char: str) -> bool:
    """是, 的, 在: so common that a pair they form with anything says nothing."""
    return (tagger().dt.tokenizer.FREQ.get(char) or 0) >= MAX_CHARACTER_FREQUENCY


def _used_enough(pair: str, articles: int, *, strict: bool = False) -> bool:
    """May a pair that `articles` articles use replace a typo? An ordinary word needs one (巡检
    for 寻检: only the daily-inspection article says it), a rare word two, a non-word never.
    `strict` (the typed character is a function word): an ordinary word used by two."""
    frequency = _word_frequency(pair)
    if frequency == 0 or (strict and frequency < MIN_WORD_FREQUENCY):
        return False
    return articles >= (MIN_ARTICLES if strict or frequency < MIN_WORD_FREQUENCY else 1)


def _word_frequency(pair: str) -> int:
    """How common the pair is as a word in jieba's dictionary (0: not a word)."""
    return int(tagger().dt.tokenizer.FREQ.get(pair) or 0)


@lru_cache(maxsize=8192)
def _readings(char: str) -> tuple[str, ...]:
    from pypinyin import Style, pinyin

    found = pinyin(char, style=Style.NORMAL, heteronym=True, errors="ignore")
    return tuple(found[0]) if found else ()


def _nearest(word: str, vocabulary: tuple[str, ...]) -> str | None:
    from rapidfuzz import process
    from rapidfuzz.distance import DamerauLevenshtein

    found = process.extractOne(word, vocabulary, scorer=DamerauLevenshtein.distance, score_cutoff=1)
    return str(found[0]) if found else None
