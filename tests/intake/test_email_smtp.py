"""A real SMTP conversation over loopback: a client hands mail to the desk's listener, the
ticket is stored, and the acknowledgement and the agent's reply reach a local SMTP server."""

import smtplib
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.intake.mailfactory import mail
from tests.intake.servers import Sink, count_rows, free_port, process_env, shared_database_url, start_sink
from unlockdesk.intake.mail import smtpd
from unlockdesk.tickets.models import Direction, Ticket
from unlockdesk.tickets.services import reply

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def sink(settings) -> Iterator[Sink]:  # type: ignore[no-untyped-def]
    sink, controller = start_sink()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    yield sink
    controller.stop()


@pytest.fixture
def desk_port() -> Iterator[int]:
    port = free_port()
    listener = smtpd.start("127.0.0.1", port)
    yield port
    listener.stop()


def test_mail_over_smtp_opens_a_ticket_and_the_answers_go_out_by_smtp(
    sink: Sink, desk_port: int, agent,  # type: ignore[no-untyped-def]
) -> None:
    with smtplib.SMTP("127.0.0.1", desk_port, timeout=10) as client:
        refused = client.sendmail("li.ming@example.com", ["support@okx.com"],
                                  mail(sender="li.ming@example.com", message_id="<smtp-1@example.com>"))
    assert refused == {}
    ticket = Ticket.objects.get()
    assert ticket.messages.get(direction=Direction.INBOUND).headers["source"] == "smtp"
    [ack] = sink.received
    assert ack["To"] == "li.ming@example.com" and ticket.number in ack["Subject"]
    assert ack["In-Reply-To"] == "<smtp-1@example.com>" and ack["Auto-Submitted"] == "auto-replied"
    answer = reply(ticket=ticket, agent=agent, text="请按清单准备材料。")
    deadline = time.monotonic() + 5
    while len(sink.received) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    sent = sink.received[1]
    assert sent["Message-ID"] == f"<ud-{answer.pk}@okx.com>"
    assert sent.get_body(("html",)) is not None and sent.get_body(("plain",)) is not None
    assert agent.agent_number in sent.get_body(("plain",)).get_content()


def test_same_message_sent_twice_over_smtp_is_stored_once(sink: Sink, desk_port: int) -> None:
    raw = mail(message_id="<twice@example.com>")
    for _attempt in range(2):
        with smtplib.SMTP("127.0.0.1", desk_port, timeout=10) as client:
            client.sendmail("li.ming@example.com", ["support@okx.com"], raw)
    assert Ticket.objects.count() == 1 and len(sink.received) == 1


def test_mail_with_a_null_reverse_path_is_never_answered(sink: Sink, desk_port: int) -> None:
    # A bounce without DSN structure, from an address that does not look like a daemon.
    with smtplib.SMTP("127.0.0.1", desk_port, timeout=10) as client:
        client.sendmail("<>", ["support@okx.com"], mail(sender="notices@relay.example.com"))
    assert Ticket.objects.count() == 0 and sink.received == []


def test_listener_refuses_other_domains_and_malformed_mail(desk_port: int) -> None:
    with smtplib.SMTP("127.0.0.1", desk_port, timeout=10) as client:
        with pytest.raises(smtplib.SMTPRecipientsRefused):
            client.sendmail("a@example.com", ["someone@elsewhere.example"], mail())
        with pytest.raises(smtplib.SMTPDataError) as refused:
            client.sendmail("a@example.com", ["support@okx.com"], b"Subject: no sender\r\n\r\nhi\r\n")
    assert refused.value.smtp_code == 550 and b"From" in refused.value.smtp_error
    assert Ticket.objects.count() == 0


def test_lmtp_answers_each_recipient(sink: Sink) -> None:
    """RFC 2033: one reply per accepted recipient after DATA (smtplib's LMTP reads only one)."""
    port = free_port()
    listener = smtpd.start("127.0.0.1", port, lmtp=True)
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
            replies = conn.makefile("rb")
            commands = [b"LHLO test", b"MAIL FROM:<a@example.com>", b"RCPT TO:<support@okx.com>",
                        b"RCPT TO:<help@okx.com>", b"DATA"]
            assert replies.readline().startswith(b"220")
            for command in commands:
                conn.sendall(command + b"\r\n")
                line = replies.readline()
                while line[3:4] == b"-":
                    line = replies.readline()
                assert line[:1] in (b"2", b"3"), line
            conn.sendall(mail().replace(b"\n.", b"\n..") + b"\r\n.\r\n")
            answers = [replies.readline(), replies.readline()]
    finally:
        listener.stop()
    assert all(answer.startswith(b"250 2.0.0 created") for answer in answers), answers
    assert Ticket.objects.count() == 1


def test_unlockdesk_smtpd_command_takes_mail_into_the_desk_and_stops_cleanly(tmp_path: Path) -> None:
    """The real command in a process of its own, on the test's database, answering by SMTP."""
    sink, outbound = start_sink()
    port = free_port()
    env = process_env(tmp_path, shared_database_url(tmp_path),
                      UNLOCKDESK_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
                      UNLOCKDESK_SMTP_HOST="127.0.0.1", UNLOCKDESK_SMTP_PORT=str(outbound.port))
    command = [str(Path(sys.executable).with_name("unlockdesk")), "smtpd", "--host", "127.0.0.1",
               "--port", str(port)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, env=env, text=True)
    try:
        assert process.stdout is not None
        assert f"SMTP listening on 127.0.0.1:{port}" in process.stdout.readline()
        with smtplib.SMTP("127.0.0.1", port, timeout=60) as client:
            assert client.ehlo()[0] == 250
            assert client.mail("li.ming@example.com")[0] == 250
            assert client.rcpt("support@okx.com")[0] == 250
            code, answer = client.data(mail(sender="li.ming@example.com", message_id="<cmd@example.com>"))
        assert code == 250 and answer.startswith(b"2.0.0 created UD-"), answer
        number = answer.decode().rsplit(" ", 1)[-1]
        deadline = time.monotonic() + 30
        while not sink.received and time.monotonic() < deadline:
            time.sleep(0.1)
        [ack] = sink.received
        assert ack["To"] == "li.ming@example.com" and f"[{number}]" in ack["Subject"]
        assert ack["In-Reply-To"] == "<cmd@example.com>"
        assert count_rows(env["DATABASE_URL"], Ticket)["Ticket"] == 1
    finally:
        process.terminate()
        assert process.wait(timeout=30) == 0
        outbound.stop()
