"""Score the grammar on a set of realistic filings: exact, refused, or silently wrong.

python -m tests.commands.grammar_sets  (prints the figures for the dev and the held-out set)
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from commands.errors import UserError
from commands.grammar import Context
from commands.grammars import parse

DATA = Path(__file__).parent / "data"
TZ = ZoneInfo("Asia/Shanghai")
CONTEXT = Context(user="U1", lang="zh", now=datetime(2026, 11, 24, 10, 0, tzinfo=TZ), tz=TZ)


@dataclass(frozen=True)
class Outcome:
    text: str
    verdict: str  # exact | refused | wrong | missed (refused although it should parse)
    got: str


def _shown(value: object) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return "" if value is None else str(value)


def evaluate(name: str) -> list[Outcome]:
    outcomes = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        command, text, expected = line.split("\t")
        try:
            op = parse(command, text, CONTEXT)
        except UserError as error:
            verdict = "refused" if expected == "refused" else "missed"
            outcomes.append(Outcome(text, verdict, f"UserError: {error.en[:80]}"))
            continue
        got = {f.name: _shown(getattr(op, f.name)) for f in dataclasses.fields(op)}
        name_, _, spec = expected.partition(" ")
        wanted = dict(pair.split("=", 1) for pair in spec.split("; ") if pair) if spec else {}
        exact = type(op).__name__ == name_ and all(got[k] == v for k, v in wanted.items())
        outcomes.append(Outcome(text, "exact" if exact else "wrong", f"{type(op).__name__} {got}"))
    return outcomes


def main() -> None:
    for name in (
        "filings_dev.tsv",
        "filings_holdout.tsv",
        "filings_holdout2.tsv",
        "filings_holdout3.tsv",
    ):
        outcomes = evaluate(name)
        counts = {
            v: sum(o.verdict == v for o in outcomes)
            for v in ("exact", "refused", "missed", "wrong")
        }
        right = counts["exact"] + counts["refused"]
        print(
            f"{name}: {len(outcomes)} filings, {right} handled as intended "
            f"({counts['exact']} understood exactly, {counts['refused']} refused as they should be), "
            f"{counts['missed']} refused although valid, {counts['wrong']} silently wrong"
        )
        for o in outcomes:
            if o.verdict in ("missed", "wrong"):
                print(f"  {o.verdict}: {o.text!r} -> {o.got}")


if __name__ == "__main__":
    main()
