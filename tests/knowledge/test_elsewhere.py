"""Near-scope questions the documents cannot answer by their nature: lookups and other laws."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.elsewhere import Lookups, OtherLaws
from knowledge.types import Document

REGULATION = Document(
    "chongqing",
    "重庆市电子政务云平台安全管理办法",
    "x.txt",
    "0",
    "第八条 政务云服务商应当将云租户名单报备。第二十七条 重要节日期间提供电话值守服务。"
    "第九条 按照《云计算服务安全评估办法》通过评估。",
    (),
)


@pytest.mark.parametrize(
    ("question", "lang"),
    [
        ("市大数据局安全处值班电话多少", "zh"),
        ("等保备案表模板哪里下载", "zh"),
        ("密评报价大概什么行情", "zh"),
        ("等保测评多少钱", "zh"),
        ("重庆有哪些公司能做等保测评", "zh"),
        ("what's the phone number of the CAC duty desk", "en"),
        ("which labs can do the crypto assessment", "en"),
        ("where can I download the filing template", "en"),
        ("等保备案要准备哪些材料", "zh"),
        ("测评师证书怎么考", "zh"),
        ("which forms do we fill in for the MLPS filing", "en"),
        ("what documents do we submit for the data export assessment", "en"),
        ("防火墙上的访问控制策略具体怎么配置", "zh"),
        ("重庆现在政务云服务商是哪几家", "zh"),
        ("how do we configure the WAF rules for this", "en"),
        ("how long does it take CAC to review a data export application", "en"),
    ],
)
def test_lookups_are_recognized(question: str, lang: str) -> None:
    assert Lookups([REGULATION]).asked(question, lang)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("question", "lang"),
    [
        ("租户名单要报给哪些单位", "zh"),  # 名单 is the regulation's own word
        ("重保期间光搞电话值守够不够", "zh"),  # so is 电话值守
        ("不落实等保罚多少钱", "zh"),  # a fine, not a price
        ("how much is the fine for skipping MLPS", "en"),
        ("等保备案要报给谁", "zh"),  # the duty to file is the statute's
        ("in what form must the consent be given", "en"),
        ("公安来查案我们要怎么配合", "zh"),  # cooperating is a duty, not a product's set-up
        ("政务云至少要接几家运营商", "zh"),  # a count the regulation states
        ("how long does it take for a fine to be imposed", "en"),
    ],
)
def test_the_statutes_own_words_are_not_lookups(question: str, lang: str) -> None:
    assert not Lookups([REGULATION]).asked(question, lang)  # type: ignore[arg-type]


def test_other_laws_are_those_no_indexed_document_is_or_cites(tmp_path: Path) -> None:
    names = tmp_path / "laws.txt"
    names.write_text("# comment\nGDPR\n刑法\n云计算服务安全评估办法\nSOC 2\n", encoding="utf-8")
    laws = OtherLaws([REGULATION], names)
    assert laws.named("GDPR最高能罚多少")
    assert laws.named("what does gdpr say about breach notification")
    assert laws.named("刑法里非法侵入计算机系统判几年")
    assert laws.named("do we need a SOC 2 report")
    # The regulation cites this one: a question about it may be answered from the citing article.
    assert not laws.named("云计算服务安全评估办法对政务云有啥要求")
    assert not laws.named("GDPRs")  # whole words only
    assert not laws.named("日志要留多久")


def test_the_shipped_list_loads_against_no_documents() -> None:
    assert OtherLaws([]).named("what's the max fine under GDPR")
    assert OtherLaws([]).named("消防法规定灭火器多久检查一次")
