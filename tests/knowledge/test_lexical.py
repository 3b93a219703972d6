"""Character-bigram BM25 for Chinese, stems for English: typo-tolerant, segmentation-free."""

from __future__ import annotations

from knowledge.corpus import load_bundled
from knowledge.lexical import LexicalIndex, en_tokens, zh_bigrams, zh_query_bigrams


def test_question_words_are_not_matched() -> None:
    assert zh_query_bigrams("漏洞扫描多久做一次？") == ["漏洞", "洞扫", "扫描", "做一", "一次"]
    assert "多久" not in zh_query_bigrams("日志要保存多久")


def test_traditional_characters_index_like_simplified() -> None:
    assert zh_bigrams("網絡安全") == zh_bigrams("网络安全")


def test_a_one_character_typo_still_finds_its_article() -> None:
    regulation = load_bundled()
    index = LexicalIndex.of_articles(regulation.articles, "zh")
    for question, article in (
        ("漏洞扫瞄多久一次", 21),
        ("应急演炼频率", 26),
        ("安全团队人员变动提前几天保备", 19),
    ):
        scores = index.scores(zh_query_bigrams(question))
        assert index.keys[int(scores.argmax())][1] == article, question


def test_english_stems_and_phrases() -> None:
    assert en_tokens("Penetration tests of cybersecurity") == [
        "penetr",
        "test",
        "cyber",
        "secur",
        "penetr_test",
        "test_cyber",
        "cyber_secur",
    ]


def test_chat_framing_is_no_topic_word() -> None:
    """What the asker wants ("are we supposed to", "what's the deadline") is no subject: counted,
    it made an English question look as if it were about something nothing indexed covers."""
    assert en_tokens("are we supposed to say anything, what's the deadline?") == []
    assert en_tokens("do we want to swap the logs") == ["swap", "log", "swap_log"]
