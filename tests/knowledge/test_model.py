"""The fitted model file, exact vector search, question-type cues and document coverage."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from langchain_core.embeddings import Embeddings

from knowledge import calibrate
from knowledge.calibrate import fit_conditional_logit, second_citation_gap, threshold
from knowledge.cues import (
    allocates_responsibility,
    asks_about_penalty,
    asks_for_date,
    asks_for_definition,
    asks_for_fine,
    asks_for_list,
    asks_for_purpose,
    asks_for_recipient,
    asks_nationally,
    asks_permission,
    asks_who_is_responsible,
    cited_articles,
    names_recipients_by_name,
    states_date,
    states_definition,
    states_fine,
    states_list,
    states_prohibition,
    states_purpose,
)
from knowledge.index import ArticleIndex, open_client
from knowledge.ingest import ingest
from knowledge.normalize import normalize_question
from knowledge.query import read_query
from knowledge.ranking import DECISION_MODELS, FEATURES, load_model, parse_model
from knowledge.retrieve import Retriever
from tests.knowledge.conftest import REGULATION_A, REGULATION_B


def test_the_shipped_model_names_only_known_signals_and_every_decision() -> None:
    model = load_model()
    assert set(model.decisions) >= set(DECISION_MODELS)
    assert set(model.rank["zh"]) <= set(FEATURES)
    assert parse_model(model.to_json()) == model


def test_a_model_naming_an_unknown_signal_is_refused() -> None:
    data = json.loads(load_model().to_json())
    data["rank"]["zh"]["no_such_signal"] = 1.0
    with pytest.raises(ValueError, match="no_such_signal"):
        parse_model(json.dumps(data))


def test_ranker_scores_follow_the_weights_by_name() -> None:
    model = parse_model(load_model().to_json())
    table = np.zeros((2, len(FEATURES)))
    table[0, FEATURES.index("dense")] = 1.0
    scores = model.rank_score("zh", table)
    assert scores[0] - scores[1] == pytest.approx(model.rank["zh"].get("dense", 0.0))


def test_search_returns_the_exact_nearest_units_best_first(
    tmp_path: Path, two_regulations: Path, embeddings: Embeddings
) -> None:
    client = open_client(path=tmp_path / "chroma")
    index = ArticleIndex(client, embeddings)
    ingest(index, [two_regulations])
    vector = embeddings.embed_query("日志要保存多久")
    found = index.search("zh", vector, limit=4)
    stored = client.get_collection("units-zh").get(include=["embeddings", "metadatas"])
    similarities = np.asarray(stored["embeddings"]) @ np.asarray(vector)
    expected = sorted(similarities, reverse=True)[:4]
    assert [m.similarity for m in found] == pytest.approx(expected, abs=1e-4)
    assert (found[0].doc_id, found[0].article) == ("reg-b", 2)
    assert index.search("en", vector, limit=4) == []  # no English units: nothing, no error


@pytest.mark.parametrize(
    ("question", "lang"),
    [
        ("数据安全法几号生效的", "zh"),
        ("密碼法是哪一天開始施行的", "zh"),
        ("When did PIPL take effect?", "en"),
    ],
)
def test_questions_asking_when_a_law_takes_effect(question: str, lang: str) -> None:
    assert asks_for_date(question, lang)  # type: ignore[arg-type]
    assert not asks_for_fine(question, lang)  # type: ignore[arg-type]


def test_articles_that_set_a_date_or_a_fine() -> None:
    assert states_date("本法自2017年6月1日起施行。")
    assert states_date("本办法自印发之日起执行。")
    assert not states_date("本条例施行前制定的有关规定与本条例不一致的，依照本条例的规定执行。")
    assert states_fine("处一万元以上十万元以下罚款")
    assert not states_fine("应当在2个小时内报告")
    assert asks_for_fine("不落实等保义务被罚多少", "zh")


@pytest.mark.parametrize(
    ("question", "lang", "asks"),
    [
        ("会被处罚吗", "zh", True),
        ("被处罚的话最多罚多少", "zh", True),
        ("被治安处罚过的人还能干网安关键岗位吗", "zh", False),
        ("受过治安处罚的人还能干网安关键岗吗", "zh", False),
        ("what is the penalty for not reporting", "en", True),
        ("can someone who was punished for hacking work in a CII security role", "en", False),
    ],
)
def test_a_penalty_in_the_past_is_not_asked_about(question: str, lang: str, asks: bool) -> None:
    assert asks_for_fine(question, lang) is asks  # type: ignore[arg-type]


def test_who_is_liable_asks_about_liability_not_a_penalty() -> None:
    """A penalty question whose best article sets none is a decline signal (fine_missing);
    "锅谁背" and "who's liable" ask who answers for it, which a duty article says."""
    assert asks_about_penalty("云商违反这个办法要罚多少钱", "zh")
    assert asks_about_penalty("what's the fine for missing the deadline?", "en")
    assert not asks_about_penalty("出了事能怎么追责", "zh")
    assert not asks_about_penalty("we broke our own ACL and got breached, who's liable?", "en")
    assert asks_for_fine("who's liable?", "en")  # still a question about liability


@pytest.mark.parametrize(
    ("question", "lang", "asks"),
    [
        ("个人信息出境有哪几条路", "zh", True),
        ("啥情况下必须做个人信息保护影响评估", "zh", True),
        ("处理个人信息不用同意的例外有哪些", "zh", True),
        ("what are the legal routes to move personal info abroad?", "en", True),
        ("which factors go into the CII identification rules", "en", True),
        ("in what cases is an impact assessment required", "en", True),
        ("网络日志要保存多久", "zh", False),
        ("how long must logs be kept?", "en", False),
    ],
)
def test_questions_asking_for_the_items_of_a_list(question: str, lang: str, asks: bool) -> None:
    assert asks_for_list(question, lang) is asks  # type: ignore[arg-type]


def test_articles_that_enumerate_items() -> None:
    assert states_list("有下列情形之一的，应当事前进行个人信息保护影响评估：（一）处理敏感个人信息")
    assert not states_list("个人信息处理者向境外提供个人信息的，应当向个人告知境外接收方的名称")


@pytest.mark.parametrize(
    ("question", "lang", "asks"),
    [
        ("这个办法是根据哪几部法律定的？", "zh", True),
        ("政务云安全办法的上位法是啥", "zh", True),
        ("当初出台这个办法目的是啥", "zh", True),
        ("which laws are the Chongqing measures based on?", "en", True),
        ("what is the purpose of the data security law", "en", True),
        ("网信办约谈我们法人，网安法依据是哪条", "zh", False),
        ("处罚依据哪条", "zh", False),
        ("what must the provider report, and to whom?", "en", False),
    ],
)
def test_questions_asking_why_a_document_was_made(question: str, lang: str, asks: bool) -> None:
    assert asks_for_purpose(question, lang) is asks  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("question", "lang", "asks"),
    [
        ("全国网络安全工作谁来统筹协调", "zh", True),
        ("国家层面关基安全保护，网信和公安各管啥", "zh", True),
        ("which agency supervises CII protection nationally?", "en", True),
        ("is there a legal minimum for keeping logs in China", "en", True),
        ("政务云安全到底谁牵头", "zh", False),
        ("who coordinates gov cloud security in Chongqing", "en", False),
    ],
)
def test_questions_asked_at_the_national_level(question: str, lang: str, asks: bool) -> None:
    assert asks_nationally(question, lang) is asks  # type: ignore[arg-type]


def test_recipients_named_answer_whom_to_tell_a_generic_authority_does_not() -> None:
    assert asks_for_recipient("我们被勒索病毒攻击了，要通知谁？")
    assert asks_for_recipient("who do we have to notify after a breach?")
    assert not asks_for_recipient("网络日志要保存多久")
    assert names_recipients_by_name("在2个小时内向网信部门、公安部门、大数据主管部门等报告")
    assert not names_recipients_by_name("立即启动应急预案，并按照规定向有关主管部门报告。")


@pytest.mark.parametrize(
    ("question", "lang", "asks"),
    [
        ("我们系统被黑了，锅是我们的还是云服务商的？", "zh", True),
        ("物理机房出问题谁负责", "zh", True),
        ("数据泄露了，责任在谁", "zh", True),
        ("等保归谁管", "zh", True),
        ("违法了要承担哪些法律责任", "zh", False),  # liability: a sanction question
        ("要通知谁", "zh", False),
        ("is the provider or the tenant on the hook for physical security?", "en", True),
        ("who is responsible for patching our VMs, us or the provider?", "en", True),
        ("who's liable if data leaks?", "en", False),
        ("how fast do we report an incident?", "en", False),
    ],
)
def test_questions_asking_who_is_responsible(question: str, lang: str, asks: bool) -> None:
    assert asks_who_is_responsible(question, lang) is asks  # type: ignore[arg-type]


def test_articles_that_share_out_responsibility() -> None:
    assert allocates_responsibility(
        "云租户负责部署至政务云平台的信息系统的安全管理工作；政务云服务商负责基础设施的安全管理工作。"
    )
    # One party, a person in charge, and the persons fined do not share anything out.
    assert not allocates_responsibility("市网信部门负责统筹协调网络安全工作。")
    assert not allocates_responsibility("应当明确网络安全负责人，落实网络安全保护责任。")
    assert not allocates_responsibility(
        "处十万元以上罚款，对直接负责的主管人员处一万元以上罚款；直接负责的主管人员…"
    )


def test_a_liability_article_names_the_duties_it_punishes() -> None:
    assert cited_articles("网络运营者不履行本法第二十一条、第二十五条规定的网络安全保护义务的") == {
        21,
        25,
    }
    # A range, and a paragraph (款) between two articles.
    assert cited_articles("违反本法第二十二条第三款、第四十一条至第四十三条规定") == {
        22,
        41,
        42,
        43,
    }
    assert cited_articles("违反本法第二十二条第一款、第二款和第四十八条第一款规定") == {22, 48}
    # Another law's articles are not its own.
    assert cited_articles("依照《中华人民共和国网络安全法》第二十一条的规定") == frozenset()


def test_the_article_that_states_purpose_and_basis() -> None:
    assert states_purpose("为了保障网络安全，根据宪法，制定本法。")
    assert states_purpose("为规范政务云平台安全管理，根据《网络安全法》等法律法规，制定本办法。")
    # "制定本单位的应急预案" and "可以根据本办法制定本部门实施细则" are duties, not the purpose.
    assert not states_purpose("运营者应当按照国家应急预案，制定本单位应急预案。")
    assert not states_purpose("各区县可以根据本办法制定本地区实施细则。")


@pytest.mark.parametrize(
    ("question", "lang", "asks"),
    [
        ("网络运营者是指哪些单位", "zh", True),
        ("电子政务算不算关基", "zh", True),
        ("个人信息的定义是什么", "zh", True),
        ("what counts as sensitive personal information", "en", True),
        ("how does the CSL define a network operator?", "en", True),
        ("网络日志要保存多久", "zh", False),
        ("what does the provider have to do after a breach?", "en", False),
    ],
)
def test_questions_asking_what_a_term_means(question: str, lang: str, asks: bool) -> None:
    assert asks_for_definition(question, lang) is asks  # type: ignore[arg-type]


def test_a_traditional_question_asks_for_a_definition_once_converted() -> None:
    assert asks_for_definition(normalize_question("個人資訊的定義是什麼"), "zh")


def test_articles_that_define_a_term() -> None:
    assert states_definition("本法所称网络运营者，是指网络的所有者、管理者和网络服务提供者。")
    assert states_definition("本法下列用语的含义：（一）网络，是指……")
    assert not states_definition(
        "网络运营者应当按照网络安全等级保护制度的要求，履行下列安全保护义务"
    )


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("关基检查能收我们钱吗", True),
        ("破解别人加密的数据犯法吗", True),
        ("服务商运维没打招呼就进了我们的虚机，这合规吗", True),
        ("can the provider's ops team log into our VMs without asking us first", True),
        ("is it legal to sell anonymised records?", True),
        ("is there a legal minimum for how long logs are kept?", False),  # asks a period
        ("网络日志要保存多久", False),
    ],
)
def test_questions_asking_whether_something_is_allowed(question: str, asks: bool) -> None:
    assert asks_permission(question) is asks


def test_articles_that_forbid_something() -> None:
    assert states_prohibition("开展关键信息基础设施的安全检查工作不得收取费用")
    assert states_prohibition("未经云租户授权，云服务商不得访问云租户数据")
    assert not states_prohibition("应当在2个小时内向市网信部门报告")


def test_document_coverage_counts_words_found_anywhere_in_the_document(
    small_retriever: Retriever,
) -> None:
    retriever = small_retriever
    query = read_query("机房巡检和日志保存", "zh")
    covered = {d: retriever.coverage.document(query, d) for d in ("reg-a", "reg-b")}
    article = retriever.coverage.article(query, ("reg-b", 1))
    assert covered["reg-a"] == 0.0  # shares none of the topic words
    assert 0.0 < article < covered["reg-b"]  # article 1 has the inspection, not the logs


def test_the_ranker_fit_weighs_the_signal_that_marks_the_right_article() -> None:
    rng = np.random.default_rng(7)
    groups = []
    for _ in range(40):
        table = rng.normal(size=(6, 2))  # column 0 marks the right row, column 1 is noise
        correct = np.zeros(6)
        correct[2] = 1.0
        table[2, 0] += 3.0
        groups.append((table, correct))
    weights = fit_conditional_logit(groups)
    assert weights[0] > 1.0 and abs(weights[1]) < weights[0] / 3


def test_the_vectorized_fit_is_the_conditional_logit_over_groups_of_any_size() -> None:
    """Padding rows must take no share of a group's softmax: against a plain loop per group."""
    rng = np.random.default_rng(3)
    groups = []
    for size in (2, 7, 4, 11, 3) * 6:
        table = rng.normal(size=(size, 3))
        correct = np.zeros(size)
        correct[rng.integers(size)] = 1.0
        table[correct == 1, 1] += 1.5
        groups.append((table, correct))
    scale = np.concatenate([x for x, _ in groups]).std(axis=0) + 1e-9
    w = np.zeros(3)
    for _ in range(calibrate.STEPS):
        gradient = -calibrate.L2 * w
        for x, correct in groups:
            z = (x / scale) @ w
            p = np.exp(z - z.max())
            gradient += (correct / correct.sum() - p / p.sum()) @ (x / scale) / len(groups)
        w += calibrate.RATE * gradient
    assert fit_conditional_logit(groups) == pytest.approx(w / scale, rel=1e-6)


