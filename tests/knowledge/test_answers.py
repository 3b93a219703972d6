"""Cited answers over the bundled corpus: right document and article, exact quotes, the lead
that answers, language, declines."""

from __future__ import annotations

import pytest

from knowledge.answer import Answerer, EmptyQuestion
from knowledge.corpus import load_bundled_corpus
from knowledge.decide import signals

REGULATION = "chongqing-govcloud-security-measures"
# A sample beyond every evaluation set, phrased the way staff ask.
IN_SCOPE = [
    ("出了安全事件多久要上报？", REGULATION, 30),
    ("漏洞扫描多久做一次？", REGULATION, 21),
    ("安全团队人员变动需要提前多少天报备？", REGULATION, 19),
    ("每天都要做安全巡检吗？", REGULATION, 23),
    ("租户数据在服务终止后多少天内销毁？", REGULATION, 35),
    ("出了資安事件多久要上報？", REGULATION, 30),
    ("How fast must we report an incident?", REGULATION, 30),
    ("How often do we have to run a vulnerability scan?", REGULATION, 21),
    ("处理敏感个人信息要取得什么同意？", "personal-information-protection-law", 29),
    ("商用密码用来保护什么信息？", "cryptography-law", 8),
    ("How long must network logs be kept under the Cybersecurity Law?", "cybersecurity-law", 21),
]
OUT_OF_SCOPE = [
    "明天会下雨吗？",
    "食堂几点开门？",
    "What time does the cafeteria open?",
    "How do I reset my laptop password?",
]


@pytest.mark.parametrize(("question", "doc_id", "article"), IN_SCOPE)
def test_in_scope_questions_cite_the_right_document_and_article(
    answerer: Answerer, question: str, doc_id: str, article: int
) -> None:
    answer = answerer.answer(question)
    assert not answer.abstained
    assert (answer.citations[0].doc_id, answer.citations[0].article) == (doc_id, article)


@pytest.mark.parametrize("question", OUT_OF_SCOPE)
def test_out_of_scope_questions_are_declined_naming_what_is_indexed(
    answerer: Answerer, question: str
) -> None:
    answer = answerer.answer(question)
    assert answer.abstained and not answer.unsupported_language
    assert answer.citations == ()
    names = (
        ("《网络安全法》", "《个人信息保护法》")
        if answer.language == "zh"
        else ("Cybersecurity Law",)
    )
    for name in names:
        assert name in answer.text


@pytest.mark.parametrize("question", [q for q, _, _ in IN_SCOPE])
def test_quotes_are_cut_verbatim_from_the_source(answerer: Answerer, question: str) -> None:
    documents = {d.doc_id: d for d in load_bundled_corpus()}
    for citation in answerer.answer(question).citations:
        document = documents[citation.doc_id]
        assert document.text[citation.start : citation.end] == citation.quote
        article = document.article(citation.article)
        assert article.start <= citation.start < citation.end <= article.end
        assert citation.label == article.label


def test_chinese_answer_leads_with_the_deadline_and_quotes_article_30(answerer: Answerer) -> None:
    answer = answerer.answer("出了安全事件多久要上报？")
    assert answer.language == "zh"
    first_line = answer.text.splitlines()[0]
    assert first_line.startswith("2个小时内向网信部门、公安部门、大数据主管部门等报告")
    assert "第三十条" in answer.text
    assert "在2个小时内向网信部门、公安部门、大数据主管部门等报告" in answer.citations[0].quote


def test_english_answer_uses_the_translation_and_quotes_the_original(answerer: Answerer) -> None:
    answer = answerer.answer("How fast must we report an incident?")
    assert answer.language == "en"
    first_line = answer.text.splitlines()[0]
    assert first_line.startswith(
        "Within 2 hours, to the cyberspace affairs department, the public security department"
    )
    assert "Chongqing E-Government Cloud Platform Security Management Measures" in answer.text
    assert "unofficial" in answer.text.lower()
    assert "第三十条" in answer.text
    citation = answer.citations[0]
    assert "2 hours" in citation.translation
    assert "在2个小时内" in citation.quote
    assert citation.quote in answer.text


