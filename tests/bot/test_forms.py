"""Forms carry typed values straight to the domain: what was typed in a field stays in that field,
and an error is shown beside the field it is about."""

from __future__ import annotations

import json

from sqlalchemy import select

from bot.services import Services
from commands.store.models import Incident, StaffChange
from tests.bot.conftest import SlackClient, view_submission
from tests.bot.fake_slack import FakeSlack


def _errors(body: str) -> dict[str, str]:
    answer = json.loads(body)
    assert answer["response_action"] == "errors"
    return dict(answer["errors"])


def test_quotes_and_field_words_inside_a_summary_stay_text(
    slack: SlackClient, fake: FakeSlack, services: Services
) -> None:
    summary = '门户 "首页" 被篡改 sev=low at=09:00 severity=高'
    values = {
        "summary": {"value": summary},
        "severity": {"selected_option": {"value": "high"}},
        "discovered": {"value": None},
    }
    assert slack.interaction(view_submission("incident_form", values))[0] == 200
    fake.wait_for("chat.postMessage", 2)
    with services.store.session() as session:
        incident = session.execute(select(Incident)).scalar_one()
    assert (incident.summary, incident.severity) == (summary, "high")


def test_a_name_with_quotes_and_spaces_is_stored_as_typed(
    slack: SlackClient, fake: FakeSlack, services: Services
) -> None:
    values = {
        "kind": {"selected_option": {"value": "join"}},
        "name": {"value": 'Li "Jack" Wei'},
        "role": {"value": "security ops lead"},
        "effective": {"selected_date": "2099-01-01"},
    }
    assert slack.interaction(view_submission("staff_change_form", values))[0] == 200
    fake.wait_for("chat.postMessage", 2)
    with services.store.session() as session:
        change = session.execute(select(StaffChange)).scalar_one()
    assert (change.name, change.role) == ('Li "Jack" Wei', "security ops lead")


def test_errors_are_shown_on_their_own_field(slack: SlackClient, services: Services) -> None:
    bad_time = {
        "summary": {"value": "病毒"},
        "severity": {"selected_option": {"value": "low"}},
        "discovered": {"value": "昨天下午"},
    }
    status, body = slack.interaction(view_submission("incident_form", bad_time, view_id="V2"))
    assert status == 200 and list(_errors(body)) == ["discovered"]
    blank = {
        "summary": {"value": "   "},
        "severity": {"selected_option": {"value": "low"}},
        "discovered": {"value": None},
    }
    status, body = slack.interaction(view_submission("incident_form", blank, view_id="V3"))
    assert list(_errors(body)) == ["summary"]
    with services.store.session() as session:
        assert session.execute(select(Incident)).first() is None
