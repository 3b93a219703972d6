"""jieba with the domain dictionary keeps the regulation's terms whole."""

from __future__ import annotations

import pytest

from knowledge.tokenize import domain_terms, en_tokens, zh_tokens


@pytest.mark.parametrize(
    "term",
    [
        "政务云",
        "云租户",
        "大数据主管部门",
        "网信部门",
        "渗透测试",
        "漏洞扫描",
        "等级保护",
        "态势感知",
        "应急演练",
    ],
)
def test_domain_terms_are_not_split(term: str) -> None:
    assert term in domain_terms()
    assert term in zh_tokens(f"政务云服务商应当开展{term}工作")


def test_a_domain_term_inside_a_longer_one_still_matches() -> None:
    assert "安全事件" in zh_tokens("政务云平台网络安全事件应急处置")


def test_question_words_are_dropped() -> None:
    assert zh_tokens("出了安全事件多久要上报？") == ["安全", "事件", "安全事件", "上报"]


def test_english_tokens_are_stemmed_with_phrase_pairs() -> None:
    assert en_tokens("How long must network logs be retained?") == [
        "network",
        "log",
        "retain",
        "network_log",
        "log_retain",
    ]
    assert en_tokens("reports reported reporting") == [
        "report",
        "report",
        "report",
        "report_report",
        "report_report",
    ]


def test_cybersecurity_meets_security() -> None:
    assert "secur_incid" in en_tokens("a major cybersecurity incident")
