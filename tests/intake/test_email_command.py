"""`unlockdesk ingest-email FILE...`: one JSON line per file, safe to re-run, stdin with '-'."""

import io
import json
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.intake.mailfactory import mail

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data" / "mail"
KEYS = ["file", "message_id", "status", "ticket", "acknowledged", "reason"]


def _run(*args: str) -> tuple[list[dict], int]:
    out = io.StringIO()
    code = 0
    try:
        call_command("ingest-email", *args, stdout=out)
    except SystemExit as exc:
        code = int(exc.code or 0)
    return [json.loads(line) for line in out.getvalue().splitlines()], code


def test_files_print_one_json_object_each_and_rerun_is_duplicate() -> None:
    files = [str(DATA / "utf8_plain.eml"), str(DATA / "big5.eml")]
    first, code = _run(*files)
    assert code == 0
    assert [list(line) for line in first] == [KEYS, KEYS]  # the documented order
    assert [line["status"] for line in first] == ["created", "created"]
    assert first[0]["file"] == files[0] and first[0]["message_id"] == "<utf8-plain@example.com>"
    again, _code = _run(*files)
    assert [line["status"] for line in again] == ["duplicate", "duplicate"]
    assert [line["ticket"] for line in again] == [line["ticket"] for line in first]


def test_rejected_and_missing_files_are_reported_and_exit_non_zero() -> None:
    lines, code = _run(str(DATA / "no_from.eml"), "/nonexistent/x.eml")
    assert code == 1
    assert [line["status"] for line in lines] == ["rejected", "rejected"]
    assert "From" in lines[0]["reason"] and "cannot read" in lines[1]["reason"]


def test_stdin_is_read_with_a_dash(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(mail(message_id="<stdin@x.example>"))))
    [line], _code = _run("-")
    assert (line["file"], line["status"], line["message_id"]) == ("-", "created", "<stdin@x.example>")


def test_history_import_without_acknowledgements() -> None:
    [line], _code = _run("--no-acknowledge", str(DATA / "utf8_plain.eml"))
    assert line["status"] == "created" and line["acknowledged"] is False
