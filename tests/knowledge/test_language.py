"""Which language a question is in, Traditional -> Simplified, and the thesaurus."""

from __future__ import annotations

import pytest

from knowledge.lang import detect
from knowledge.normalize import normalize_question
from knowledge.thesaurus import expand


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("出了安全事故，最晚几个小时要报给网信办？", "zh"),
        ("出了資安事件多久要上報？", "zh"),
        ("MLPS 备案要报给谁", "zh"),
        ("How fast must we report an incident?", "en"),
        ("MLPS fine CSL?", "en"),
        ("pentest freq", "en"),
        ("ok", "en"),
        ("セキュリティ事件は何時間以内に報告しますか？", "other"),
        ("로그는 얼마나 보관해야 하나요?", "other"),
        ("Как быстро нужно сообщать об инциденте?", "other"),
        ("كم من الوقت يجب الاحتفاظ بالسجلات؟", "other"),
        ("Wie lange müssen Protokolle aufbewahrt werden?", "other"),
        ("Combien de temps faut-il conserver les journaux ?", "other"),
        ("Sự cố an ninh mạng phải báo cáo trong bao lâu?", "other"),
    ],
)
def test_language_of_a_question(text: str, lang: str) -> None:
    assert detect(text) == lang


def test_traditional_characters_and_taiwan_wording_become_simplified() -> None:
    assert normalize_question("網路安全事件　多久要上報？") == "网络安全事件 多久要上报?"
    assert normalize_question("租戶資料") == "租户数据"


def test_chat_words_bring_the_statutes_terms() -> None:
    found = expand("出了安全事故，最晚几个小时要报给网信办？")
    assert {"网信部门", "网络安全事件", "报告"} <= set(found.zh)


def test_english_chat_words_bring_chinese_terms_for_the_lexical_side() -> None:
    found = expand("someone on our sec team is quitting, do we tell the big data bureau?")
    assert {"大数据主管部门", "安全管理团队", "变动"} <= set(found.zh)
    assert "authority" in found.en


@pytest.mark.parametrize(
    ("question", "terms"),
    [
        ("旧服务器淘汰了能不能直接卖掉", {"设施设备", "处置", "转卖"}),
        ("厂家要进机房换硬盘", {"机房", "物理接触", "设施设备"}),
        ("can we repurpose decommissioned servers?", {"其他用途", "处置", "设施设备"}),
        ("云商出了大事故，我们能直接解约吗", {"解除服务合同"}),
        ("我们自己改了ACL被打穿了，锅谁背", {"责任"}),
        ("云商运维人员要背调吗", {"政务云服务商"}),
        ("网络日志保存期限 本地办法和网安法分别怎么规定的", {"重庆市电子政务云平台安全管理办法"}),
        ("大数据杀熟违不违法", {"差别待遇", "自动化决策"}),
        ("公安来调数据我们能拒绝吗", {"调取"}),
        ("外包商能不能再转包出去", {"受托人", "转委托"}),
        ("can our outsourcing vendor subcontract it", {"受托人", "转委托"}),
        ("去世的人的个人信息家属能查吗", {"死者", "近亲属"}),
        ("系统搬上政务云之前要准备啥", {"迁移"}),
        ("if we get hacked, how fast do we tell the regulators?", {"主管部门", "网信部门"}),
        ("the provider swapped out its security lead", {"变动"}),
        ("a tenant's infected box threatens the cloud, can it be cut off?", {"计算机病毒", "中断"}),
        ("can we host a classified system there?", {"涉密"}),
        ("is the provider supposed to watch for illegal content?", {"非法信息"}),
        ("who is liable if our ACL change breaks something", {"访问控制策略", "责任"}),
        (
            "when did the CII Security Protection Regulations take effect",
            {"关键信息基础设施安全保护条例"},
        ),
        ("我们系统被黑了 锅算租户的还是云商的", {"责任"}),
        ("政务云安全到底谁牵头", {"统筹"}),
        ("who is in charge of gov cloud security", {"负责"}),
        ("政务云机房要接几家电信营运商", {"运营商"}),  # 營運商 (Taiwan) once converted
        ("关基营运者要设安全管理机构吗", {"运营者"}),
        ("资通安全事件要通报吗", {"网络安全事件"}),
        ("is location tracking data sensitive PI?", {"个人信息"}),
        ("when is a PIA required before processing?", {"个人信息保护影响评估"}),
        ("can the CSP cut their service?", {"政务云服务商"}),
        ("who secures our workloads on the govcloud", {"政务云"}),
        ("does the gov cloud need a DR site", {"政务"}),
        ("can the provider's ops team log into our VMs", {"运维"}),
        ("can vendor engineers touch running servers", {"接触", "人员"}),
        ("can regulators make crypto vendors hand over their source code", {"披露"}),
        ("fine for an operator that ignores its MLPS duties", {"不履行"}),
        ("用户在平台上发违法信息怎么处置", {"禁止发布或者传输的信息"}),
        ("服务商要重启宿主机，得提前通知吗", {"事先通知", "业务连续性"}),
        ("商密能用来保护什么信息", {"商用密码"}),
        ("密码管理部门能要我们交源码吗", {"源代码"}),
        ("what must a privacy notice include under PIPL?", {"告知", "处理规则"}),
        # English abbreviations typed beside Chinese characters still name the law.
        ("PIPL顶格罚多少", {"个人信息保护法"}),
        ("CII运营者要设安全管理机构吗", {"关键信息基础设施"}),
    ],
)
def test_the_words_staff_use_bring_the_statutory_terms(question: str, terms: set[str]) -> None:
    assert terms <= set(expand(question).zh)


def test_english_phrases_match_whole_words_only() -> None:
    assert expand("the scanner report").zh  # scan* matches scanner
    assert "罚款" not in expand("define the scope").zh  # fine* must not match inside "define"
    assert "个人信息" not in expand("the pipeline broke").zh  # pi must not match inside a word
    assert "个人信息" not in expand("api2 接口").zh


def test_the_longer_phrase_wins() -> None:
    found = expand("要报给大数据局吗")
    assert [e.phrase for e in found.entries if "数据局" in e.phrase] == ["大数据局"]


def test_logging_in_is_access_not_the_logs() -> None:
    """ "log into our VMs" asks about access (登录), not about log retention (网络日志)."""
    assert "网络日志" not in expand("can the ops team log into our vms").zh
    assert "访问" in expand("can the ops team log into our vms").zh
    assert "网络日志" in expand("how long do we keep the logs").zh
