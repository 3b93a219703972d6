"""A yes or a no opens the answer only where the quoted sentence settles the question."""

from __future__ import annotations

import pytest

from knowledge.answer import Answerer
from knowledge.normalize import normalize_question
from knowledge.thesaurus import expand
from knowledge.verdict import verdict

PATCHES = (
    "政务云服务商应当…及时对发现或者获知的政务云平台安全漏洞进行修复、处置，定期更新相关安全补丁，"
    "并开展相关有效性、兼容性测试。"
)
PATCHES_EN = (
    "it shall promptly fix the security vulnerabilities, regularly update the relevant security "
    "patches, and carry out the related effectiveness and compatibility tests."
)
NO_FEES = "检查工作不得收取费用，不得要求被检查单位购买指定品牌的产品和服务。"
COMMERCIAL = "公民、法人和其他组织可以依法使用商用密码保护网络与信息安全。"


def _verdict(question: str, lang: str, sentence: str, english: str = "") -> str:
    text = normalize_question(question)
    return verdict(text, lang, sentence, english, expand(text))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("question", "lang", "sentence", "english", "expected"),
    [
        ("打完补丁要不要做兼容性测试", "zh", PATCHES, "", "yes"),
        (
            "after patching, do we need to do compatibility testing?",
            "en",
            PATCHES,
            PATCHES_EN,
            "yes",
        ),
        ("检查能收费吗", "zh", NO_FEES, "", "no"),
        # A duty does not say whether something may be done, nor a ban whether it must.
        ("打完补丁能不能做兼容性测试", "zh", PATCHES, "", ""),
        ("检查要不要收费", "zh", NO_FEES, "", ""),
        # A permission for something else is no yes.
        ("商用密码能保护国家秘密吗", "zh", COMMERCIAL, "", ""),
        # The provider's duty says nothing of whether the tenants must.
        ("租户要不要做兼容性测试", "zh", PATCHES, "", ""),
        # Most of what is asked must be in the sentence.
        (
            "do we need to run red team exercises and tabletop drills?",
            "en",
            PATCHES,
            PATCHES_EN,
            "",
        ),
        # Not a yes-no question.
        ("补丁多久要更新一次", "zh", PATCHES, "", ""),
        ("重要数据算个人信息吗", "zh", "个人信息和重要数据应当在境内存储。", "", ""),
    ],
)
def test_a_verdict_only_where_the_sentence_settles_it(
    question: str, lang: str, sentence: str, english: str, expected: str
) -> None:
    assert _verdict(question, lang, sentence, english) == expected


@pytest.mark.parametrize(
    ("question", "opening"),
    [
        ("after patching vulnerabilities, do we need to do compatibility testing?", "Yes. "),
        ("打完补丁要不要做兼容性测试", "需要。"),
    ],
)
def test_the_answer_opens_with_the_verdict(answerer: Answerer, question: str, opening: str) -> None:
    answer = answerer.answer(question)
    assert answer.citations[0].article == 21
    assert answer.text.startswith(opening)


def test_no_verdict_for_a_duty_that_falls_on_someone_else(answerer: Answerer) -> None:
    answer = answerer.answer("租户要不要自己做渗透测试")
    assert not answer.text.startswith("需要")
