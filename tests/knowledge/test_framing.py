"""Which questions are asked on the local platform (knowledge/framing.py)."""

from __future__ import annotations

import pytest

from knowledge.corpus import load_bundled_corpus
from knowledge.framing import Framing
from knowledge.parse import parse_any
from knowledge.thesaurus import expand

LOCAL = "chongqing-govcloud-security-measures"


@pytest.fixture(scope="module")
def framing() -> Framing:
    return Framing(load_bundled_corpus())


def test_the_setting_is_read_off_the_documents(framing: Framing) -> None:
    setting = set(framing.setting(LOCAL))
    # Its actors and setting, their shared stem and the place in its title; not its topics.
    assert {"政务云平台", "政务云服务商", "云租户", "大数据主管部门", "政务云", "重庆"} <= setting
    assert not {"值守", "报备", "日志", "数据"} & setting
    assert framing.setting("cybersecurity-law") == ()


@pytest.mark.parametrize(
    ("question", "local"),
    [
        ("服务商退出时我们的数据怎么处置？数据安全法怎么说", True),
        ("云商运维要背调吗 关基条例怎么说", True),  # 云商 -> 政务云服务商
        ("我们租户的数据能出境吗", True),  # 租户 -> 云租户
        ("重庆这边关基保护谁管", True),
        ("政务云日志留多久 网安法咋说", True),
        ("tenants want to encrypt their data, is that ok under the crypto law?", True),
        ("用户个人信息泄露了 按网安法要做啥", False),
        ("关基运营者每年要做几次检测评估", False),
        ("how long must network logs be kept under the cybersecurity law?", False),
    ],
)
def test_a_question_is_set_locally_by_its_words_or_their_statutory_terms(
    framing: Framing, question: str, local: bool
) -> None:
    text = question.lower()
    assert (LOCAL in framing.local_documents(text, expand(text))) is local


def test_another_local_rule_gets_its_own_setting() -> None:
    rule = parse_any(
        "成都市智慧园区安全管理办法\n"
        "第一条 为规范成都市智慧园区（以下简称园区平台）管理，制定本办法。\n"
        "第二条 园区平台运营方应当每日巡检园区平台。\n"
        "第三条 园区平台运营方应当留存日志。\n"
        "第四条 本办法自发布之日起施行。\n",
        doc_id="chengdu",
        path="chengdu.txt",
    )
    framing = Framing([rule])
    assert {"园区平台", "成都"} <= set(framing.setting("chengdu"))
    assert framing.local_documents("园区平台的日志留多久", expand("园区平台的日志留多久")) == {
        "chengdu"
    }
