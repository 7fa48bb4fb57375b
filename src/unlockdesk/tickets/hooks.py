"""The registries through which the ticket pipeline calls the apps above it.

tickets is a low layer: it must not import the channel adapters (intake, chat) or the help
center. Those apps register here from their AppConfig.ready(), which Django runs in every
process before any request, task or command, so the registries are full whenever the
pipeline runs. A channel with no adapter registered is reported as a delivery failure, never
guessed; no suggestions registered means an acknowledgement without article links.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from django.db.models import Q

from unlockdesk.tickets.types import Channel, DeliveryResult, IdentityKind, OutboundMessage

if TYPE_CHECKING:
    from unlockdesk.tickets.models import Message


class ChannelAdapter(Protocol):
    """What the pipeline needs of a channel adapter: where to send (`ADDRESS_KIND`, the kind of
    the contact's identity that is its address there; None when the channel needs no address,
    like the portal and live chat) and how (`deliver`).

    Optional, looked up with getattr: `fetch_file(RemoteFile) -> FetchedFile` (raises
    FetchFailed) for channels whose files stay on the platform until fetched, and
    `OUTBOUND_FILE_TYPES` (content types an agent's reply may carry there; none without it)."""

    @property
    def ADDRESS_KIND(self) -> IdentityKind | None: ...

    def deliver(self, message: OutboundMessage) -> DeliveryResult: ...


Suggestions = Callable[[str, str], list[str]]

_adapters: dict[Channel, ChannelAdapter] = {}
_suggestions: list[Suggestions] = []


def register_adapter(channel: Channel, adapter: ChannelAdapter) -> None:
    """Make `adapter` the one that delivers on `channel`; registering again replaces it."""
    _adapters[channel] = adapter


def adapter_for(channel: Channel) -> ChannelAdapter | None:
    return _adapters.get(channel)


def register_acknowledgement_suggestions(suggest: Suggestions) -> None:
    """`suggest(text, language)` returns lines (help articles with links) that the automatic
    first answer shows; registering again replaces it."""
    _suggestions[:] = [suggest]


def acknowledgement_suggestions(text: str, language: str) -> list[str]:
    return _suggestions[0](text, language) if _suggestions else []


# --- resolved listeners (reports: the satisfaction survey) ------------------------------------

ResolvedListener = Callable[[int], object]

_resolved_listeners: list[ResolvedListener] = []


def register_resolved_listener(listener: ResolvedListener) -> None:
    """`listener(ticket_id)` runs each time a ticket moves to resolved, after the status change
    is written; registering the same function again has no effect."""
    if listener not in _resolved_listeners:
        _resolved_listeners.append(listener)


def resolved_listeners() -> list[ResolvedListener]:
    return list(_resolved_listeners)


@dataclass(frozen=True)
class InboxCondition:
    """A named inbox filter that saved views use (`?when=<key>`): `where()` is evaluated at each
    read (it may depend on the time), `label` is what agents read."""

    key: str
    label: Callable[[], str]
    where: Callable[[], Q]


_conditions: dict[str, InboxCondition] = {}


def register_inbox_condition(condition: InboxCondition) -> None:
    """Offer a named condition to the inbox; an app above tickets (unlock) adds its own here."""
    _conditions[condition.key] = condition


def inbox_condition(key: str) -> InboxCondition | None:
    return _conditions.get(key)


def inbox_conditions() -> list[InboxCondition]:
    return list(_conditions.values())


# --- live frames (chat speed) -------------------------------------------------------------

LiveFrames = Callable[["Message"], dict[str, Any]]
_live_frames: list[LiveFrames] = []


def register_live_frames(build: LiveFrames) -> None:
    """`build(message)` returns what the ticket's live viewers are sent for a new message
    (the chat: its frame for the customer and for agents), so fan-out carries the stored
    message and sockets need not read it back; registering again replaces it."""
    _live_frames[:] = [build]


def live_frames(message: "Message") -> dict[str, Any] | None:
    return _live_frames[0](message) if _live_frames else None