def test_the_threshold_declines_at_most_one_in_twenty_in_scope_questions() -> None:
    # 0.33336 would round up to 0.3334 and be declined by its own threshold
    in_scope = [(True, p) for p in [0.2, 0.25, 0.33336] + [0.5 + i / 100 for i in range(37)]]
    out_of_scope = [(False, p) for p in (0.1, 0.5, 0.95)]  # never move the threshold
    t = threshold(in_scope + out_of_scope)
    declined = sum(p < t for _, p in in_scope)
    assert declined == 2  # floor(0.05 * 40): the two least sure
    assert t <= in_scope[2][1]  # rounded down: the question it was read off is answered
    assert threshold(out_of_scope) == 0.5  # nothing in scope to read it off


def test_the_second_citation_gap_separates_two_document_questions() -> None:
    gaps = [(True, 0.5), (True, 1.0), (True, 4.0), (False, 2.0), (False, 3.0), (False, 6.0)]
    gaps += [(False, 9.0)]
    assert second_citation_gap(gaps) == 1.0
    assert second_citation_gap([(False, 1.0)]) == 3.0  # no two-document question: the default
    crowded = [(True, 1.0), (True, 4.0)] + [(False, g) for g in (0.5, 0.8, 3.0, 5.0, 6.0)]
    assert second_citation_gap(crowded) == 0.0  # within 1.0 already 40 % of the others: cite one


