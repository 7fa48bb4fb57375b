"""The chat sockets: thin. They parse frames, call chat services and selectors, and send
frames back. Ordering and no-loss come from one rule: each socket keeps a cursor (the last
sequence number it has shown) per ticket. A new message's announcement carries its stored
frame; a socket shows it if it is the next number, and reads the database (everything after
its cursor, in order) only when it sees a gap. Duplicates are dropped by the same cursor, so a
client that reconnects with the last number it saw gets exactly what it missed.
"""

import asyncio
import logging
import weakref
from typing import Any

from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.core import signing
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from unlockdesk.chat import activity, broadcast, files, frames, guidance, identity, selectors, services
from unlockdesk.chat.group_commit import group_commit
from unlockdesk.chat.limits import Backoff, Busy, Gate, TokenBucket
from unlockdesk.chat.models import Conversation
from unlockdesk.chat.services import ChatRefused
from unlockdesk.chat.texts import widget_strings
from unlockdesk.intake import payloads
from unlockdesk.sockets import LeanDispatch, socket_database
from unlockdesk.tickets.events import ticket_group
from unlockdesk.tickets.exceptions import ReplyBlocked, TicketAccessDenied

log = logging.getLogger(__name__)

TRANSCRIPT_SALT = "unlockdesk.chat.transcript"
LANGUAGES = {"zh-hans", "zh-hant", "en"}
# An announcement without frames (a write that sent none): wait this long, so announcements
# close together cost one database read.
CATCH_UP_SECONDS = 0.15
# An agent's live list learns of new customer messages at most this often, in one frame: at
# 500 messages a second every agent socket was sent 500 frames a second, one per message.
ACTIVITY_SECONDS = 0.05
# Chat frames are flat; anything deeper is not one of ours.
FRAME_MAX_DEPTH = 8
db = socket_database
# Frames that store a message (customer and agent side), admitted through this process's gate.
STORING = frozenset({"talk", "message", "reply", "note"})
_gates: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Gate]" = weakref.WeakKeyDictionary()


def gate() -> Gate:
    """This server's admission gate (one per event loop: one per process in production, and a
    test's loop never inherits stores another loop left unfinished)."""
    loop = asyncio.get_running_loop()
    found = _gates.get(loop)
    if found is None:
        found = _gates[loop] = Gate(settings.UNLOCKDESK_CHAT_MAX_PENDING)
    found.limit = settings.UNLOCKDESK_CHAT_MAX_PENDING
    found.max_wait = settings.UNLOCKDESK_CHAT_MAX_WAIT_SECONDS
    return found


def _missed_frames(ticket_id: int, after: int, for_customer: bool) -> list[dict[str, Any]]:
    return [frames.message_frame(m, for_agent=not for_customer)
            for m in selectors.missed(ticket_id, after, for_customer=for_customer)]


