"""Builders for routing tests: queues that assign automatically, agents online with skills."""

import uuid

from unlockdesk.staff import presence
from unlockdesk.staff.models import Agent, RoutingProfile
from unlockdesk.tickets.models import Queue, QueueRouting

QUEUES = ("general", "unlock", "security")


def routed_queues(**rule: bool) -> list[Queue]:
    """The three queues triage uses, each assigning automatically (or as `rule` says)."""
    queues = []
    for slug in QUEUES:
        queue = Queue.objects.get_or_create(slug=slug, defaults={"name": slug.title()})[0]
        QueueRouting.objects.update_or_create(queue=queue, defaults={"auto_assign": True, **rule})
        queues.append(queue)
    return queues


def go_online(agent: Agent, *, languages: tuple[str, ...] = ("zh-hans", "zh-hant", "en"),
              channels: tuple[str, ...] = (), categories: tuple[str, ...] = (),
              max_open: int = 10, max_chats: int = 2) -> str:
    """Skills and capacity, then one open console socket; returns the socket's name."""
    RoutingProfile.objects.update_or_create(agent=agent, defaults={
        "languages": list(languages), "channels": list(channels),
        "categories": list(categories), "max_open_tickets": max_open, "max_chats": max_chats})
    name = f"test.{agent.pk}.{uuid.uuid4().hex[:8]}"
    presence.socket_opened(agent, name)
    return name
