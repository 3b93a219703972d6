"""The key fact of a sentence: the clause about the question's subject, and its English."""

from __future__ import annotations

import pytest

from knowledge.corpus import load_bundled_corpus
from knowledge.facts import asks_for_maximum, asks_for_quantity, key_clause, largest_amount
from knowledge.facts_en import english_fact
from knowledge.lexical import en_tokens, zh_bigrams, zh_query_bigrams
from knowledge.passages import best_passage
from knowledge.sentences import leans_on_previous

ZH_21 = (
    "政务云服务商应当定期开展渗透测试、漏洞扫描和风险评估工作，原则上漏洞扫描不低于每月1次、"
    "经依法授权开展的渗透测试不低于每季度1次、风险评估不低于每年1次，及时对发现或者获知的"
    "政务云平台安全漏洞进行修复、处置。"
)
EN_21 = (
    "The government cloud service provider shall regularly carry out penetration tests, "
    "vulnerability scans and risk assessments; in principle a vulnerability scan at least once a "
    "month, a lawfully authorized penetration test at least once a quarter, and a risk assessment "
    "at least once a year; it shall promptly fix the vulnerabilities it finds."
)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("渗透测试多久做一次？", "经依法授权开展的渗透测试不低于每季度1次"),
        ("漏洞扫描多久一次", "漏洞扫描不低于每月1次"),
        ("风险评估一年几次", "风险评估不低于每年1次"),
    ],
)
def test_the_clause_about_the_asked_subject_leads(question: str, expected: str) -> None:
    assert key_clause(ZH_21, "zh", set(zh_query_bigrams(question)), zh_bigrams) == expected


def test_english_picks_the_penetration_test_clause_not_the_scan_clause() -> None:
    subject = set(en_tokens("How often is a penetration test required?"))
    clause = key_clause(EN_21, "en", subject, en_tokens)
    assert clause == "a lawfully authorized penetration test at least once a quarter"


def test_a_condition_stays_with_its_duty() -> None:
    sentence = "安全团队人员需要变动的，政务云服务商应当提前30日将变动情况向市大数据主管部门和相关云租户报备。"
    clause = key_clause(sentence, "zh", set(zh_query_bigrams("人员变动提前多久")), zh_bigrams)
    assert clause.startswith("安全团队人员需要变动的，政务云服务商应当提前30日")


def test_english_deadlines_name_who_is_told() -> None:
    sentence = (
        "The provider shall report the incident to the cyberspace affairs department, the public "
        "security department and other departments within 2 hours."
    )
    clause = key_clause(sentence, "en", set(en_tokens("how fast must we report")), en_tokens)
    assert clause == (
        "within 2 hours, to the cyberspace affairs department, the public security department "
        "and other departments"
    )


def test_no_fact_no_clause() -> None:
    assert key_clause("政务云服务商应当提供安全值守服务。", "zh", {"值守"}, zh_bigrams) == ""


@pytest.mark.parametrize(
    ("clause", "english"),
    [
        ("并按照规定留存相关的网络日志不少于六个月", "At least six months"),
        ("原则上漏洞扫描不低于每月1次", "At least once a month"),
        ("每年至少进行一次检测评估", "At least once a year"),
        ("在2个小时内向网信部门报告", "Within two hours"),
        ("提前30日将变动情况报备", "30 days in advance"),
        ("自收到报告之日起3个月内完成重新认定", "Within three months"),
        ("处一万元以上十万元以下罚款", "A fine of 10,000 to 100,000 yuan"),
        ("并处五千万元以下罚款", "A fine of up to 50,000,000 yuan"),
        ("处采购金额一倍以上十倍以下罚款", "A fine of one to ten times the purchase amount"),
        ("处违法所得一倍以上十倍以下罚款", "A fine of one to ten times the illegal gains"),
        ("本法自2017年6月1日起施行。", "June 1, 2017"),
        ("政务云服务商应当每日开展安全巡检", "Every day"),
        ("政务云服务商应当提供安全值守服务", ""),
    ],
)
def test_quantities_are_rendered_in_english(clause: str, english: str) -> None:
    assert english_fact(clause) == english


@pytest.mark.parametrize(
    ("question", "quantity"),
    [
        ("最晚几个小时要报？", True),
        ("风险评估一年几次", True),
        ("应急演练要演哪几类情况", False),
        ("密码分几类", False),  # the kinds, which the article lists
        ("个人信息出境有几种途径", False),
        ("政务云要接几家运营商", True),
    ],
)
def test_which_ones_is_not_a_quantity_question(question: str, quantity: bool) -> None:
    assert asks_for_quantity(question, "zh") is quantity


def test_an_english_clause_does_not_lead_with_its_link_to_the_clause_before() -> None:
    sentence = (
        "The provider shall return the data to the cloud tenant, and effectively destroy the "
        "data within 7 days after the cloud tenant's confirmation."
    )
    clause = key_clause(sentence, "en", set(en_tokens("how fast is the data destroyed")), en_tokens)
    assert clause.startswith("effectively destroy the data within 7 days")


