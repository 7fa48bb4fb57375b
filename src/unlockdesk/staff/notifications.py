"""Staff notifications: stored for each recipient (seen later when offline) and pushed live to
their console over the `staff.<agent id>` channel group after the write commits; and toasts,
live only, for what the inbox and timeline already show (an assignment).

The frame contract: group_send to `staff.<agent_id>` with {"type": "staff.notification",
"kind": "...", "title": "<words>", "body": "<words>", "url": "..."}; the console socket
(unlockdesk.web.consumers) shows it as a toast.

Who may read: a notification is only ever read by its recipient (the selectors take the
agent asking and filter on it).
"""

import logging
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import override

from unlockdesk.staff.models import Agent, Role, StaffNotification

log = logging.getLogger(__name__)

# (title, body) in the language active when called: the recipient's.
Render = Callable[[], tuple[str, str]]


def staff_group(agent_id: int) -> str:
    return f"staff.{agent_id}"


def supervisors(*, queue_agent_ids: Iterable[int] = ()) -> list[Agent]:
    """Active supervisors and admins; those who work the given queue when there are any."""
    everyone = list(Agent.objects.filter(is_active=True, role__in=[Role.SUPERVISOR, Role.ADMIN])
                    .order_by("pk"))
    in_queue = set(queue_agent_ids)
    return [a for a in everyone if a.pk in in_queue] or everyone


def notify(*, recipients: Iterable[Agent], kind: str, key: str, url: str,
           render: Render) -> list[StaffNotification]:
    """Store one notification per recipient and `key`, written in the recipient's language,
    and push it live after commit. Idempotent: a recipient who already has `key` gets nothing
    new (no second row, no second push)."""
    created: list[StaffNotification] = []
    for agent in {a.pk: a for a in recipients}.values():
        with override(agent.language or "zh-hans"):
            title, body = render()
        try:
            with transaction.atomic():
                note = StaffNotification.objects.create(
                    recipient=agent, kind=kind, key=key, title=title[:200], body=body, url=url)
        except IntegrityError:
            continue
        created.append(note)
        transaction.on_commit(lambda note=note: _push(note))  # type: ignore[misc]
    return created


def _push(note: StaffNotification) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    payload: dict[str, Any] = {"type": "staff.notification", "kind": note.kind, "id": note.pk,
                               "title": note.title, "body": note.body, "url": note.url}
    try:
        async_to_sync(layer.group_send)(staff_group(note.recipient_id), payload)
    except Exception:  # stored already: the bell shows it on the next poll or page load
        log.exception("could not push notification %s", note.pk)


def recent_for(agent: Agent, *, limit: int = 50) -> QuerySet[StaffNotification]:
    return StaffNotification.objects.filter(recipient=agent)[:limit]


def unread_count(agent: Agent) -> int:
    return StaffNotification.objects.filter(recipient=agent, read_at__isnull=True).count()


def mark_read(*, agent: Agent, ids: Iterable[int] | None = None) -> int:
    """Mark the agent's own notifications read (all when `ids` is None); returns how many."""
    unread = StaffNotification.objects.filter(recipient=agent, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())


def toast(agent_id: int, *, kind: str, title: str, body: str = "", url: str = "") -> None:
    """Show a toast in every console the agent has open, once the caller's write commits.
    Best effort: a console that is closed misses it (the timeline and inbox still show it)."""
    frame = {"type": "staff.notification", "kind": kind, "title": title, "body": body, "url": url}
    transaction.on_commit(partial(_send, staff_group(agent_id), frame))


def _send(group: str, frame: dict[str, str]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(group, frame)
    except Exception:  # the write has landed; a missed toast is not worth failing it
        log.exception("could not notify %s", group)