class ChatSocket(LeanDispatch, AsyncJsonWebsocketConsumer):
    """Shared frame handling: size limit, flood limit, JSON, known types only."""

    handlers: dict[str, str] = {}
    for_customer = True
    language = settings.LANGUAGE_CODE

    async def connect(self) -> None:
        self.bucket = TokenBucket(settings.UNLOCKDESK_CHAT_RATE_PER_SECOND, settings.UNLOCKDESK_CHAT_BURST)
        self.cursors: dict[int, int] = {}
        self.groups_joined: set[str] = set()
        self.lock = asyncio.Lock()
        self.catch_ups: set[asyncio.Task[None]] = set()
        self.stores: set[asyncio.Task[None]] = set()
        self.in_order = asyncio.Lock()
        self.backoff = Backoff()
        await self.accept()

    async def join(self, group: str) -> None:
        if group not in self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)
            self.groups_joined.add(group)

    async def leave(self, group: str) -> None:
        if group in self.groups_joined:
            await self.channel_layer.group_discard(group, self.channel_name)
            self.groups_joined.discard(group)

    async def disconnect(self, code: int) -> None:
        for task in list(self.catch_ups):
            task.cancel()
        for group in list(self.groups_joined):
            await self.leave(group)

    async def fail(self, code: str, message: str) -> None:
        await self.send_json(frames.error(code, message))

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        # In the socket's language. Its handlers run in the socket's own task, whose context
        # keeps the language between frames: set when it differs, not overridden and restored
        # for every frame (that was 5% of a chat server's event loop at 500 msg/s, py-spy).
        if translation.get_language() != self.language:
            translation.activate(self.language)
        await self._receive(text_data, bytes_data)

    async def _receive(self, text_data: str | None, bytes_data: bytes | None) -> None:
        if text_data is None:
            return await self.fail("bad_request", _("Send JSON text frames only."))
        if len(text_data.encode()) > settings.UNLOCKDESK_CHAT_MAX_FRAME_BYTES:
            return await self.fail("too_large", _("That message is too large."))
        try:
            content = payloads.load_value(text_data, max_depth=FRAME_MAX_DEPTH)
        except payloads.BadPayload:
            # Not JSON, nested too deeply, or text no database can store: refused before any
            # handler sees it, and the socket stays open.
            return await self.fail("bad_request", _("That frame is not valid JSON."))
        if not self.bucket.take():
            if _resendable(content):
                return await self.busy("rate_limited", content, self.bucket.wait_seconds())
            return await self.fail("rate_limited", _("You are sending too fast. Wait a moment."))
        kind = content.get("type") if isinstance(content, dict) else None
        method = self.handlers.get(kind) if isinstance(kind, str) else None
        if method is None:
            return await self.fail("unknown_type", _("Unknown message type."))
        if not self.ready_for(str(kind)):
            return await self.fail("hello_first", _("Say hello first."))
        if not _resendable(content):
            async with self.in_order:  # after the stores this socket has accepted
                return await self.handle(method, content)
        # A store is accepted (counted in this process's gate) and runs as a task, so this
        # socket keeps reading: frames queued behind slow stores would be invisible to the gate.
        admission = gate()
        try:
            admission.enter()
        except Busy as exc:
            return await self.busy("busy", content, self.backoff.next(exc.retry_after))
        self.backoff.accepted()
        task = asyncio.create_task(self._store(method, content, admission))
        self.stores.add(task)
        task.add_done_callback(self.stores.discard)

    async def _store(self, method: str, content: dict[str, Any], admission: Gate) -> None:
        try:
            async with self.in_order:  # one socket's messages are stored in the order sent
                await self.handle(method, content)
        except OSError:  # the socket closed before its ack: the client resends, stored once
            log.info("chat socket closed before its acknowledgement")
        except Exception:  # the client had no ack: it resends, and the client id keeps it once
            log.exception("chat store failed")
        finally:
            admission.leave()

    async def handle(self, method: str, content: dict[str, Any]) -> None:
        try:
            await getattr(self, method)(content)
        except ChatRefused as exc:
            await self.fail(exc.code, exc.message)
        except (selectors.ChatAccessDenied, TicketAccessDenied):
            await self.fail("forbidden", _("This conversation is not yours."))
        except ReplyBlocked as exc:
            await self.fail("blocked", _("Not sent: %(reason)s") % {"reason": exc.reason})

    async def busy(self, code: str, content: dict[str, Any], retry_after: int) -> None:
        """Not accepted, nothing stored: the client resends the same frame (same client id)
        after `retry_after` seconds. An error frame, so older clients still show the words."""
        message = ngettext("Busy right now. Your message will be sent again in %(n)d second.",
                           "Busy right now. Your message will be sent again in %(n)d seconds.",
                           retry_after) % {"n": retry_after}
        try:
            await self.send_json({**frames.error(code, message), "retry_after": retry_after,
                                  "client_id": content.get("client_id")})
        except (OSError, RuntimeError):  # the socket closed meanwhile: nothing to tell
            log.info("chat socket closed before its busy frame")

    async def watch(self, ticket_id: int, after: int) -> None:
        """Follow a ticket's messages from `after`: join first, then catch up, so none slip by."""
        await self.join(ticket_group(ticket_id))
        self.cursors.setdefault(ticket_id, max(0, after))
        await self.flush(ticket_id)

    async def flush(self, ticket_id: int, announced: int = 0) -> None:
        async with self.lock:
            await self._flush(ticket_id, announced)

    async def _flush(self, ticket_id: int, announced: int) -> None:
        while True:
            batch = await db(_missed_frames)(ticket_id, self.cursors[ticket_id], self.for_customer)
            for frame in batch:
                if frame["seq"] > self.cursors[ticket_id]:
                    await self.send_json(frame)
                    self.cursors[ticket_id] = frame["seq"]
            if len(batch) < 200:
                break
        # Sequence numbers are given out under the ticket's row lock, so once `announced` has
        # committed every lower number has too: the ones this side may not see are skipped.
        self.cursors[ticket_id] = max(self.cursors[ticket_id], announced)

    async def ticket_event(self, event: dict[str, Any]) -> None:
        """The pipeline announced a change. A new message's announcement carries its frames
        (tickets.hooks.live_frames): shown as they are while the sequence has no gap. Only a
        gap, or a write that sent no frames, makes this socket read the database."""
        ticket_id = event.get("id")
        if event.get("kind") == "lock" and ticket_id in self.cursors and not self.for_customer:
            with translation.override(self.language):  # the exchange locked or lifted the account
                await self.send_json(frames.lock_frame(event))
            return
        if event.get("kind") != "message" or ticket_id not in self.cursors:
            return
        seq = int(event.get("seq") or 0)
        if seq and seq <= self.cursors[ticket_id]:
            return
        pushed = event.get("frames")
        if pushed:
            async with self.lock:
                for item in pushed:
                    await self._show(ticket_id, item)
                if ticket_id in self.cursors and self.cursors[ticket_id] < seq:
                    await self._flush(ticket_id, seq)
            return
        task = asyncio.create_task(self._catch_up(ticket_id, seq))
        self.catch_ups.add(task)
        task.add_done_callback(self.catch_ups.discard)

    async def _catch_up(self, ticket_id: int, seq: int) -> None:
        await asyncio.sleep(CATCH_UP_SECONDS)
        if ticket_id in self.cursors and (not seq or self.cursors[ticket_id] < seq):
            await self.flush(ticket_id, announced=seq)

    async def _show(self, ticket_id: int, item: dict[str, Any]) -> None:
        """One pushed message, under self.lock: shown if it is the next one, read back from
        the database with everything before it if there is a gap, dropped if already shown."""
        cursor, seq = self.cursors.get(ticket_id), int(item["seq"])
        if cursor is None or seq <= cursor:
            return
        if seq != cursor + 1:
            return await self._flush(ticket_id, seq)
        frame = item["customer"] if self.for_customer else item["agent"]
        if frame is not None:
            await self.send_json(frame)
        self.cursors[ticket_id] = seq

    async def on_ping(self, content: dict[str, Any]) -> None:
        await self.send_json({"type": "pong"})

    def ready_for(self, kind: str) -> bool:
        return True


