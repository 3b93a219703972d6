"""A question's words: content words by jieba, typos corrected toward the index, documents named."""

from __future__ import annotations

import pytest

from knowledge.answer import cited_candidates
from knowledge.lexical import LexicalIndex
from knowledge.query import asks, clauses, read_query
from knowledge.retrieve import Candidate, Retrieval, Retriever
from knowledge.spelling import Speller
from knowledge.words import content_words


def test_topic_words_are_kept_and_chat_filler_dropped() -> None:
    words = content_words("安全巡检是每天都得做，还是一周一次就行？")
    assert "巡检" in words
    # Pronouns, time words, numerals and particles say nothing about the topic.
    assert not {"每天", "一周", "一次", "都", "得", "还是", "？"} & set(words)


def test_latin_words_and_abbreviations_are_words_too() -> None:
    words = content_words("公司vpn连不上，k8s集群也挂了")
    assert {"vpn", "k8s", "集群"} <= set(words)


def test_a_word_is_found_in_the_articles_that_use_it() -> None:
    texts = ["机房应当每日巡检。", "日志保存不少于6个月。", "检查巡视记录。"]  # 3: 巡 and 检 apart
    index = LexicalIndex([("d", 1), ("d", 2), ("d", 3)], texts, "zh")
    assert index.containing("巡检") == {("d", 1)}
    assert index.containing("婚假") == frozenset()
    assert index.word_idf("婚假") > index.word_idf("巡检")


def test_word_coverage_and_unknown_words(small_retriever: Retriever) -> None:
    retriever = small_retriever
    chat = read_query("机房巡检是不是每天都得搞一次啊", "zh")
    # Every content word of the chat question is in the article, whatever the filler around it.
    assert retriever.coverage.words(chat, ("reg-b", 1)) == 1.0
    assert retriever.coverage.words(chat, ("reg-b", 2)) == 0.0
    assert retriever.coverage.unknown_words(chat) == 0
    off_topic = read_query("婚假和年假一共能请几天", "zh")
    assert retriever.coverage.unknown_words(off_topic) == 2
    english = read_query("how long do we keep the logs for the wedding leave", "en")
    assert retriever.coverage.unknown_words(english) >= 2  # no rendering knows these stems


def _speller(texts: list[str], english: list[str] | None = None) -> Speller:
    keys = [("d", i) for i in range(1, len(texts) + 1)]
    return Speller(LexicalIndex(keys, texts, "zh"), english or [])


def test_a_homophone_typo_is_corrected_toward_the_indexed_words() -> None:
    speller = _speller(["每年开展风险评估。", "风险评估报告应当报送。", "发生安全事件后报告。"] * 2)
    assert speller.correct("风险评古一年要做几次", "zh") == "风险评估一年要做几次"
    assert speller.correct("安全事见几个小时内报", "zh") == "安全事件几个小时内报"


def test_an_ordinary_word_one_article_uses_is_a_correction() -> None:
    """巡检 is a dictionary word only the daily-inspection article uses: 寻检 becomes it. A rare
    word (jieba counts 寻检 itself twice) would need two articles."""
    speller = _speller(["政务云服务商应当每日开展安全巡检。", "风险评估报告应当报送。"])
    assert speller.correct("每天都要寻检吗", "zh") == "每天都要巡检吗"


def test_a_function_character_typo_needs_a_common_word_two_articles_use() -> None:
    """至 and 按 are prepositions, yet 网络日至 means 日志 and 数据按全法 means 安全: corrected
    when the meant word is common and two articles use it, not when only one does."""
    two = _speller(["网络安全日志留存六个月。", "数据安全法规定，日志应当留存。", "其他。"])
    assert two.correct("网络日至最少要留多久", "zh") == "网络日志最少要留多久"
    assert two.correct("数据按全法啥时候实施的", "zh") == "数据安全法啥时候实施的"
    one = _speller(["网络日志留存六个月。", "其他条款。"])
    assert one.correct("网络日至最少要留多久", "zh") == "网络日至最少要留多久"


def test_ordinary_words_chat_words_and_function_characters_stay_as_typed() -> None:
    speller = _speller(["每年开展风险评估。", "风险评估报告应当报送。", "合法利益受到保护。"] * 2)
    for question in (
        "一共能请几天",  # 一共 is a word, though the articles never use it
        "等保测评多少钱",  # 等保 is a thesaurus chat word, not a typo of 等报
        "网络安全法里怎么说",  # 里 is a function character: never "法利"
        "婚假能请几天",  # no homophone makes a word the articles use
    ):
        assert speller.correct(question, "zh") == question


