"""Presence of agents: what they chose in the console header, and whether a console is open.

An agent is online for routing only while at least one console socket of theirs is open and
beating; the last socket closing (or falling silent for UNLOCKDESK_PRESENCE_TIMEOUT_SECONDS,
as when a laptop sleeps or a server dies) makes them offline. What they chose is kept, so the
next console they open restores it.

staff is a low layer: the ticket router that must run when an agent becomes available
registers here (`when_available`) from its AppConfig.ready().
"""

from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from unlockdesk.staff.models import Agent, ConsoleSocket, Presence, RoutingProfile

Available = Callable[[int], None]
_available: list[Available] = []


def when_available(callback: Available) -> None:
    """`callback(agent_id)` runs after the commit that made an agent online; once per callback."""
    if callback not in _available:
        _available.append(callback)


def profile_or_default(agent: Agent) -> RoutingProfile:
    """The agent's profile, or an unsaved one with the defaults (offline, chosen online)."""
    return RoutingProfile.objects.filter(agent=agent).first() or RoutingProfile(agent=agent)


def silent_before() -> datetime:
    """Sockets (and agents) not heard from since then count as gone."""
    return timezone.now() - timedelta(seconds=settings.UNLOCKDESK_PRESENCE_TIMEOUT_SECONDS)


def _locked_profile(agent_id: int) -> RoutingProfile:
    RoutingProfile.objects.get_or_create(agent_id=agent_id)
    return RoutingProfile.objects.select_for_update().get(agent_id=agent_id)


def _has_live_socket(agent_id: int) -> bool:
    return ConsoleSocket.objects.filter(agent_id=agent_id, last_beat_at__gte=silent_before()).exists()


def _set(profile: RoutingProfile, presence: str) -> None:
    """Store the effective presence; announce availability after commit when it became online."""
    if profile.presence == presence:
        return
    profile.presence = presence
    profile.presence_changed_at = timezone.now()
    profile.save(update_fields=["presence", "presence_changed_at", "chosen", "last_seen_at"])
    if presence == Presence.ONLINE:
        for callback in _available:
            transaction.on_commit(partial(callback, profile.agent_id))


def choose(agent: Agent, presence: Presence) -> RoutingProfile:
    """The agent picks online, away or offline; effective at once if a console is open."""
    with transaction.atomic():
        profile = _locked_profile(agent.pk)
        profile.chosen = presence
        profile.save(update_fields=["chosen"])
        _set(profile, presence if _has_live_socket(agent.pk) else Presence.OFFLINE)
    return profile


def socket_opened(agent: Agent, channel_name: str) -> RoutingProfile:
    """A console socket connected: the agent takes the presence they chose."""
    now = timezone.now()
    with transaction.atomic():
        profile = _locked_profile(agent.pk)
        ConsoleSocket.objects.update_or_create(
            channel_name=channel_name,
            defaults={"agent": agent, "opened_at": now, "last_beat_at": now})
        profile.last_seen_at = now
        profile.save(update_fields=["last_seen_at"])
        _set(profile, profile.chosen)
    return profile


def socket_beat(channel_name: str) -> bool:
    """A heartbeat from an open console (every ~25 s); False when the socket was swept as
    silent meanwhile, and the caller must open it again."""
    now = timezone.now()
    socket = ConsoleSocket.objects.filter(channel_name=channel_name).first()
    if socket is None:
        return False
    ConsoleSocket.objects.filter(pk=socket.pk).update(last_beat_at=now)
    RoutingProfile.objects.filter(agent_id=socket.agent_id).update(last_seen_at=now)
    return True


def socket_closed(channel_name: str) -> RoutingProfile | None:
    """A console socket closed; the agent goes offline if it was their last one."""
    with transaction.atomic():
        socket = ConsoleSocket.objects.filter(channel_name=channel_name).first()
        if socket is None:
            return None
        profile = _locked_profile(socket.agent_id)
        socket.delete()
        if not _has_live_socket(socket.agent_id):
            _set(profile, Presence.OFFLINE)
    return profile


def sweep_silent_sockets() -> int:
    """Forget sockets that stopped beating and make their agents offline; returns how many
    agents went offline. Safe to run at any time (the beat schedule runs it every minute)."""
    silent = ConsoleSocket.objects.filter(last_beat_at__lt=silent_before())
    agent_ids = set(silent.values_list("agent_id", flat=True))
    agent_ids |= set(RoutingProfile.objects.exclude(presence=Presence.OFFLINE)
                     .exclude(agent__console_sockets__last_beat_at__gte=silent_before())
                     .values_list("agent_id", flat=True))
    count = 0
    for agent_id in agent_ids:
        with transaction.atomic():
            profile = _locked_profile(agent_id)
            ConsoleSocket.objects.filter(agent_id=agent_id, last_beat_at__lt=silent_before()).delete()
            if profile.presence != Presence.OFFLINE and not _has_live_socket(agent_id):
                _set(profile, Presence.OFFLINE)
                count += 1
    return count