def test_an_english_clause_does_not_end_on_its_link_to_the_clause_after() -> None:
    sentence = (  # 数据安全法 第四十五条, second paragraph, as rendered
        "Where the national core data management system is violated, the relevant competent "
        "department shall impose a fine of not less than RMB 2 million but not more than RMB 10 "
        "million and, depending on the circumstances, order the suspension of the business."
    )
    clause = key_clause(sentence, "en", set(en_tokens("what is the fine")), en_tokens)
    assert clause.endswith("not more than RMB 10 million")


# 密码法 第三十七条: the operator's fine, then its responsible persons' fine, in one sentence.
CRYPTO_37 = (
    "由有关主管部门责令停止使用，处采购金额一倍以上十倍以下罚款；"
    "对直接负责的主管人员和其他直接责任人员处一万元以上十万元以下罚款。"
)


def test_the_organizations_fine_leads_unless_the_persons_are_asked_about() -> None:
    subject = set(zh_query_bigrams("关基没按要求用商用密码，罚款范围是多少"))
    clause = key_clause(CRYPTO_37, "zh", subject, zh_bigrams, persons=False)
    assert clause == "处采购金额一倍以上十倍以下罚款"
    persons = key_clause(CRYPTO_37, "zh", subject, zh_bigrams, persons=True)
    assert persons == "对直接负责的主管人员和其他直接责任人员处一万元以上十万元以下罚款"


def test_a_maximum_question_takes_the_largest_fine() -> None:
    sentence = "拒不改正的，处一百万元以下罚款；情节严重的，处五千万元以下或者上一年度营业额百分之五以下罚款。"
    subject = set(zh_query_bigrams("最高能罚多少"))
    assert "五千万元" in key_clause(sentence, "zh", subject, zh_bigrams, maximum=True)
    assert "一百万元" in key_clause(sentence, "zh", subject, zh_bigrams, maximum=False)


@pytest.mark.parametrize(
    ("text", "yuan"),
    [
        ("处五千万元以下或者上一年度营业额百分之五以下罚款", 50_000_000),
        ("处十万元以上一百万元以下罚款", 1_000_000),
        ("a fine of not more than RMB 1 million", 1_000_000),
        ("fined not less than RMB 10,000 but not more than RMB 100,000", 100_000),
        ("责令改正，给予警告", 0),
    ],
)
def test_the_largest_sum_a_text_names(text: str, yuan: float) -> None:
    assert largest_amount(text) == yuan


@pytest.mark.parametrize(
    ("question", "maximum"),
    [("个保法最高能罚多少", True), ("what's the max fine", True), ("罚款多少", False)],
)
def test_maximum_questions(question: str, maximum: bool) -> None:
    assert asks_for_maximum(question) is maximum


@pytest.mark.parametrize(
    ("question", "quantity"),
    [
        ("When must we report an incident?", True),
        ("by when do we notify tenants", True),
        ("what's the deadline, and when does the clock start", True),
        ("does the provider have to give back our data when they leave?", False),
        ("what do we do when we get hacked", False),
        ("When the provider withdraws from service, what must it ensure?", False),
        ("When a tenant leaves, how long are the logs kept?", True),  # "how long" asks
        ("when's the deadline", True),
    ],
)
def test_when_asks_a_time_only_as_the_question_word(question: str, quantity: bool) -> None:
    assert asks_for_quantity(question, "en") is quantity


@pytest.mark.parametrize(
    ("question", "topic", "lang", "expected"),
    [
        # The law's own name says 数据安全; the asked term is 数据.
        ("数据安全法里说的数据指什么", "里说的数据指什么", "zh", "本法所称数据，是指"),
        ("数据安全是指什么", "", "zh", "数据安全，是指"),
        (
            "what does data mean under the data security law",
            "what does data mean under the",
            "en",
            "本法所称数据，是指",
        ),
        ("数据处理包括啥", "", "zh", "数据处理，包括"),  # not a definition question: no bonus
    ],
)
def test_a_definition_question_leads_with_the_asked_terms_definition(
    question: str, topic: str, lang: str, expected: str
) -> None:
    assert _lead("data-security-law", 3, question, lang, topic).startswith(expected)