def test_english_typos_are_corrected_and_real_words_kept() -> None:
    speller = _speller(["每年开展风险评估。"], ["pentest", "logs", "vulnerabilities", "china"])
    assert speller.correct("pentset frequency?", "en") == "pentest frequency?"
    assert speller.correct("keep network lgos", "en") == "keep network logs"
    # Real English words and names are not ours to correct, nor are contractions.
    assert speller.correct("wedding leave in China, doesn't it", "en") == (
        "wedding leave in China, doesn't it"
    )


def _candidate(doc_id: str, number: int, score: float) -> Candidate:
    return Candidate((doc_id, number), {}, score)


def test_a_named_document_is_cited_beside_the_lead_however_far_down_it_ranks() -> None:
    ranked = (
        _candidate("chongqing", 30, 9.0),
        _candidate("chongqing", 29, 6.0),
        _candidate("csl", 25, 1.0),
        _candidate("csl", 21, 0.5),
        _candidate("pipl", 57, 0.2),
    )
    unnamed = Retrieval("zh", (), ranked, 0.5)
    assert [c.key for c in cited_candidates(unnamed, gap=1.0)] == [("chongqing", 30)]
    named = Retrieval("zh", (), ranked, 0.5, named_documents=frozenset({"csl", "chongqing"}))
    # The lead stays the ranker's; the named law brings its own best article, not a second one.
    assert [c.key for c in cited_candidates(named, gap=1.0)] == [("chongqing", 30), ("csl", 25)]


def test_the_local_rule_leads_when_two_documents_are_cited() -> None:
    ranked = (_candidate("csl", 25, 9.0), _candidate("chongqing", 30, 8.5))
    both = Retrieval("zh", (), ranked, 0.5, named_documents=frozenset({"chongqing"}))
    cited = cited_candidates(both, gap=1.0, local=frozenset({"chongqing"}))
    assert [c.key for c in cited] == [("chongqing", 30), ("csl", 25)]
    alone = Retrieval("zh", (), ranked[:1], 0.5)
    assert [c.key for c in cited_candidates(alone, 1.0, frozenset({"chongqing"}))] == [("csl", 25)]


def test_a_question_naming_only_the_national_law_keeps_that_law_first() -> None:
    ranked = (_candidate("csl", 21, 9.0), _candidate("chongqing", 21, 8.9))
    asked = Retrieval("zh", (), ranked, 0.5, named_documents=frozenset({"csl"}))
    cited = cited_candidates(asked, gap=1.0, local=frozenset({"chongqing"}))
    assert [c.key for c in cited] == [("csl", 21), ("chongqing", 21)]


def test_a_documents_name_points_at_it_and_is_not_part_of_the_topic() -> None:
    plain = read_query("网络安全法对日志留存怎么规定", "zh")
    named = read_query("网络安全法对日志留存怎么规定", "zh", ["网络安全法"])
    assert "安全" in plain.zh_own and "安全" not in named.zh_own  # 第一条's "根据《网络安全法》"
    assert {"日志", "留存"} <= set(named.zh_own)
    assert named.text == plain.text
    # An alias brings the law's name as its statutory term; pointing at the law, it goes too.
    alias = read_query("网安法对日志留存怎么规定", "zh", ["网络安全法"])
    assert "网络安全法" not in alias.expansion.zh and "日志" in alias.expansion.zh
    english = read_query(
        "under the cybersecurity law how long are logs kept", "en", ["cybersecurity law"]
    )
    assert "log" in english.en_own and "cyber" not in english.en_own


def test_an_alias_of_a_named_document_is_not_part_of_the_topic() -> None:
    # "重庆的办法" named the regulation and, left in the topic, matched its 第一条 (重庆, 办法).
    named = read_query("日志留存这块重庆的办法怎么规定", "zh", ["重庆市电子政务云平台安全管理办法"])
    assert {"日志", "留存"} <= set(named.zh_own)
    assert not {"重庆", "办法"} & set(named.zh_own)
    pipl = read_query("when did PIPL take effect", "en", ["个人信息保护法"])
    assert "pipl" not in pipl.en_own and "effect" in pipl.en_own  # PIPL: upper case in the text
    english = read_query("what do the local rules say about logs", "en", ["x"])
    assert "local" in english.en_own  # an alias of a document the question does not name stays


