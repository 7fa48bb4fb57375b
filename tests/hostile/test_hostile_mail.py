"""Hostile mail: MIME nested far deeper than any real message is a `rejected` result with a
reason on every path (file, SMTP, provider webhook), and the next message still goes in."""

import io
import json
import smtplib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from django.core.management import call_command

from tests.intake import webhook_signing as hooks
from tests.intake.mailfactory import mail
from tests.intake.servers import free_port
from unlockdesk.intake.mail import smtpd
from unlockdesk.intake.mail.ingest import ingest
from unlockdesk.tickets.models import Message

pytestmark = pytest.mark.django_db(transaction=True)


def nested_mail(depth: int, message_id: str = "<deep@example.com>") -> bytes:
    """A message whose parts nest `depth` multiparts deep around one text part."""
    body = b"Content-Type: text/plain; charset=utf-8\r\n\r\nhello\r\n"
    for level in range(depth):
        boundary = f"b{level}".encode()
        body = (b'Content-Type: multipart/mixed; boundary="' + boundary + b'"\r\n\r\n--' + boundary
                + b"\r\n" + body + b"\r\n--" + boundary + b"--\r\n")
    return (b"From: stranger@example.com\r\nTo: support@okx.com\r\nSubject: deep\r\n"
            b"Message-ID: " + message_id.encode() + b"\r\nMIME-Version: 1.0\r\n" + body)


@pytest.fixture
def desk_port() -> Iterator[int]:
    port = free_port()
    listener = smtpd.start("127.0.0.1", port)
    yield port
    listener.stop()


@pytest.mark.parametrize("depth", [300, 1000])
def test_deeply_nested_mail_is_rejected_with_a_reason(depth: int) -> None:
    result = ingest(nested_mail(depth))
    assert result.status == "rejected" and "nested" in result.reason
    assert Message.objects.count() == 0


def test_mail_nested_as_real_mail_is_still_taken() -> None:
    assert ingest(nested_mail(5)).status == "created"


def test_ingest_email_command_reports_deep_mail_and_goes_on_to_the_next_file(tmp_path: Path) -> None:
    deep, good = tmp_path / "deep.eml", tmp_path / "good.eml"
    deep.write_bytes(nested_mail(1000))
    good.write_bytes(mail(message_id="<after-deep@example.com>"))
    out = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("ingest-email", str(deep), str(good), stdout=out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [line["status"] for line in lines] == ["rejected", "created"]
    assert "nested" in lines[0]["reason"]


def test_smtp_answers_deep_mail_with_550_not_a_retry(desk_port: int) -> None:
    with smtplib.SMTP("127.0.0.1", desk_port, timeout=30) as client, \
            pytest.raises(smtplib.SMTPDataError) as refused:
        client.sendmail("stranger@example.com", ["support@okx.com"], nested_mail(1000))
    assert refused.value.smtp_code == 550
    assert Message.objects.count() == 0


@pytest.mark.parametrize(("depth", "status", "result"), [(1000, 400, None), (300, 200, "rejected")])
def test_mailgun_delivery_of_deep_mail_is_refused_not_a_crash(
    live_server: Any, settings: Any, depth: int, status: int, result: str | None,
) -> None:
    hooks.configure(settings)
    response = httpx.post(live_server.url + hooks.PATHS["mailgun"], timeout=30,
                          data=hooks.mailgun_form(nested_mail(depth)),
                          headers={"Authorization": hooks.basic_auth()})
    assert response.status_code == status, response.text
    if result is not None:
        assert response.json()["results"][0]["status"] == result
    assert Message.objects.count() == 0
