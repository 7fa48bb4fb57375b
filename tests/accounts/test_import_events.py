"""`unlockdesk import-events`, `account` and `seed-demo`: files go through the same path as
pushes, with one JSON summary line, refused lines named, and re-runs that change nothing."""

import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from tests.accounts.feed_events import account_event, lock_event, transaction_event
from tests.factories import inbound
from tests.helpers import console_login, portal_login
from unlockdesk.accounts.models import AccountLock, ExchangeAccount, FeedEvent, Transaction
from unlockdesk.staff.models import Agent
from unlockdesk.tickets.models import Ticket
from unlockdesk.tickets.services import receive
from unlockdesk.tickets.types import Channel, IdentityKind

pytestmark = pytest.mark.django_db

REASONS = ["risk_control", "suspicious_login", "wrong_codes", "security_change_hold",
           "self_freeze", "compliance_review", "stolen_report"]


def write_jsonl(path: Path, lines: list[Any]) -> Path:
    path.write_text("\n".join(x if isinstance(x, str) else json.dumps(x, ensure_ascii=False)
                              for x in lines) + "\n", encoding="utf-8")
    return path


def run(*args: str) -> dict[str, Any]:
    out = io.StringIO()
    call_command("import-events", *args, stdout=out)
    lines = out.getvalue().strip().splitlines()
    assert len(lines) == 1, "exactly one summary line"
    summary: dict[str, Any] = json.loads(lines[0])
    return summary


def ten_thousand_events() -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    for n in range(4000):
        uid = str(40000000 + n)
        events.append(account_event(uid, email=f"bulk{n}@example.com", phone=f"+86137{n:08d}",
                                    kyc_name="陈静"))
        events.append(lock_event(uid, lock_id=f"BL-{n}", reason=REASONS[n % 7]))
    for n in range(2000):
        events.append(transaction_event(str(40000000 + n), tx_id=f"BT-{n}"))
    return events


def test_ten_thousand_events_import_and_show_on_the_lock_page_and_console(
        tmp_path: Path, client: Client, agent: Agent) -> None:
    events = ten_thousand_events()
    summary = run(str(write_jsonl(tmp_path / "events.jsonl", events)))
    assert {k: summary[k] for k in ("read", "stored", "unchanged", "refused")} == {
        "read": 10000, "stored": 10000, "unchanged": 0, "refused": 0}
    assert summary["last_line"] == 10000 and summary["refused_lines"] == []
    assert (ExchangeAccount.objects.count(), AccountLock.objects.count(),
            Transaction.objects.count()) == (4000, 4000, 2000)

    portal_login(client, "bulk2@example.com")  # UID 40000002: wrong_codes (2 % 7)
    assert 'data-reason="wrong_codes"' in client.get("/portal/").content.decode()
    client.post("/portal/signout/")

    ticket = Ticket.objects.get(pk=receive(inbound(
        channel=Channel.WEB, sender="bulk5@example.com", verified=True,
        kind=IdentityKind.EMAIL)).ticket_id)
    console_login(client, agent)
    page = client.get(f"/console/tickets/{ticket.number}/", HTTP_ACCEPT_LANGUAGE="en")
    panel = page.content.decode().split('id="account-panel"')[1]
    assert "40000005" in panel and "Compliance review" in panel  # 5 % 7: compliance_review


def test_rerunning_a_file_changes_nothing(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "e.jsonl", [account_event("31000001"), lock_event("31000001")])
    assert run(str(path))["stored"] == 2
    again = run(str(path))
    assert (again["read"], again["stored"], again["unchanged"]) == (2, 0, 2)
    assert FeedEvent.objects.count() == 2


def test_refused_lines_are_named_with_their_reasons(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "e.jsonl", [
        account_event("31000001"),
        "{not json",
        lock_event("31000001", reason="bored"),
        "",
        lock_event("31000001", since="2026-12-01"),
        account_event("UID-1"),
    ])
    summary = run(str(path))
    assert (summary["read"], summary["stored"], summary["refused"]) == (5, 1, 4)
    assert [(r["line"], r["reason"]) for r in summary["refused_lines"]] == [
        (2, "bad_json"), (3, "unknown_reason"), (5, "bad_date"), (6, "bad_uid")]
    assert not AccountLock.objects.exists()


def test_from_line_resumes_an_interrupted_import(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "e.jsonl", [account_event(str(31000001 + n)) for n in range(6)])
    summary = run(str(path), "--from-line", "4")
    assert (summary["read"], summary["stored"], summary["last_line"]) == (3, 3, 6)
    assert sorted(ExchangeAccount.objects.values_list("uid", flat=True)) == [
        "31000004", "31000005", "31000006"]


def test_small_batches_commit_as_they_go(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "e.jsonl", [account_event(str(31000001 + n)) for n in range(7)])
    assert run(str(path), "--batch-size", "3")["stored"] == 7


def test_reads_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    data = (json.dumps(account_event("31000001")) + "\n").encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    assert run("-")["stored"] == 1


def test_missing_file_is_a_clear_error() -> None:
    with pytest.raises(CommandError, match="no such file"):
        call_command("import-events", "/nonexistent/events.jsonl")


def test_account_command_prints_the_mirror_view(tmp_path: Path) -> None:
    run(str(write_jsonl(tmp_path / "e.jsonl", [
        account_event("31000001"), lock_event("31000001"),
        lock_event("31000001", lock_id="L-2", reason="wrong_codes", restrictions=["login"],
                   lifted_at="2026-12-01T12:00:00+08:00"),
    ])))
    ticket = Ticket.objects.get(pk=receive(inbound(
        channel=Channel.WEB, sender="u31000001@example.com", verified=True,
        kind=IdentityKind.EMAIL)).ticket_id)
    out = io.StringIO()
    call_command("account", "31000001", stdout=out)
    view = json.loads(out.getvalue())
    assert view["uid"] == "31000001" and view["kyc_name_masked"] == "张*"
    assert {(lock["reason"], lock["active"]) for lock in view["locks"]} == {
        ("risk_control", True), ("wrong_codes", False)}
    assert view["locks"][0]["since"].startswith("2026-12-01T")
    assert [t["number"] for t in view["open_tickets"]] == [ticket.number]
    assert "张伟" not in out.getvalue() and "11010519491231002X" not in out.getvalue()


def test_account_command_unknown_uid() -> None:
    with pytest.raises(CommandError, match="no account"):
        call_command("account", "99999999")


def test_seed_demo_loads_accounts_through_the_import_path() -> None:
    call_command("seed-demo", "--accounts", "12", "--tickets-per-channel", "1", stdout=io.StringIO())
    assert FeedEvent.objects.filter(event_id__startswith="demo-account-").count() == 12
    assert FeedEvent.objects.filter(event_id__startswith="demo-lock-").count() == \
        AccountLock.objects.exclude(lock_id="").count() > 0
    hold = AccountLock.objects.get(account__uid="10000002")
    assert hold.reason == "security_change_hold" and hold.auto_lift_at is not None
    events = FeedEvent.objects.count()
    call_command("seed-demo", "--accounts", "12", "--tickets-per-channel", "1", stdout=io.StringIO())
    assert FeedEvent.objects.count() == events


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_shows_on_a_terminal_and_stdout_keeps_one_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    path = write_jsonl(tmp_path / "e.jsonl", [account_event(str(31000001 + n)) for n in range(5)])
    assert run(str(path), "--batch-size", "2")["stored"] == 5
    progress = terminal.getvalue()
    assert progress.count("\r") == 3 and "100.0%" in progress and "stored 5" in progress