@pytest.mark.parametrize(
    ("question", "lang", "responds"),
    [
        ("用户个人信息泄露了运营者得干啥？", "zh", True),
        ("个人信息泄露了怎么办", "zh", True),
        ("运营者能泄露个人信息吗", "zh", False),  # a may-we question: the prohibition answers it
    ],
)
def test_a_what_to_do_question_leads_with_the_duty_that_responds_to_the_event(
    question: str, lang: str, responds: bool
) -> None:
    lead = _lead("cybersecurity-law", 42, question, lang)
    assert lead.startswith("在发生或者可能发生个人信息泄露") is responds


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # The condition is in the clause before "；"; the organization's fine comes first in
        # its clause, the persons' after it: not a persons-only fine.
        (
            "关基没做密评会被罚多少",
            "拒不改正或者导致危害网络安全等后果的，处十万元以上一百万元以下罚款",
        ),
        ("关基用了没过安全审查的产品罚多少", "关键信息基础设施的运营者违反本法第二十七条第二款"),
    ],
)
def test_a_fine_question_leads_with_the_fine_for_its_condition(
    question: str, expected: str
) -> None:
    assert _lead("cryptography-law", 37, question).startswith(expected)


def test_a_procedure_question_leads_with_the_formality() -> None:
    local = "chongqing-govcloud-security-measures"
    lead = _lead(local, 11, "厂商工程师要进机房换硬盘 需要啥手续")
    assert lead.startswith("因开展安全检查、设备维护等确需物理接触的")
    assert _lead(local, 11, "机房要满足什么规范").startswith("政务云平台机房的设计和建设")


def _lead(doc_id: str, number: int, question: str, lang: str = "zh", topic: str = "") -> str:
    """The passage best_passage cuts from a bundled article for the question (no dense matches)."""
    document = next(d for d in load_bundled_corpus() if d.doc_id == doc_id)
    article = next(a for a in document.articles if a.number == number)
    passage = best_passage(article, question, lang, [], topic=topic)  # type: ignore[arg-type]
    return document.text[passage.start : passage.end]


@pytest.mark.parametrize(
    ("text", "lang", "leans"),
    [
        ("应当继续保留相关网络日志不少于6个月，配合有关部门开展安全追溯工作。", "zh", True),
        ("并向市网信部门报备。", "zh", True),
        ("政务云服务商应当提供安全值守服务。", "zh", False),
        ("It shall continue to retain the relevant network logs.", "en", True),
        ("The provider shall return the data.", "en", False),
    ],
)
def test_a_sentence_without_its_own_subject_leans_on_the_one_before(
    text: str, lang: str, leans: bool
) -> None:
    assert leans_on_previous(text, lang) is leans


def test_a_leaning_sentence_is_quoted_with_the_condition_it_borrows() -> None:
    """ "服务商退出了日志还要留吗": the condition is one sentence, the log duty the next."""
    lead = _lead("chongqing-govcloud-security-measures", 35, "服务商退出了，日志还要留吗")
    assert lead.startswith("政务云服务商退出服务时")
    assert "应当继续保留相关网络日志不少于6个月" in lead


def test_a_leaning_sentence_that_adds_nothing_asked_does_not_take_the_lead() -> None:
    """The sentence before the log duty holds what is asked (可用性): the log duty leans on it
    but adds none of the question's words, so it does not outrank it."""
    question = (
        "When the provider withdraws from service, what must it ensure regarding availability?"
    )
    lead = _lead("chongqing-govcloud-security-measures", 35, question, "en")
    assert "可用性和持续性" in lead
    assert "日志" not in lead


def test_who_is_responsible_is_quoted_with_every_partys_share() -> None:
    """ "锅算租户的还是云商的": 第六条 gives the tenant's share, then after "；" the provider's."""
    lead = _lead("chongqing-govcloud-security-measures", 6, "系统被黑了，锅算租户的还是云商的")
    assert "云租户负责部署至政务云平台的信息系统" in lead
    assert "政务云服务商负责政务云平台物理环境" in lead
    # A question that does not ask who is responsible keeps the one clause it matches.
    assert "政务云服务商负责" not in _lead(
        "chongqing-govcloud-security-measures", 6, "云租户部署的信息系统的安全管理工作"
    )


def test_a_fine_for_a_listed_breach_is_quoted_with_the_sanction_that_heads_the_list() -> None:
    """ "关基没设专门安全管理机构罚多少": item (四) names the breach; the fine is in the list's
    lead-in, and item (八)'s "每年至少进行一次" is not the number asked for."""
    cii = "critical-information-infrastructure-regulations"
    quote = _lead(cii, 39, "关基没设专门安全管理机构罚多少")
    assert "处10万元以上100万元以下罚款" in quote
    assert "（四）未设置专门安全管理机构的" in quote
    subject = set(zh_query_bigrams("关基没设专门安全管理机构罚多少"))
    clause = key_clause(quote, "zh", subject, zh_bigrams, fine=True)
    assert "罚款" in clause
    assert "每年至少" not in clause


def test_a_penalty_in_the_past_is_not_a_question_about_fines() -> None:
    """ "被治安处罚过的人还能干网安关键岗位吗" asks about the five-year ban (网络安全法 第六十三条),
    not about the fine beside it."""
    lead = _lead("cybersecurity-law", 63, "被治安处罚过的人还能干网安关键岗位吗")
    assert "五年内不得从事网络安全管理和网络运营关键岗位的工作" in lead