def test_a_frequency_question_leads_with_its_own_clause(answerer: Answerer) -> None:
    answer = answerer.answer("渗透测试多久做一次？")
    assert answer.citations[0].article == 21
    assert answer.text.splitlines()[0] == "经依法授权开展的渗透测试不低于每季度1次。"
    english = answerer.answer("How often is a penetration test required?")
    assert english.text.splitlines()[0].startswith(
        "A lawfully authorized penetration test at least once a quarter"
    )


def test_an_english_what_to_do_question_leads_with_the_response_duty(answerer: Answerer) -> None:
    answer = answerer.answer("under the CSL what must operators do if user data leaks")
    assert (answer.citations[0].doc_id, answer.citations[0].article) == ("cybersecurity-law", 42)
    assert "immediately take remedial" in answer.text.splitlines()[0]


def test_a_list_comes_with_its_items(answerer: Answerer) -> None:
    answer = answerer.answer("个人信息泄露后，通知要包括哪些事项？")
    assert (answer.citations[0].doc_id, answer.citations[0].article) == (
        "personal-information-protection-law",
        57,
    )
    lead = answer.text.split("\n\n")[0]
    assert "（一）" in lead and "（三）" in lead
    assert not lead.endswith(("；。", "：。"))


def test_another_language_gets_the_languages_we_answer_in(answerer: Answerer) -> None:
    for question in (
        "セキュリティ事件は何時間以内に報告しますか？",
        "Wie lange müssen Protokolle aufbewahrt werden?",
    ):
        answer = answerer.answer(question, "zh")
        assert answer.unsupported_language and answer.abstained
        assert "中文或英文" in answer.text and "Chinese and English" in answer.text


def test_empty_question_is_rejected(answerer: Answerer) -> None:
    with pytest.raises(EmptyQuestion):
        answerer.answer("   ")


def test_small_talk_close_to_a_statutes_words_is_still_declined(answerer: Answerer) -> None:
    # Shares 预约/会议 with nothing much, but "人员" and "管理" with everything.
    answer = answerer.answer("行政楼的会议室需要提前几天预约？")
    assert answer.abstained


@pytest.mark.parametrize(
    ("question", "doc_id", "article"),
    [
        ("关基条例从啥时候开始施行", "critical-information-infrastructure-regulations", 51),
        ("数据安全法哪天生效的", "data-security-law", 55),
        ("When did the Cryptography Law take effect?", "cryptography-law", 44),
        # Five words: declined until the date asked and stated became a decision signal.
        ("when did PIPL take effect", "personal-information-protection-law", 74),
    ],
)
def test_when_a_named_law_takes_effect_is_its_commencement_article(
    answerer: Answerer, question: str, doc_id: str, article: int
) -> None:
    answer = answerer.answer(question)
    assert (answer.citations[0].doc_id, answer.citations[0].article) == (doc_id, article)


@pytest.mark.parametrize(
    ("question", "fine"),
    [
        ("个保法最高能罚多少", "五千万元"),
        ("What's the maximum fine under the PIPL?", "50 million"),
    ],
)
def test_a_maximum_fine_question_leads_with_the_largest_fine(
    answerer: Answerer, question: str, fine: str
) -> None:
    answer = answerer.answer(question)
    assert fine in answer.text.split("\n")[0]


@pytest.mark.parametrize(
    "question",
    [
        "市大数据局安全处值班电话多少",
        "GDPR最高能罚多少",
        "which labs in chongqing can do crypto assessments",
    ],
)
def test_directory_questions_and_other_laws_are_declined(answerer: Answerer, question: str) -> None:
    assert answerer.answer(question).abstained