def test_a_question_asked_on_the_local_platform_cites_the_local_rule_first() -> None:
    ranked = (
        _candidate("dsl", 40, 9.8),
        _candidate("chongqing", 35, 8.7),
        _candidate("chongqing", 15, 6.2),
    )
    dsl, local = frozenset({"dsl"}), frozenset({"chongqing"})
    # 服务商退出时数据怎么处置？数据安全法对受托方怎么说: asked first, then the law named.
    on_platform = Retrieval("zh", (), ranked, 0.5, named_documents=dsl, set_locally=local)
    cited = cited_candidates(on_platform, gap=1.0, local=local)
    assert [c.key for c in cited] == [("chongqing", 35), ("dsl", 40)]
    # Not set on the platform: the named law alone.
    plain = Retrieval("zh", (), ranked, 0.5, named_documents=dsl)
    assert [c.key for c in cited_candidates(plain, gap=1.0, local=local)] == [("dsl", 40)]
    # Set on it but asking only what the law says ("an agency outsources to a cloud vendor,
    # what does the DSL require"): the law alone.
    about_law = Retrieval(
        "zh", (), ranked, 0.5, named_documents=dsl, subject_documents=dsl, set_locally=local
    )
    assert [c.key for c in cited_candidates(about_law, gap=1.0, local=local)] == [("dsl", 40)]
    # The local rule's best article ranks too far down: not cited.
    far = (ranked[0], _candidate("dsl", 41, 9.0), _candidate("dsl", 42, 8.9), ranked[1])
    distant = Retrieval("zh", (), far, 0.5, named_documents=dsl, set_locally=local)
    assert [c.key for c in cited_candidates(distant, gap=0.5, local=local)] == [("dsl", 40)]


def test_the_law_a_question_names_leads_even_when_another_document_ranks_first() -> None:
    # 網路安全法規定日誌至少要保存多久: the regulation's data article outranked CSL Art. 21.
    ranked = (_candidate("chongqing", 35, 9.0), _candidate("csl", 21, 8.0))
    csl = frozenset({"csl"})
    asked = Retrieval("zh", (), ranked, 0.5, named_documents=csl, subject_documents=csl)
    cited = cited_candidates(asked, gap=0.5, local=frozenset({"chongqing"}))
    assert [c.key for c in cited] == [("csl", 21), ("chongqing", 35)]
    # Named only with a second question ("…几小时内报？网安法还要求啥"): the ranker's order stands.
    later = Retrieval("zh", (), ranked, 0.5, named_documents=csl)
    cited = cited_candidates(later, gap=0.5, local=frozenset({"chongqing"}))
    assert [c.key for c in cited] == [("chongqing", 35), ("csl", 21)]


@pytest.mark.parametrize(
    ("question", "parts"),
    [
        ("网络安全法规定日志至少要保存多久", ["网络安全法规定日志至少要保存多久"]),
        (
            "政务云上的数据泄露了，几个钟头内要报？数安法还要求告知谁",
            ["政务云上的数据泄露了", "几个钟头内要报", "数安法还要求告知谁"],
        ),
        ("关基认定结果 谁通知我们", ["关基认定结果", "谁通知我们"]),
        (
            "under the CII regulation, how often is it due?",
            ["under the CII regulation", " how often is it due"],
        ),
        (
            "the local rule on logs, and what does the CSL say?",
            ["the local rule on logs", "what does the CSL say"],
        ),
        (
            "tenants encrypt data — is that ok under the crypto law?",
            ["tenants encrypt data ", " is that ok under the crypto law"],
        ),
    ],
)
def test_a_question_splits_into_its_clauses(question: str, parts: list[str]) -> None:
    assert clauses(question) == parts


@pytest.mark.parametrize(
    ("clause", "lang", "question"),
    [
        ("几个钟头内要报", "zh", True),
        ("政务云上的数据泄露了", "zh", False),
        ("what does the CSL say", "en", True),
        ("a government agency outsources its system to a vendor", "en", False),
    ],
)
def test_context_is_told_from_a_question(clause: str, lang: str, question: bool) -> None:
    assert asks(clause, lang) is question  # type: ignore[arg-type]
