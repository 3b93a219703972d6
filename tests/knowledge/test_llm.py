"""LLM phrasing over real HTTP against a local chat-completions server: kept only when grounded."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from knowledge.answer import Answerer
from knowledge.engine import KnowledgeConfig, build_answerer
from knowledge.llm import build_chat_model, cited_articles, phrase_with_llm
from tests.knowledge.chat_server import ChatServer

SECRET = "sk-test-secret-123"


@pytest.fixture
def server() -> Iterator[ChatServer]:
    with ChatServer() as chat:
        yield chat


@pytest.fixture
def llm_answerer(server: ChatServer, answerer: Answerer) -> Answerer:
    chat = build_chat_model(
        base_url=server.base_url, model="qwen-test", api_key=SECRET, timeout_s=2
    )
    return Answerer(
        answerer.retriever,
        lambda extractive, articles: phrase_with_llm(extractive, articles, chat=chat),
    )


def test_a_cited_chinese_reply_is_used(server: ChatServer, llm_answerer: Answerer) -> None:
    server.reply = "应在2小时内向网信、公安、大数据主管部门报告【第三十条】。"
    answer = llm_answerer.answer("出了安全事件多久要上报？")
    assert answer.phrased_by == "llm"
    assert answer.text == server.reply
    assert [c.article for c in answer.citations] == [30]
    assert "在2个小时内" in answer.citations[0].quote  # the quote still comes from the source


def test_a_cited_english_reply_is_used_and_the_model_sees_only_retrieved_articles(
    server: ChatServer, llm_answerer: Answerer
) -> None:
    server.reply = (
        "Within 2 hours, to the cyberspace, public security and big data authorities [Art. 30]."
    )
    answer = llm_answerer.answer("How fast must we report an incident?")
    assert answer.phrased_by == "llm"
    assert answer.citations[0].article == 30
    request = server.requests[-1]
    assert request["model"] == "qwen-test"
    prompt = request["messages"][-1]["content"]
    retrieved = {h.article for h in answer.hits}
    assert "[Art. 30]" in prompt
    assert all(f"[Art. {n}]" in prompt for n in retrieved)
    assert "[Art. 37]" not in prompt or 37 in retrieved
    assert "本办法自印发之日起执行" not in prompt or 37 in retrieved


def test_a_reply_citing_an_article_that_was_not_retrieved_is_discarded(
    server: ChatServer, llm_answerer: Answerer
) -> None:
    server.reply = "Report within 2 hours [Art. 30], see also [Art. 37]."
    answer = llm_answerer.answer("How fast must we report an incident?")
    if 37 in {h.article for h in answer.hits}:
        pytest.skip("article 37 happened to be retrieved")
    assert answer.phrased_by == "extractive"
    assert answer.text != server.reply


def test_a_reply_without_citations_is_discarded(server: ChatServer, llm_answerer: Answerer) -> None:
    server.reply = "Report it quickly."
    answer = llm_answerer.answer("How fast must we report an incident?")
    assert answer.phrased_by == "extractive"
    assert answer.citations[0].article == 30


@pytest.mark.parametrize(
    ("status", "delay"), [(500, 0.0), (200, 5.0)], ids=["server-error", "timeout"]
)
def test_server_failures_fall_back_to_the_extractive_answer(
    server: ChatServer,
    llm_answerer: Answerer,
    status: int,
    delay: float,
    caplog: pytest.LogCaptureFixture,
) -> None:
    server.status, server.delay_s = status, delay
    server.reply = "【第三十条】"
    with caplog.at_level(logging.DEBUG):
        answer = llm_answerer.answer("出了安全事件多久要上报？")
    assert answer.phrased_by == "extractive"
    assert answer.text.startswith("2个小时内")
    assert SECRET not in caplog.text


def test_the_api_key_travels_only_in_the_authorization_header(
    server: ChatServer, llm_answerer: Answerer, caplog: pytest.LogCaptureFixture
) -> None:
    server.reply = "【第三十条】2小时内报告。"
    with caplog.at_level(logging.DEBUG):
        llm_answerer.answer("出了安全事件多久要上报？")
    assert server.headers[-1]["authorization"] == f"Bearer {SECRET}"
    assert SECRET not in caplog.text


def test_the_engine_wires_the_llm_from_configuration(server: ChatServer, tmp_path) -> None:  # type: ignore[no-untyped-def]
    server.reply = "【第二十一条】漏洞扫描不低于每月1次。"
    config = KnowledgeConfig(
        chroma_path=tmp_path / "chroma",
        llm_base_url=server.base_url,
        llm_model="m",
        llm_api_key="k",
    )
    answer = build_answerer(config).answer("漏洞扫描多久做一次？")
    assert answer.phrased_by == "llm"
    assert answer.citations[0].article == 21


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("【第三十条】", {30}),
        ("第九十九条和第5条", {99, 5}),
        ("see [Art. 21] and Article 35", {21, 35}),
        ("nothing", set()),
    ],
)
def test_citations_are_parsed_in_both_languages(text: str, expected: set[int]) -> None:
    assert cited_articles(text) == expected