def test_the_vector_copy_is_reused_and_follows_a_changed_document(
    tmp_path: Path, embeddings: Embeddings
) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "reg-a.txt").write_text(REGULATION_A, encoding="utf-8")
    chroma = tmp_path / "chroma"
    vector = embeddings.embed_query("日志要保存多久")
    first = ArticleIndex(open_client(path=chroma), embeddings, cache_dir=chroma)
    ingest(first, [folder])
    assert len(list(chroma.glob("unit-vectors-zh-*.npz"))) == 1  # a fresh index writes it at once
    before = first.search("zh", vector, limit=3)
    again = ArticleIndex(open_client(path=chroma), embeddings, cache_dir=chroma)
    assert again.search("zh", vector, limit=3) == before  # read from the copy
    (folder / "reg-b.txt").write_text(REGULATION_B, encoding="utf-8")
    ingest(again, [folder])
    after = ArticleIndex(open_client(path=chroma), embeddings, cache_dir=chroma)
    assert (after.search("zh", vector, limit=1)[0].doc_id) == "reg-b"
    assert len(list(chroma.glob("unit-vectors-zh-*.npz"))) == 1  # the stale copy is gone


def test_an_english_phrase_does_not_cover_the_words_beside_it(small_retriever: Retriever) -> None:
    """ "report a joke": the glossary phrase (report -> 报告) is found in 第二条, the joke nowhere;
    counted as the only thing asked, the phrase made the question look fully covered."""
    query = read_query("report a joke", "en")
    assert small_retriever.coverage.article(query, ("reg-a", 2)) == 0.5
    assert small_retriever.coverage.article(read_query("report", "en"), ("reg-a", 2)) == 1.0
