"""Index the regulation(s): `python ingest_docs.py [PATHS...]` (same as `compliance-bot ingest`)."""

from __future__ import annotations

import sys

from bot.cli import main

if __name__ == "__main__":
    sys.exit(main(["ingest", *sys.argv[1:]]))
