"""Keep tokens out of logs: a filter that masks Slack tokens and bearer headers in every record."""

from __future__ import annotations

import logging
import re

_TOKEN = re.compile(r"(xox[abposr]-|xapp-)[A-Za-z0-9-]+|(Bearer\s+)[A-Za-z0-9._-]+")


def redact(text: str) -> str:
    return _TOKEN.sub(lambda m: (m.group(1) or m.group(2)) + "***", text)


class RedactTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


def install() -> None:
    """Attach the filter to every root handler (call after logging.basicConfig)."""
    for handler in logging.getLogger().handlers:
        handler.addFilter(RedactTokens())
