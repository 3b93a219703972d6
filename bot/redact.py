"""Keep secrets out of logs: a logging Formatter that masks them in the finished line.

Redacting in the formatter, after the message, the exception's text and its traceback have been
put together, covers what a filter on the message alone misses: a token inside an exception's
message, a local variable shown in a traceback, a header the Slack SDK logs at DEBUG.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_PATTERNS = re.compile(
    r"(?P<slack>xox[abposre]-|xapp-)[A-Za-z0-9-]+"
    r"|(?P<bearer>Bearer\s+)[A-Za-z0-9._~+/=-]+"
    r"|(?P<userinfo>[a-z][a-z0-9+.-]*://[^:/@\s]+:)[^@\s]+(?=@)",  # a password in a URL
    re.IGNORECASE,
)
MIN_SECRET_CHARS = 6  # masking a shorter configured value would mask ordinary words


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """`text` with Slack tokens, bearer tokens, URL passwords and the given secrets masked."""
    for secret in secrets:
        if len(secret) >= MIN_SECRET_CHARS:
            text = text.replace(secret, "***")
    return _PATTERNS.sub(lambda m: next(g for g in m.groups() if g) + "***", text)


class RedactingFormatter(logging.Formatter):
    """A Formatter whose every output line has passed through `redact`."""

    def __init__(self, fmt: str = LOG_FORMAT, *, secrets: Iterable[str] = ()) -> None:
        super().__init__(fmt)
        self._secrets = tuple(secrets)

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record), self._secrets)

    def formatException(self, ei: object) -> str:  # logging caches this as exc_text
        return redact(super().formatException(ei), self._secrets)  # type: ignore[arg-type]


def install(level: str, secrets: Iterable[str] = ()) -> None:
    """Log to stderr at `level` through a RedactingFormatter (unless logging is already set up)."""
    handler = logging.StreamHandler()
    handler.setFormatter(RedactingFormatter(secrets=secrets))
    logging.basicConfig(level=level, handlers=[handler])
