"""Group commit: customers' chat messages that arrive while a batch is being stored are stored
together in one transaction, each sender answered only after the commit; a refusal is that
message's answer, and any other failure stores the rest one by one."""

import asyncio
import threading
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.chat.conftest import chat_with_ticket, cid, visitor
from unlockdesk.chat import group_commit, services
from unlockdesk.chat.group_commit import GroupCommit
from unlockdesk.chat.models import Conversation
from unlockdesk.chat.services import ChatRefused, Post, Posted
from unlockdesk.sockets import socket_database
from unlockdesk.tickets import live
from unlockdesk.tickets.models import EventKind, Message, TicketEvent

pytestmark = pytest.mark.django_db(transaction=True)


async def _until(check: Callable[[], bool], seconds: float = 15) -> None:
    """Wait for `check` to hold; a test that waits for ever would hang the suite."""
    deadline = asyncio.get_running_loop().time() + seconds
    while not check():
        assert asyncio.get_running_loop().time() < deadline, "waited too long"
        await asyncio.sleep(0.01)


@pytest.fixture
def commits(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What happened, in order: "commit" for each commit, "send:<group>" for each live send."""
    seen: list[str] = []
    real_commit = connection.commit

    def commit() -> None:
        real_commit()
        seen.append("commit")

    def send(sends: Sequence[tuple[str, dict[str, Any]]]) -> None:
        seen.extend(f"send:{group}" for group, _ in sends)

    monkeypatch.setattr(connection, "commit", commit)
    monkeypatch.setattr(live, "send", send)
    return seen


def test_a_batch_is_one_commit_and_nothing_is_announced_before_it(commits: list[str]) -> None:
    chats = [chat_with_ticket()[1] for _ in range(3)]
    commits.clear()
    posts = [Post(chat, text=f"still locked {n}", client_id=cid()) for n, chat in enumerate(chats)]
    results = services.send_many(posts)
    assert all(isinstance(result, Posted) for result in results)
    assert [r.conversation.pk for r in results if isinstance(r, Posted)] == [c.pk for c in chats]
    assert commits.count("commit") == 1
    assert commits[0] == "commit" and len(commits) > 1  # the announcements follow it
    for chat, result in zip(chats, results, strict=True):
        stored = Message.objects.get(ticket_id=chat.ticket_id, body_text__startswith="still locked")
        assert isinstance(result, Posted) and stored.seq == result.seq


def test_a_refused_message_is_its_own_answer_and_the_others_are_stored() -> None:
    first, second = chat_with_ticket()[1], chat_with_ticket()[1]
    results = services.send_many([
        Post(first, text="   ", client_id=cid()),  # empty: refused before anything is written
        Post(second, text="where is my withdrawal", client_id=cid()),
    ])
    assert isinstance(results[0], ChatRefused) and results[0].code == "empty"
    assert isinstance(results[1], Posted)
    assert Message.objects.filter(body_text="where is my withdrawal").count() == 1


def test_a_batch_takes_no_savepoint_per_message() -> None:
    chats = [chat_with_ticket()[1] for _ in range(3)]
    with CaptureQueriesContext(connection) as statements:
        results = services.send_many([Post(chat, text="still locked", client_id=cid()) for chat in chats])
    assert all(isinstance(result, Posted) for result in results)
    assert not [q for q in statements if "SAVEPOINT" in q["sql"].upper()]
    # The three messages' timeline entries: one INSERT for the batch.
    assert len([q for q in statements if q["sql"].startswith('INSERT INTO "tickets_ticketevent"')]) == 1


def test_a_batchs_messages_are_one_insert_and_their_timeline_entries_name_them() -> None:
    chats = [chat_with_ticket()[1] for _ in range(3)]
    posts = [Post(chat, text=f"any news {n}", client_id=cid()) for n, chat in enumerate([*chats, chats[0]])]
    with CaptureQueriesContext(connection) as statements:
        results = services.send_many(posts)
    assert all(isinstance(result, Posted) for result in results)
    assert len([q for q in statements if q["sql"].startswith('INSERT INTO "tickets_message"')]) == 1
    stored = sorted(Message.objects.filter(body_text__startswith="any news"), key=lambda m: m.body_text)
    assert [m.body_text for m in stored] == [f"any news {n}" for n in range(4)]
    for message in stored:
        entry = TicketEvent.objects.get(ticket=message.ticket, kind=EventKind.MESSAGE,
                                        data__message=message.pk)
        assert entry.data["direction"] == "in"
    first, again = stored[0], stored[3]  # one ticket twice: numbered, and given ids, in turn
    assert first.ticket_id == again.ticket_id and (first.seq, first.pk) < (again.seq, again.pk)


def test_a_message_whose_answer_is_stored_at_once_keeps_its_ids_in_numbering_order() -> None:
    """A secret in one message stores a warning to its sender, which is delivered by id: the
    deferred messages before it are inserted first, so ids follow the sequence numbers."""
    chats = [chat_with_ticket()[1] for _ in range(2)]
    posts = [Post(chats[0], text="still locked", client_id=cid()),
             Post(chats[1], text="收到的验证码是 312456", client_id=cid())]
    results = services.send_many(posts)
    assert all(isinstance(result, Posted) for result in results)
    for chat in chats:
        rows = list(Message.objects.filter(ticket_id=chat.ticket_id).order_by("seq")
                    .values_list("pk", "direction", "headers"))
        assert [pk for pk, _direction, _headers in rows] == sorted(pk for pk, _d, _h in rows)
    warned = Message.objects.filter(ticket_id=chats[1].ticket_id).order_by("-seq").first()
    assert warned is not None and warned.headers.get("auto") == "safety_warning"
    assert "312456" not in "".join(Message.objects.filter(ticket_id=chats[1].ticket_id)
                                   .values_list("body_text", flat=True))


def test_a_batch_reads_its_senders_and_tickets_once_not_per_message() -> None:
    """Two reads a message were two round trips each on PostgreSQL (tickets.read_ahead)."""
    chats = [chat_with_ticket()[1] for _ in range(3)]
    posts = [Post(chat, text=f"any news {n}", client_id=cid()) for n, chat in enumerate([*chats, chats[0]])]
    with CaptureQueriesContext(connection) as statements:
        results = services.send_many(posts)
    assert all(isinstance(result, Posted) for result in results)
    reads = [q["sql"] for q in statements if q["sql"].startswith("SELECT")]
    assert len([sql for sql in reads if 'FROM "tickets_contactidentity"' in sql]) == 1
    assert len([sql for sql in reads if 'FROM "tickets_ticket"' in sql]) == 1
    first, again = results[0], results[3]  # one ticket twice in the batch: numbered in turn
    assert isinstance(first, Posted) and isinstance(again, Posted) and again.seq == first.seq + 1


def test_a_resend_in_a_batch_is_answered_as_a_duplicate_and_stored_once() -> None:
    """Its ack was lost, so the widget sent it again: it spoils the batch's transaction, and
    the one-by-one pass answers it from the first copy and stores the others."""
    first, second = chat_with_ticket()[1], chat_with_ticket()[1]
    again = cid()
    (stored,) = services.send_many([Post(first, text="is my account safe", client_id=again)])
    assert isinstance(stored, Posted)
    results = services.send_many([
        Post(second, text="where is my withdrawal", client_id=cid()),
        Post(first, text="is my account safe", client_id=again),
        Post(first, text="hello?", client_id=cid()),
    ])
    assert all(isinstance(result, Posted) for result in results)
    resent = results[1]
    assert isinstance(resent, Posted) and resent.duplicate and resent.seq == stored.seq
    for text in ("is my account safe", "where is my withdrawal", "hello?"):
        assert Message.objects.filter(body_text=text).count() == 1


def test_a_failure_undoes_the_batch_and_each_message_is_stored_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    chats = [chat_with_ticket()[1] for _ in range(3)]
    real = services.send_to_agent
    calls: list[str] = []

    def flaky(**kwargs: Any) -> Posted:
        calls.append(str(kwargs["text"]))
        if kwargs["text"] == "breaks" and calls.count("breaks") == 1:
            raise RuntimeError("the database went away mid-batch")
        return real(**kwargs)

    monkeypatch.setattr(services, "send_to_agent", flaky)
    texts = ["before it", "breaks", "after it"]
    posts = [Post(chat, text=text, client_id=cid()) for chat, text in zip(chats, texts, strict=True)]
    results = services.send_many(posts)
    assert all(isinstance(result, Posted) for result in results)
    for text in texts:  # each exactly once: the batch's first writes were undone
        assert Message.objects.filter(body_text=text).count() == 1


async def test_messages_arriving_during_a_store_are_stored_together_and_each_acknowledged(
    layer: str, monkeypatch: pytest.MonkeyPatch, settings: Any,
) -> None:
    # The admission gate would refuse a message that must wait behind a held store, at the
    # rate stores finished in the test before: this test is about batching, not admission.
    settings.UNLOCKDESK_CHAT_MAX_WAIT_SECONDS = 60
    sockets = [await visitor() for _ in range(4)]
    for socket, _welcome in sockets:
        await socket.send(type="talk", text="my account is locked", client_id=cid())
        ack = await socket.wait_for("ack", timeout=30)
        # After its ack the socket reads its new ticket's messages (on the database thread,
        # still in its send order): done once it shows its own. Otherwise, on a loaded machine,
        # that read queued behind the held store below and this socket's follow-up never came.
        await socket.wait_for("message", seq=ack["seq"], timeout=30)
    release = threading.Event()
    sizes: list[int] = []
    real: Callable[[Sequence[Post]], list[Posted | Exception]] = services.send_many

    def held(posts: Sequence[Post]) -> list[Posted | Exception]:
        sizes.append(len(posts))
        if len(sizes) == 1:  # the first batch waits until the others have queued behind it
            release.wait(60)  # generous: on a loaded machine the sockets take their time
        return real(posts)

    monkeypatch.setattr(services, "send_many", held)
    writer = group_commit.group_commit()
    sent = {}
    try:
        for n, (socket, _welcome) in enumerate(sockets):
            sent[n] = cid()
            await socket.send(type="message", text=f"follow-up {n}", client_id=sent[n])
            if n == 0:  # the first is being stored before the others are sent
                await _until(lambda: bool(sizes))
        await _until(lambda: len(writer.waiting) == 3, seconds=60)
    finally:
        release.set()
    for n, (socket, _welcome) in enumerate(sockets):
        ack = await socket.wait_for("ack", client_id=sent[n], timeout=30)
        stored = await socket_database(
            lambda n=n: Message.objects.get(body_text=f"follow-up {n}").seq)()
        assert ack["seq"] == stored
        await socket.close()
    assert sizes == [1, 3]


async def test_a_failed_batch_answers_every_sender_with_the_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    def unreachable(posts: Sequence[Post]) -> list[Posted | Exception]:
        raise RuntimeError("the database is unreachable")

    monkeypatch.setattr(services, "send_many", unreachable)
    writer = GroupCommit(limit=5)
    posts = [Post(Conversation(), text="still locked", client_id=cid()) for _ in range(3)]
    results = await asyncio.wait_for(
        asyncio.gather(*(writer.send(post) for post in posts), return_exceptions=True), 15)
    assert [type(result) for result in results] == [RuntimeError] * 3  # none acknowledged


async def test_a_writer_stopped_with_the_server_leaves_no_sender_waiting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    storing, release = threading.Event(), threading.Event()

    def slow(posts: Sequence[Post]) -> list[Posted | Exception]:
        storing.set()
        release.wait(10)
        return [RuntimeError("not stored") for _ in posts]

    monkeypatch.setattr(services, "send_many", slow)
    writer = GroupCommit(limit=1)
    senders = [asyncio.create_task(writer.send(Post(Conversation(), text="hi", client_id=cid())))
               for _ in range(3)]
    try:
        await _until(storing.is_set)
        assert writer.writer is not None
        writer.writer.cancel()
        results = await asyncio.wait_for(asyncio.gather(*senders, return_exceptions=True), 5)
    finally:
        release.set()
    assert all(isinstance(result, asyncio.CancelledError) for result in results)
    assert writer.waiting == []
