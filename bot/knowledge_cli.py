"""The answer-path subcommands of `compliance-bot`: ask, ingest and eval."""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

from bot.settings import Settings
from knowledge.types import Answer

EVAL_DATA = Path(__file__).resolve().parent.parent / "knowledge" / "eval_data"


def register(sub: argparse._SubParsersAction) -> None:
    ask = sub.add_parser("ask", help="answer a question from the indexed documents")
    ask.add_argument(
        "question", help="the question, in Chinese or English; '-' reads one question per line"
    )
    ask.add_argument(
        "--json", action="store_true", help="print JSON (one object per line with '-')"
    )
    ask.set_defaults(handler=_ask)

    ingest = sub.add_parser("ingest", help="index the documents; unchanged ones are skipped")
    ingest.add_argument(
        "paths", nargs="*", type=Path, help="files or directories (default: bundled + DOCS_DIR)"
    )
    ingest.set_defaults(handler=_ingest)

    evaluate = sub.add_parser("eval", help="score the answers on evaluation question files (TSV)")
    evaluate.add_argument(
        "--questions",
        type=Path,
        action="append",
        help=f"a question file (repeatable; default: every .tsv in {EVAL_DATA})",
    )
    evaluate.add_argument(
        "--docs",
        type=Path,
        action="append",
        default=[],
        help="more documents to index for this run, e.g. distractors (repeatable)",
    )
    evaluate.add_argument(
        "--no-renderings",
        action="store_true",
        help="ignore the English renderings (measures the cross-lingual path)",
    )
    evaluate.add_argument(
        "--index", type=Path, help="Chroma directory to use (default: one per document set)"
    )
    evaluate.add_argument(
        "--model",
        type=Path,
        help="a fitted model to answer with (`python -m knowledge.calibrate --out`), e.g. one "
        "fitted on another question file, to report figures on a set it never saw",
    )
    evaluate.add_argument("--json", action="store_true", help="print one JSON object")
    evaluate.add_argument("--no-misses", action="store_true", help="leave the misses out")
    evaluate.set_defaults(handler=_eval)


def answer_json(answer: Answer) -> dict[str, Any]:
    return {
        "question": answer.question,
        "answer": answer.text,
        "language": answer.language,
        "abstained": answer.abstained,
        "unsupported_language": answer.unsupported_language,
        "phrased_by": answer.phrased_by,
        "citations": [
            {**asdict(c), "document": c.doc_id, "document_title": c.doc_title}
            for c in answer.citations
        ],
    }


def _ask(args: argparse.Namespace, settings: Settings) -> int:
    from bot.knowledge_config import knowledge_config
    from knowledge.answer import EmptyQuestion
    from knowledge.engine import build_answerer

    answerer = build_answerer(knowledge_config(settings))
    if args.question != "-":
        try:
            answer = answerer.answer(args.question)
        except EmptyQuestion:
            print("请输入问题 / Please type a question.", file=sys.stderr)
            return 2
        print(
            json.dumps(answer_json(answer), ensure_ascii=False, indent=2)
            if args.json
            else answer.text
        )
        return 0
    for line in sys.stdin:
        if not line.strip():
            continue
        answer = answerer.answer(line)
        if args.json:
            print(json.dumps(answer_json(answer), ensure_ascii=False), flush=True)
        else:
            print(answer.text + "\n", flush=True)
    return 0


def _ingest(args: argparse.Namespace, settings: Settings) -> int:
    from bot.knowledge_config import knowledge_config
    from knowledge.engine import open_index
    from knowledge.ingest import describe, ingest
    from knowledge.loaders import LoadError

    config = knowledge_config(settings)
    paths = args.paths or list(config.docs)
    try:
        report = ingest(open_index(config), paths, progress=_progress)
    except LoadError as exc:
        print(f"ingest failed, index left unchanged: {exc}", file=sys.stderr)
        return 1
    for note in report.notes:
        print(note, file=sys.stderr)
    print(describe(report))
    return 0


def _progress(doc_id: str, done: int, total: int) -> None:
    end = "\n" if done == total else ""
    print(f"\r  embedding {doc_id}: {done}/{total} units", end=end, file=sys.stderr, flush=True)


def _eval(args: argparse.Namespace, settings: Settings) -> int:
    from bot.knowledge_config import knowledge_config
    from knowledge.engine import build_answerer
    from knowledge.eval import evaluate, format_report, summarize
    from knowledge.evalset import EvalFileError, read_questions
    from knowledge.ranking import load_model

    files = args.questions or sorted(EVAL_DATA.glob("*.tsv"))
    try:
        sets = {str(path): read_questions(path) for path in files}
    except (EvalFileError, OSError) as exc:
        print(exc, file=sys.stderr)
        return 2
    config = knowledge_config(settings)
    config = replace(
        config,
        docs=(*config.docs, *args.docs),
        renderings=not args.no_renderings,
        chroma_host="",  # an evaluation never touches a shared Chroma server's collections
    )
    config = replace(config, chroma_path=args.index or _eval_index_dir(settings, config))
    started = time.perf_counter()
    try:
        model = load_model(args.model) if args.model else None
    except (OSError, ValueError, KeyError) as exc:
        print(f"{args.model}: not a model file ({exc})", file=sys.stderr)
        return 2
    answerer = build_answerer(config)
    if model is not None:
        answerer.retriever.model = model
    answerer.answer("出了安全事件多久要上报？")
    cold_start = time.perf_counter() - started
    for warm_up in ("How fast must we report an incident?", "漏洞扫描多久做一次？"):
        answerer.answer(warm_up)
    reports = {}
    for name, questions in sets.items():
        reports[name] = summarize(evaluate(answerer.answer, questions))
    if args.json:
        print(
            json.dumps(
                {"start_to_first_answer_s": round(cold_start, 3), "files": reports},
                ensure_ascii=False,
            )
        )
        return 0
    indexed = ", ".join(d.doc_id for d in answerer.retriever.documents.values())
    print(f"indexed: {indexed}")
    print(f"start-up to first answer: {cold_start:.2f} s")
    for name, report in reports.items():
        print(format_report(name, report, misses=not args.no_misses))
    return 0


def _eval_index_dir(settings: Settings, config: Any) -> Path:
    """A private index per document set, so evaluating never rewrites the bot's own index."""
    key = json.dumps(
        [
            sorted(str(Path(p).resolve()) for p in config.docs),
            config.renderings,
            config.embedding_backend,
            config.embedding_model,
        ]
    )
    return settings.data_dir / "eval" / hashlib.sha256(key.encode()).hexdigest()[:12]