@pytest.mark.parametrize(
    "question", ["应急预案修订完要报给谁", "Who do we file our emergency response plan with?"]
)
def test_a_who_to_question_leads_with_the_sentence_naming_the_recipients(
    answerer: Answerer, question: str
) -> None:
    answer = answerer.answer(question)
    assert answer.citations[0].article == 26
    lead = answer.text.split("\n")[0]
    assert "市网信部门" in lead or "cyberspace" in lead.lower()


@pytest.mark.parametrize(
    "question", ["网络日志至少留多久", "how long do we have to keep network logs on the platform?"]
)
def test_the_general_log_rule_outranks_the_one_for_an_exiting_provider(
    answerer: Answerer, question: str
) -> None:
    """第三十五条's "应当继续保留相关网络日志不少于6个月" leans on the sentence before it (退出服务时);
    matched alone it outranked 第二十一条, the rule every operator keeps logs by."""
    answer = answerer.answer(question)
    assert (answer.citations[0].doc_id, answer.citations[0].article) == (REGULATION, 21)


def test_a_date_asked_and_stated_is_a_decision_signal(answerer: Answerer) -> None:
    """ "when did PIPL take effect": short, so its similarity runs low, but the top article is
    the commencement clause that states the date asked for."""
    retrieval = answerer.retriever.retrieve("when did PIPL take effect", "en")
    assert retrieval.candidates[0].key == ("personal-information-protection-law", 74)
    assert signals(retrieval)["date_given"] == 1.0
    assert signals(answerer.retriever.retrieve("PIPL的适用范围", "zh"))["date_given"] == 0.0


def test_what_is_required_leads_with_the_formality(answerer: Answerer) -> None:
    """ "what's required" asks what an action takes: 第十一条's written authorization and
    register, not the data center's construction standard before it."""
    question = (
        "a vendor engineer needs hands-on access to a server in the data center for maintenance"
        " - what's required?"
    )
    answer = answerer.answer(question)
    assert answer.citations[0].article == 11
    assert "written authorization" in answer.text.split("\n")[0]


@pytest.mark.parametrize(
    ("question", "doc_id", "article"),
    [
        # Why a document was made and on what it rests: its first article (states_purpose).
        ("这个政务云安全办法是根据哪几部法律定的？", REGULATION, 1),
        # A list asked for: the article that enumerates it, not its neighbour (states_list).
        ("个人信息出境有哪几条合规路径", "personal-information-protection-law", 38),
        # Asked at the national level: not the local rule's 市 authorities (local_unasked).
        ("全国网络安全工作谁来统筹协调", "cybersecurity-law", 8),
        # Who is responsible, tenant or provider: the article that shares responsibility out
        # (allocates_responsibility), not the incident article the rest of the question matches.
        ("我们系统在政务云上被黑了，锅算租户的还是云商的", REGULATION, 6),
        ("who is on the hook for securing the apps we deploy, us or the provider?", REGULATION, 6),
        # A sanction asked: the liability article that punishes the duty the question names
        # (punishes_matched: 第五十九条 names 第二十一条, the classified-protection duty).
        ("不落实等保义务，网安法罚多少", "cybersecurity-law", 59),
    ],
)
def test_what_kind_of_answer_a_question_wants_ranks_the_article_that_gives_it(
    answerer: Answerer, question: str, doc_id: str, article: int
) -> None:
    answer = answerer.answer(question)
    assert (answer.citations[0].doc_id, answer.citations[0].article) == (doc_id, article)


def test_a_penalty_asked_of_a_document_that_sets_none_is_a_decline_signal(
    answerer: Answerer,
) -> None:
    """The Chongqing measures set no fines: "云商违反这个办法要罚多少钱" finds no article that sets
    one (fine_missing), while a law's penalty question does."""
    asked = answerer.retriever.retrieve("云商违反这个办法要罚多少钱", "zh")
    assert signals(asked)["fine_missing"] == 1.0
    law = answerer.retriever.retrieve("不履行等级保护义务，网络安全法罚多少钱", "zh")
    assert signals(law)["fine_missing"] == 0.0
