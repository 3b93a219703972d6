"""Evidence that a duty was done, as a file uploaded in the form (downloaded with the bot token
and hashed) or a link, end to end over real HTTP against the fake Slack."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import select

from bot.evidence_files import trusted_file_url
from bot.services import Services
from commands.report import render_month
from commands.store import repo
from commands.store.models import AuditEntry, ObligationCompletion
from tests.bot.conftest import BOT_TOKEN, SlackClient, view_submission
from tests.bot.fake_slack import FakeSlack

CONTENT = b"%PDF-1.7\n" + bytes(range(256)) * 300  # a 77 kB scan report
DIGEST = hashlib.sha256(CONTENT).hexdigest()


def _form(values: dict[str, Any], view_id: str, user: str = "UZH") -> dict[str, Any]:
    metadata = json.dumps({"lang": "en" if user == "UEN" else "zh"})
    return view_submission(
        "deadlines_done_form", values, view_id, user=user, private_metadata=metadata
    )


def _values(
    duty: str = "vuln-scan", *, file: dict[str, Any] | None = None, link: str = "", note: str = ""
) -> dict[str, Any]:
    return {
        "obligation": {"type": "static_select", "selected_option": {"value": duty}},
        "file": {"type": "file_input", "files": [file] if file else []},
        "link": {"type": "plain_text_input", "value": link or None},
        "note": {"type": "plain_text_input", "value": note or None},
    }


def _completions(services: Services) -> list[ObligationCompletion]:
    with services.store.session() as session:
        return list(session.execute(select(ObligationCompletion)).scalars())


def test_deadlines_done_without_an_id_opens_the_form_with_a_file_input(
    slack: SlackClient, fake: FakeSlack, services: Services
) -> None:
    slack.command("/deadlines", "done", user="UEN", trigger_id="trig-done")
    view = fake.wait_for("views.open")[0].args["view"]
    assert view["callback_id"] == "deadlines_done_form"
    kinds = {b.get("block_id"): b.get("element", {}).get("type") for b in view["blocks"]}
    assert kinds["file"] == "file_input" and kinds["obligation"] == "static_select"
    assert "Vulnerability scan" in str(view) and _completions(services) == []
    # The Home tab's button opens the same form.
    slack.interaction(
        {
            "type": "block_actions",
            "user": {"id": "UZH"},
            "trigger_id": "trig-home",
            "view": {"id": "VHOME", "type": "home"},
            "actions": [{"action_id": "home_open:deadlines-done", "value": "deadlines-done"}],
        }
    )
    assert fake.wait_for("views.open", 2)[1].args["view"]["callback_id"] == "deadlines_done_form"


def test_an_uploaded_file_is_downloaded_with_the_bot_token_and_its_sha256_recorded(
    slack: SlackClient, fake: FakeSlack, services: Services
) -> None:
    shared = fake.add_file("漏扫报告-2026-11.pdf", CONTENT)
    status, body = slack.interaction(
        _form(_values(file={"id": shared["id"], "name": shared["name"]}, note="月度漏扫"), "VF1")
    )
    assert status == 200 and "errors" not in body
    assert fake.wait_for("files.info")[0].args["file"] == shared["id"]
    (download,) = fake.wait_for("download")
    assert download.headers["authorization"] == f"Bearer {BOT_TOKEN}"
    dm = next(c for c in fake.wait_for("chat.postMessage") if c.args["channel"] == "UZH")
    assert f"SHA-256 {DIGEST}" in dm.args["text"] and "漏扫报告-2026-11.pdf" in dm.args["text"]
    (done,) = _completions(services)
    assert (done.obligation_id, done.evidence, done.filed_by) == ("vuln-scan", "月度漏扫", "UZH")
    assert (done.evidence_file, done.evidence_sha256) == ("漏扫报告-2026-11.pdf", DIGEST)
    assert done.evidence_link == shared["permalink"]
    with services.store.session() as session:
        assert repo.verify_audit(session).ok
        records = [e.record for e in session.execute(select(AuditEntry)).scalars()]
    assert any(DIGEST in json.dumps(record) for record in records)
    month = services.now().strftime("%Y-%m")
    report = render_month(
        services.store, month=month, fmt="md", tz=services.settings.tz, now=services.now()
    )
    assert DIGEST in str(report)


def test_a_link_is_filed_before_the_ack_and_bad_input_shows_on_its_field(
    slack: SlackClient, fake: FakeSlack, services: Services
) -> None:
    shared = fake.add_file("a.pdf", CONTENT)
    both = _values(file={"id": shared["id"]}, link="https://wiki.example/scan")
    status, body = slack.interaction(_form(both, "VB", user="UEN"))
    assert "a file or a link, not both" in json.loads(body)["errors"]["link"]
    status, body = slack.interaction(_form(_values(link="ftp://files.example/x"), "VX"))
    assert "link" in json.loads(body)["errors"]
    status, body = slack.interaction(_form(_values("no-such-duty"), "VN"))
    assert "obligation" in json.loads(body)["errors"]
    assert fake.of("download") == [] and _completions(services) == []
    status, body = slack.interaction(_form(_values(link="https://wiki.example/scan/11"), "VL"))
    assert status == 200 and "errors" not in body
    (done,) = _completions(services)
    assert (done.evidence_link, done.evidence_sha256) == ("https://wiki.example/scan/11", "")
    status, body = slack.interaction(_form(_values(link="https://wiki.example/again"), "VL2"))
    assert "已记录完成" in json.loads(body)["errors"]["obligation"]


def test_a_download_that_is_not_the_file_records_nothing_and_says_why(
    slack: SlackClient, fake: FakeSlack, services: Services
) -> None:
    fake.download_token = "xoxb-another-app"  # ours lacks files:read: Slack serves its sign-in page
    shared = fake.add_file("scan.pdf", CONTENT)
    slack.interaction(_form(_values(file={"id": shared["id"]}), "VH", user="UEN"))
    dm = fake.wait_for("chat.postMessage")[0].args
    assert dm["channel"] == "UEN" and "sign-in page" in dm["text"] and "files:read" in dm["text"]
    fake.download_token = None
    fake.files[shared["id"]]["size"] = len(CONTENT) + 1  # the connection was cut short
    slack.interaction(_form(_values(file={"id": shared["id"]}), "VS", user="UEN"))
    assert "bytes" in fake.wait_for("chat.postMessage", 2)[1].args["text"]
    fake.files[shared["id"]]["url_private_download"] = "https://attacker.example/steal"
    slack.interaction(_form(_values(file={"id": shared["id"]}), "VE", user="UEN"))
    assert "not a Slack file address" in fake.wait_for("chat.postMessage", 3)[2].args["text"]
    assert len(fake.of("download")) == 2  # the token never went to the attacker's host
    assert _completions(services) == []


def test_only_slack_file_hosts_or_the_api_host_get_the_token() -> None:
    api = "https://slack.com/api/"
    assert trusted_file_url("https://files.slack.com/files-pri/T1-F1/a.pdf", api)
    assert trusted_file_url("https://files.slack-gov.com/files-pri/T1-F1/a.pdf", api)
    assert not trusted_file_url("http://files.slack.com/files-pri/T1-F1/a.pdf", api)
    assert not trusted_file_url("https://files.slack.com.evil.example/a.pdf", api)
    assert not trusted_file_url("https://evilslack.com/a.pdf", api)
    assert not trusted_file_url("", api)
    assert trusted_file_url("http://127.0.0.1:8123/files-pri/x", "http://127.0.0.1:8123/api/")
    assert not trusted_file_url("http://127.0.0.1:9999/files-pri/x", "http://127.0.0.1:8123/api/")
