"""/ws/console/: the live console. Thin: it keeps the agent's presence (staff.presence), pushes
inbox rows the agent may see (tickets.selectors.inbox_row_for decides, per event), shows toasts
(`staff.notification` frames sent to `staff.<agent_id>`), and tells agents on the same ticket
page who else is there and typing (frames between sockets only; nothing stored).

Client frames: ping, presence {presence}, inbox {filters, first}, view {ticket}, typing, leave.
Server frames: hello, presence, row {number, rank, updated, html}, gone {number},
notification {kind, title, body, url}, changed {number, kind}, viewers {ticket, viewers}.
"""

import json
import time
from typing import Any

from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from unlockdesk.sockets import LeanDispatch, socket_database
from unlockdesk.staff import presence
from unlockdesk.staff.models import Agent, Presence, Role
from unlockdesk.staff.notifications import staff_group
from unlockdesk.tickets import selectors
from unlockdesk.tickets.events import CONSOLE_GROUP
from unlockdesk.tickets.exceptions import TicketAccessDenied
from unlockdesk.tickets.models import Priority, Ticket
from unlockdesk.tickets.types import Channel

db = socket_database
FRAME_LIMIT = 4096
TYPING_SECONDS = 5
LANGUAGES = {"zh-hans", "zh-hant", "en"}


def viewers_group(ticket_id: int) -> str:
    return f"viewers.{ticket_id}"


def _filters(raw: object) -> selectors.InboxFilters:
    data = raw if isinstance(raw, dict) else {}

    def text(key: str, size: int = 40) -> str:
        value = data.get(key, "")
        return value[:size] if isinstance(value, str) else ""

    return selectors.InboxFilters(status=text("status"), channel=text("channel"),
                                  priority=text("priority", 2), queue=text("queue", 50),
                                  mine=data.get("mine") in ("1", True), tag=text("tag"))