class VisitorConsumer(ChatSocket):
    """/ws/chat/visitor/: the widget. The first frame must be `hello`."""

    handlers = {kind: f"on_{kind}" for kind in (
        "hello", "ask", "talk", "message", "typing", "identify", "verify", "transcript", "file", "end",
        "ping")}

    async def connect(self) -> None:
        self.conversation: Conversation | None = None
        self.visitor = ""
        await super().connect()

    async def disconnect(self, code: int) -> None:
        if self.conversation is not None:
            await db(services.customer_presence)(self.conversation, -1)
        await super().disconnect(code)

    def ready_for(self, kind: str) -> bool:
        return kind == "hello" or self.conversation is not None

    async def on_hello(self, content: dict[str, Any]) -> None:
        if self.conversation is not None:
            raise ChatRefused("bad_request", _("Already connected."))
        language = content.get("language")
        self.language = language if isinstance(language, str) and language in LANGUAGES \
            else settings.LANGUAGE_CODE
        translation.activate(self.language)
        token = str(content.get("token") or "")
        visitor = identity.visitor_from_token(token)
        new_token = ""
        if visitor is None:
            visitor, new_token = identity.new_visitor_token()
        who = await db(identity.identity_from_session)(self.scope.get("session"))
        if who is None and content.get("uid"):
            try:
                who = identity.identity_from_uid(str(content["uid"]), str(content.get("uid_hash") or ""))
            except identity.IdentityRejected as exc:
                await self.fail("identity", str(exc))
                return await self.close(code=4401)
        who = who or identity.anonymous(visitor)
        try:
            conversation = await db(services.open_conversation)(
                visitor=visitor, identity=who, language=self.language,
                public_id=str(content.get("conversation") or ""),
                ticket_number=str(content.get("ticket") or "")[:32],
            )
        except selectors.ChatAccessDenied:
            await self.fail("forbidden", _("This conversation is not yours."))
            return await self.close(code=4403)
        self.visitor = visitor
        self.conversation = await db(services.customer_presence)(conversation, +1)
        await self.join(broadcast.conversation_group(conversation.public_id))
        await self.send_json(await db(self._welcome)(new_token))
        if self.conversation.ticket_id:
            await self.watch(self.conversation.ticket_id, _int(content.get("last_seq")))

    def _welcome(self, new_token: str) -> dict[str, Any]:
        conversation = self.conversation
        assert conversation is not None
        return {
            "type": "welcome",
            "token": new_token,
            "conversation": str(conversation.public_id),
            "state": conversation.state,
            "ticket": conversation.ticket.number if conversation.ticket else "",
            "agent": conversation.agent.public_name if conversation.agent else "",
            "verified": conversation.verified,
            "identity": identity.masked_label(conversation.identity_kind, conversation.identity_value),
            "strings": widget_strings(),
        }

    async def on_ask(self, content: dict[str, Any]) -> None:
        text = services.clean_text(content.get("text"))
        found = await db(guidance.guide)(text, self.language)
        await self.send_json(found.as_frame())

    async def on_talk(self, content: dict[str, Any]) -> None:
        await self._post(content, open_ticket=True)

    async def on_message(self, content: dict[str, Any]) -> None:
        await self._post(content, open_ticket=False)

    async def _post(self, content: dict[str, Any], *, open_ticket: bool) -> None:
        assert self.conversation is not None
        if self.conversation.ticket_id is not None and not open_ticket:  # the hot path: batched
            posted = await group_commit().send(services.Post(
                self.conversation, text=content.get("text"), client_id=content.get("client_id")))
        else:  # opening a ticket searches the help center: kept out of others' transactions
            posted = await db(services.send_to_agent)(
                conversation=self.conversation, text=content.get("text"),
                client_id=content.get("client_id"), open_ticket=open_ticket,
            )
        await self.after_post(posted, str(content.get("client_id")))

    async def after_post(self, posted: services.Posted, client_id: str) -> None:
        """Acknowledge only what is stored; then show it (and the pipeline's answer) in order."""
        self.conversation = posted.conversation
        await self.send_json({"type": "ack", "client_id": client_id, "seq": posted.seq,
                              "ticket": posted.ticket_number, "state": posted.conversation.state})
        if posted.redactions:
            await self.send_json({"type": "warning", "code": "redacted",
                                  "message": widget_strings()["redacted"]})
        ticket_id = posted.conversation.ticket_id
        assert ticket_id is not None
        if ticket_id not in self.cursors:
            await self.watch(ticket_id, 0)

    async def on_typing(self, content: dict[str, Any]) -> None:
        if self.conversation is not None:
            await self.channel_layer.group_send(
                broadcast.conversation_group(self.conversation.public_id),
                {"type": "chat.notice", "audience": "agents", "frame": {"type": "typing", "who": "customer"}})

    async def on_identify(self, content: dict[str, Any]) -> None:
        assert self.conversation is not None
        client = self.scope.get("client") or (None, None)
        kind = await db(services.request_code)(self.conversation, content.get("address"),
                                               client_ip=client[0])
        await self.send_json({"type": "code_sent", "kind": kind})

    async def on_verify(self, content: dict[str, Any]) -> None:
        assert self.conversation is not None
        who = await db(services.verify_code)(self.conversation, content.get("code"))
        await self.send_json({"type": "verified", "identity": who.label})

    async def on_transcript(self, content: dict[str, Any]) -> None:
        assert self.conversation is not None
        if not self.conversation.ticket_id:
            raise ChatRefused("not_ready", _("There is nothing to download yet."))
        signed = signing.dumps({"c": str(self.conversation.public_id), "v": self.visitor},
                               salt=TRANSCRIPT_SALT)
        await self.send_json({"type": "transcript", "url": f"/chat/transcript/{signed}/"})

    async def on_file(self, content: dict[str, Any]) -> None:
        """A link to open one of this conversation's files (an agent's picture or PDF)."""
        assert self.conversation is not None
        try:
            url = await db(files.file_link)(self.conversation, self.visitor, content.get("id"))
        except selectors.ChatAccessDenied as exc:
            raise ChatRefused("not_found", _("That file is not part of this chat.")) from exc
        await self.send_json({"type": "file", "id": content.get("id"), "url": url})

    async def on_end(self, content: dict[str, Any]) -> None:
        assert self.conversation is not None
        self.conversation = await db(services.customer_end)(self.conversation)

    async def on_ping(self, content: dict[str, Any]) -> None:
        if self.conversation is not None:
            await db(services.customer_alive)(self.conversation)
        await self.send_json({"type": "pong"})

    async def chat_notice(self, event: dict[str, Any]) -> None:
        if event.get("audience") in ("customer", "all"):
            await self.send_json(event["frame"])


