"""The key fact of a sentence: the clause about the question's subject, and its English."""

from __future__ import annotations

import pytest

from knowledge.facts import asks_for_quantity, key_clause
from knowledge.facts_en import english_fact
from knowledge.lexical import en_tokens, zh_bigrams, zh_query_bigrams

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
        ("本法自2017年6月1日起施行。", "June 1, 2017"),
        ("政务云服务商应当每日开展安全巡检", "Every day"),
        ("政务云服务商应当提供安全值守服务", ""),
    ],
)
def test_quantities_are_rendered_in_english(clause: str, english: str) -> None:
    assert english_fact(clause) == english


@pytest.mark.parametrize(
    ("question", "quantity"),
    [("最晚几个小时要报？", True), ("风险评估一年几次", True), ("应急演练要演哪几类情况", False)],
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