class ConsoleConsumer(LeanDispatch, AsyncJsonWebsocketConsumer):
    async def connect(self) -> None:
        user = self.scope.get("user")
        if not (isinstance(user, Agent) and user.is_authenticated and user.is_active
                and user.has_role(Role.AGENT)):
            await self.close(code=4403)
            return
        self.agent: Agent = user
        self.language = user.language if user.language in LANGUAGES else "zh-hans"
        self.filters: selectors.InboxFilters | None = None
        self.first_page = True
        self.viewing: Ticket | None = None
        self.typed_at = 0.0
        await self.accept()
        for group in (CONSOLE_GROUP, staff_group(user.pk)):
            await self.channel_layer.group_add(group, self.channel_name)
        profile = await db(presence.socket_opened)(user, self.channel_name)
        await self.send_json({"type": "hello", "presence": profile.presence,
                              "chosen": profile.chosen, "labels": _presence_labels(self.language)})

    async def disconnect(self, code: int) -> None:
        if not hasattr(self, "agent"):
            return
        await self._leave_ticket()
        for group in (CONSOLE_GROUP, staff_group(self.agent.pk)):
            await self.channel_layer.group_discard(group, self.channel_name)
        await db(presence.socket_closed)(self.channel_name)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if text_data is None or len(text_data) > FRAME_LIMIT:
            await self.close(code=4400)
            return
        try:
            content = json.loads(text_data)
        except ValueError:
            return
        if isinstance(content, dict):
            await self.receive_json(content)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        kind = content.get("type")
        if kind == "ping":
            if not await db(presence.socket_beat)(self.channel_name):
                await db(presence.socket_opened)(self.agent, self.channel_name)
        elif kind == "presence" and content.get("presence") in Presence.values:
            profile = await db(presence.choose)(self.agent, Presence(content["presence"]))
            await self.send_json({"type": "presence", "presence": profile.presence,
                                  "chosen": profile.chosen})
        elif kind == "inbox":
            self.filters = _filters(content.get("filters"))
            self.first_page = content.get("first") is not False
        elif kind == "view":
            await self._view(str(content.get("ticket") or "")[:32])
        elif kind == "typing" and self.viewing is not None:
            await self._to_viewers("viewer.typing")
        elif kind == "leave":
            await self._leave_ticket()

    # --- the inbox and toasts -------------------------------------------------------------

    async def ticket_event(self, event: dict[str, Any]) -> None:
        """Every ticket change (tickets.events.announce); only what this agent may see goes on."""
        frames = await db(self._frames_for)(event)
        for frame in frames:
            await self.send_json(frame)

    def _frames_for(self, event: dict[str, Any]) -> list[dict[str, Any]]:
        ticket_id = int(event.get("id") or 0)
        ticket = selectors.visible_tickets(self.agent).filter(pk=ticket_id).first()
        if ticket is None:
            return []
        frames: list[dict[str, Any]] = []
        with translation.override(self.language):
            if self.filters is not None:
                row = selectors.inbox_row_for(self.agent, self.filters, ticket_id)
                if row is None:
                    frames.append({"type": "gone", "number": ticket.number})
                else:
                    frames.append({
                        "type": "row", "number": row.number, "rank": row.inbox_rank,
                        "updated": row.updated_at.isoformat(), "insert": self.first_page,
                        "html": render_to_string("web/console/_inbox_row.html", {"t": row})})
            if self.viewing is not None and self.viewing.pk == ticket_id:
                frames.append({"type": "changed", "number": ticket.number, "kind": event.get("kind")})
            toast = _toast_for(ticket, event)
            if toast:
                frames.append(toast)
        return frames

    async def staff_notification(self, event: dict[str, Any]) -> None:
        """The contract for every part of the desk: a toast with words and a link."""
        await self.send_json({"type": "notification", "kind": str(event.get("kind", "")),
                              "title": str(event.get("title", "")), "body": str(event.get("body", "")),
                              "url": str(event.get("url", ""))})

    # --- who else is on this ticket ---------------------------------------------------------

    async def _view(self, number: str) -> None:
        await self._leave_ticket()
        try:
            ticket = await db(selectors.ticket_for_agent)(self.agent, number)
        except TicketAccessDenied:
            return
        self.viewing = ticket
        await self.channel_layer.group_add(viewers_group(ticket.pk), self.channel_name)
        await self._to_viewers("viewer.joined")

    async def _leave_ticket(self) -> None:
        if self.viewing is None:
            return
        await self._to_viewers("viewer.left")
        await self.channel_layer.group_discard(viewers_group(self.viewing.pk), self.channel_name)
        self.viewing = None

    async def _to_viewers(self, kind: str) -> None:
        assert self.viewing is not None
        await self.channel_layer.group_send(viewers_group(self.viewing.pk), {
            "type": kind, "from": self.channel_name, "agent": self.agent.pk,
            "name": self.agent.public_name, "ticket": self.viewing.number})

    def _other(self, event: dict[str, Any]) -> bool:
        return event.get("from") != self.channel_name and self.viewing is not None \
            and event.get("ticket") == self.viewing.number

    async def viewer_joined(self, event: dict[str, Any]) -> None:
        if self._other(event):
            await self._viewer_frame(event, "viewing")
            assert self.viewing is not None
            await self.channel_layer.send(str(event["from"]), {
                "type": "viewer.here", "from": self.channel_name, "agent": self.agent.pk,
                "name": self.agent.public_name, "ticket": self.viewing.number})

    async def viewer_here(self, event: dict[str, Any]) -> None:
        if self._other(event):
            await self._viewer_frame(event, "viewing")

    async def viewer_typing(self, event: dict[str, Any]) -> None:
        if self._other(event):
            await self._viewer_frame(event, "typing")

    async def viewer_left(self, event: dict[str, Any]) -> None:
        if self._other(event):
            await self._viewer_frame(event, "left")

    async def _viewer_frame(self, event: dict[str, Any], state: str) -> None:
        await self.send_json({"type": "viewer", "ticket": event["ticket"], "id": str(event["from"]),
                              "name": str(event["name"]), "state": state})


def _presence_labels(language: str) -> dict[str, str]:
    with translation.override(language):
        return {value: str(label) for value, label in Presence.choices}


def _toast_for(ticket: Ticket, event: dict[str, Any]) -> dict[str, Any] | None:
    """A new chat or a new P1 (or a ticket raised to P1) deserves a toast; the rest only moves
    rows."""
    created = event.get("kind") == "message" and event.get("status") == "created"
    raised = event.get("kind") == "priority" and ticket.priority == Priority.URGENT
    if not (created or raised):
        return None
    if ticket.priority == Priority.URGENT:
        title = _("P1 ticket %(number)s") % {"number": ticket.number}
    elif created and ticket.channel == Channel.CHAT:
        title = _("New chat %(number)s") % {"number": ticket.number}
    else:
        return None
    return {"type": "notification", "kind": "p1" if ticket.priority == Priority.URGENT else "chat",
            "title": title, "body": ticket.subject,
            "url": reverse("console:ticket", args=[ticket.number]), "at": time.time()}