class AgentConsumer(ChatSocket):
    """/ws/chat/agent/: the console's live list and the chat an agent has open."""

    for_customer = False
    handlers = {kind: f"on_{kind}" for kind in (
        "open", "accept", "reply", "note", "typing", "transfer", "end", "ping", "list")}
    hub: activity.ActivityHub | None = None  # set once connect has admitted the agent

    async def connect(self) -> None:
        await super().connect()
        self.watching: Conversation | None = None
        try:
            self.agent = selectors.require_agent(self.scope.get("user"))
        except selectors.ChatAccessDenied:
            await self.fail("forbidden", _("Sign in to the console as an agent."))
            return await self.close(code=4403)
        self.language = self.agent.language if self.agent.language in LANGUAGES else self.language
        self.activity: dict[str, int] = {}
        await self.join(broadcast.AGENTS_GROUP)
        self.hub = activity.hub()
        if self.hub is not None:
            self.hub.join(self)
        await self.on_list({})

    async def disconnect(self, code: int) -> None:
        if self.hub is not None:
            self.hub.leave(self)
        await super().disconnect(code)

    async def on_list(self, content: dict[str, Any]) -> None:
        """The whole live list: on connect, and every half minute from the console, which
        mends a list that missed a notice (a full in-memory queue drops them under load)."""
        items = await db(lambda: [frames.summary(c) for c in selectors.live_chats(self.agent)])()
        await self.send_json({"type": "chats", "items": items, "me": self.agent.pk})

    async def _conversation(self, content: dict[str, Any]) -> Conversation:
        return await db(selectors.conversation_for_agent)(self.agent, str(content.get("conversation") or ""))

    async def on_open(self, content: dict[str, Any]) -> None:
        conversation = await self._conversation(content)
        if self.watching is not None and self.watching.ticket_id is not None:
            await self.leave(broadcast.conversation_group(self.watching.public_id))
            await self.leave(ticket_group(self.watching.ticket_id))
            self.cursors.pop(self.watching.ticket_id, None)
        self.watching = conversation
        await self.join(broadcast.conversation_group(conversation.public_id))
        await self.send_json({"type": "opened", "item": await db(frames.summary)(conversation)})
        assert conversation.ticket_id is not None
        await self.watch(conversation.ticket_id, _int(content.get("last_seq")))

    async def on_accept(self, content: dict[str, Any]) -> None:
        await db(services.accept)(await self._conversation(content), self.agent)

    async def on_reply(self, content: dict[str, Any]) -> None:
        await self._send(content, internal=False)

    async def on_note(self, content: dict[str, Any]) -> None:
        await self._send(content, internal=True)

    async def _send(self, content: dict[str, Any], *, internal: bool) -> None:
        conversation = await self._conversation(content)
        message = await db(services.agent_send)(conversation, self.agent, text=content.get("text"),
                                                client_id=content.get("client_id"), internal=internal)
        await self.send_json({"type": "ack", "client_id": content.get("client_id"), "seq": message.seq})

    async def on_typing(self, content: dict[str, Any]) -> None:
        conversation = await self._conversation(content)
        await self.channel_layer.group_send(
            broadcast.conversation_group(conversation.public_id),
            {"type": "chat.notice", "audience": "customer", "frame": {"type": "typing", "who": "agent"}})

    async def on_transfer(self, content: dict[str, Any]) -> None:
        await db(services.transfer)(await self._conversation(content), self.agent,
                                    to_agent=str(content.get("agent") or "")[:16],
                                    to_queue=str(content.get("queue") or "")[:50])

    async def on_end(self, content: dict[str, Any]) -> None:
        await db(services.agent_end)(await self._conversation(content), self.agent)

    async def chat_queue(self, event: dict[str, Any]) -> None:
        await self.send_json({"type": "chat", "item": event["item"]})

    def heard(self, conversation: str, seq: int) -> None:
        """A customer's new message, from this process's activity reader (chat.activity):
        gathered for ACTIVITY_SECONDS, then sent as one frame: {"type": "activity",
        "items": [{"id", "seq"}, ...]}, the newest number of each conversation."""
        first = not self.activity
        self.activity[conversation] = max(seq, self.activity.get(conversation, 0))
        if first:
            task = asyncio.create_task(self._send_activity())
            self.catch_ups.add(task)  # cancelled with the socket
            task.add_done_callback(self.catch_ups.discard)

    async def _send_activity(self) -> None:
        await asyncio.sleep(ACTIVITY_SECONDS)
        items, self.activity = self.activity, {}
        try:
            await self.send_json({"type": "activity",
                                  "items": [{"id": k, "seq": v} for k, v in items.items()]})
        except (OSError, RuntimeError):  # the socket closed meanwhile
            log.info("agent chat socket closed before its activity frame")

    async def chat_notice(self, event: dict[str, Any]) -> None:
        if event.get("audience") in ("agents", "all"):
            await self.send_json(event["frame"])


def _resendable(content: object) -> bool:
    """A frame that stores a message under a client id: the client can resend it as is."""
    return (isinstance(content, dict) and content.get("type") in STORING
            and isinstance(content.get("client_id"), str))


def _int(value: object) -> int:
    try:
        return max(0, int(str(value)))
    except ValueError:
        return 0
