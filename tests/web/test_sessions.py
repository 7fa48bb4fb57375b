"""Sliding session expiry: renewed with use, but not written on every page view."""

from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.helpers import console_login
from unlockdesk.staff.models import Agent
from unlockdesk.web import sessions

pytestmark = pytest.mark.django_db


def _session_writes(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return sum(1 for q in captured.captured_queries
               if "django_session" in q["sql"] and not q["sql"].lstrip().upper().startswith("SELECT"))


def test_page_views_within_the_refresh_interval_do_not_write_the_session(
        client: Client, agent: Agent) -> None:
    console_login(client, agent)
    client.get("/console/")
    assert _session_writes(client, "/console/") == 0


def test_the_expiry_slides_once_the_refresh_interval_has_passed(
        client: Client, agent: Agent, monkeypatch: Any, settings: Any) -> None:
    console_login(client, agent)
    client.get("/console/")
    key = client.session.session_key
    before = Session.objects.get(session_key=key).expire_date
    real, later = sessions.time.time, settings.UNLOCKDESK_SESSION_REFRESH_SECONDS + 5
    monkeypatch.setattr(sessions.time, "time", lambda: real() + later)
    assert _session_writes(client, "/console/") >= 1
    assert Session.objects.get(session_key=key).expire_date > before


def test_anonymous_requests_make_no_session(client: Client) -> None:
    client.get("/")
    assert not Session.objects.exists()
