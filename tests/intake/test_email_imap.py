"""IMAP polling against a real Dovecot: each message is taken in once (UID cursor), marked
seen or moved after commit, a UIDVALIDITY change is survived, and IDLE wakes the watcher."""

import io
import json
import threading
import time
import uuid
from collections.abc import Iterator

import pytest
from django.core.management import CommandError, call_command

from tests.intake import dovecot
from tests.intake.mailfactory import mail
from unlockdesk.intake.mail import imap
from unlockdesk.intake.mail.models import MailboxCursor
from unlockdesk.tickets.models import Message, Ticket

pytestmark = [
    pytest.mark.skipif(not dovecot.DOVECOT, reason="dovecot is not installed (make test installs it)"),
]


@pytest.fixture(scope="module")
def dovecot_server() -> Iterator[dovecot.Dovecot]:
    instance = dovecot.start()
    yield instance
    instance.stop()


@pytest.fixture
def server(dovecot_server: dovecot.Dovecot) -> dovecot.Dovecot:
    """The shared server, with a mailbox of this test's own (any user name logs in)."""
    return dovecot.Dovecot(dovecot_server.port, dovecot_server.root, dovecot_server.process,
                           user=f"support{uuid.uuid4().hex[:8]}")


def _poll(server: dovecot.Dovecot, url: str) -> list[str]:
    mailbox = imap.mailbox_from_url(url)
    client = imap.connect(mailbox)
    try:
        return [r.status for r in imap.poll_once(client, mailbox)]
    finally:
        client.logout()


@pytest.mark.django_db
def test_each_message_is_taken_in_once_and_marked_seen(server: dovecot.Dovecot) -> None:
    with server.client() as client:
        client.append("INBOX", mail(message_id="<imap-1@example.com>"))
        client.append("INBOX", mail(message_id="<imap-2@example.com>", sender="b@example.com"))
    assert _poll(server, server.url()) == ["created", "created"]
    assert _poll(server, server.url()) == []
    with server.client() as client:
        client.select_folder("INBOX")
        assert len(client.search(["SEEN"])) == 2
        client.append("INBOX", mail(message_id="<imap-3@example.com>"))
    assert _poll(server, server.url()) == ["created"]
    assert Message.objects.filter(headers__source="imap").count() == 3
    assert MailboxCursor.objects.get().last_uid == 3


@pytest.mark.django_db
def test_processed_messages_move_to_the_processed_folder(server: dovecot.Dovecot) -> None:
    with server.client() as client:
        client.create_folder("Done")
        client.append("INBOX", mail())
    assert _poll(server, server.url(query="?processed=Done")) == ["created"]
    with server.client() as client:
        assert client.select_folder("INBOX")[b"EXISTS"] == 0
        assert client.select_folder("Done")[b"EXISTS"] == 1


@pytest.mark.django_db
def test_a_new_uidvalidity_rereads_but_stores_nothing_twice(server: dovecot.Dovecot) -> None:
    with server.client() as client:
        client.append("INBOX", mail(message_id="<imap-same@example.com>"))
    assert _poll(server, server.url()) == ["created"]
    MailboxCursor.objects.update(uidvalidity=1)  # as if the server had rebuilt its index
    assert _poll(server, server.url()) == ["duplicate"]
    assert Ticket.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_watcher_wakes_on_idle_and_takes_new_mail(server: dovecot.Dovecot) -> None:
    stop = threading.Event()
    seen: list[str] = []
    watcher = threading.Thread(target=imap.watch, args=(imap.mailbox_from_url(server.url()), stop),
                               kwargs={"interval": 300, "report": lambda uid, r: seen.append(r.status)})
    watcher.start()
    try:
        time.sleep(0.5)  # the watcher is now idling; only IDLE can wake it before 300 s
        with server.client() as client:
            client.append("INBOX", mail(message_id="<idle@example.com>"))
        deadline = time.monotonic() + 60  # generous: the machine is shared by many jobs
        while not seen and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        stop.set()
        watcher.join(timeout=15)
    assert seen == ["created"]
    assert Message.objects.filter(external_id="<idle@example.com>").exists()


@pytest.mark.django_db
def test_poll_imap_once_prints_one_json_line_per_message(server: dovecot.Dovecot) -> None:
    with server.client() as client:
        client.append("INBOX", mail(message_id="<cmd-1@example.com>"))
        client.append("INBOX", b"this is not a message")
    out = io.StringIO()
    call_command("poll-imap", "--once", "--mailbox", server.url(), stdout=out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [(line["status"], line["message_id"]) for line in lines] == [
        ("created", "<cmd-1@example.com>"), ("rejected", "")]
    assert lines[0]["file"].endswith("/INBOX#1")
    assert dovecot.PASSWORD not in out.getvalue()


def test_poll_imap_without_a_mailbox_is_a_clear_error(settings) -> None:  # type: ignore[no-untyped-def]
    settings.UNLOCKDESK_IMAP_MAILBOXES = []
    with pytest.raises(CommandError, match="no mailbox"):
        call_command("poll-imap", "--once")
