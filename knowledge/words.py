"""A Chinese question's content words, by jieba's part-of-speech tagger.

Character bigrams (knowledge/lexical.py) find an article despite a typo, but as a measure of how
much of a question an article covers they count the pairs glued across word boundaries too:
"安全巡检是每天都得做" yields 检是, 天都, 都得 — pairs no statute uses, which weigh as rare words
and make an in-scope chat question look off-topic. Words tell topic from filler: jieba tags
安全 and 巡检 as content, 每天 as a pronoun-like time word, 都 and 得 as particles. Coverage
(knowledge/coverage.py) reads these words beside the bigrams.

jieba loads its dictionary on the first question (0.5–0.9 s). Loading it in a background thread
gains nothing: while the index opens both are Python work that takes turns on one lock (measured:
2.9–3.4 s against 2.5–2.75 s from process start to the first answer), and Chroma's writes during a
first ingest hold that lock too (a thread counting beside an add got 1 % of its free rate; first
start 3.0–3.95 s with the thread against 3.1–3.5 s without, runs interleaved).
"""

from __future__ import annotations

import logging
import re
import threading
from functools import lru_cache
from typing import Any

from knowledge.lexical import is_question_word

# Parts of speech that carry a question's topic (jieba's ICTCLAS tags): nouns of every kind,
# verbs and verbal nouns, adjectives used as nouns, idioms, abbreviations, Latin words.
# Left out: pronouns, numerals, measure words, time words, adverbs, prepositions, conjunctions,
# particles and modal words — the chat around a topic. Question words the lexical side drops
# (是不是, 需要, 多久) are dropped here too, whatever jieba tags them.
_CONTENT_TAGS = ("n", "v", "a", "l", "i", "j", "eng")
_LEFT_OUT_TAGS = ("vd", "ad", "vq")  # adverbial uses of verbs and adjectives
_LATIN = re.compile(r"[a-z0-9][a-z0-9.+-]*")
_lock = threading.Lock()


def content_words(text: str) -> tuple[str, ...]:
    """The topic words of a Simplified, lower-cased question, each once, in order. Single
    Chinese characters are left out: alone they are mostly light verbs (做, 打, 要)."""
    return _content_words(text)


@lru_cache(maxsize=4096)  # retrieval and the decision both read the same question
def _content_words(text: str) -> tuple[str, ...]:
    words: list[str] = []
    for word, tag in tagger().cut(text):
        word = word.strip().lower()
        if not word or tag.startswith(_LEFT_OUT_TAGS) or not tag.startswith(_CONTENT_TAGS):
            continue
        if word.isascii() and not _LATIN.fullmatch(word):
            continue
        if not word.isascii() and (len(word) < 2 or is_question_word(word)):
            continue
        words.append(word)
    return tuple(dict.fromkeys(words))


def tagger() -> Any:
    """jieba.posseg, its dictionary loaded (`tagger().dt.tokenizer.FREQ` holds the words)."""
    with _lock:
        return _load()


@lru_cache(maxsize=1)
def _load() -> Any:
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)  # it logs its dictionary loading at INFO/DEBUG
    jieba.initialize()
    return jieba.posseg
