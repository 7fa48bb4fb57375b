"""Recognising our own outbound Message-IDs (`<ud-{pk}@{official domain}>`) in mail that comes
back: customer replies (threading), bounces (delivery failures) and loops (our own mail)."""

import re

from django.conf import settings

from unlockdesk.tickets.threads import ticket_number_for_sent
from unlockdesk.tickets.types import Channel

_OURS = re.compile(r"^<ud-(\d{1,18})@([^<>\s]+)>$", re.IGNORECASE)


def message_id_for(message_pk: int) -> str:
    return f"<ud-{message_pk}@{settings.BRAND.official_domains[0]}>"


def is_ours(message_id: str) -> bool:
    match = _OURS.match(message_id.strip())
    return match is not None and match.group(2).lower() in settings.BRAND.official_domains


def message_pks(message_ids: tuple[str, ...]) -> list[int]:
    """The pipeline's ids of the messages our Message-IDs among `message_ids` name, in order."""
    return [int(m.group(1)) for ref in message_ids if (m := _OURS.match(ref.strip())) and is_ours(ref)]


def ticket_number_for(references: tuple[str, ...]) -> str:
    """The ticket of the newest of our messages a reply refers to, or ''.

    Naming a ticket is not access to it: the pipeline still threads only when the sender is
    that ticket's contact (tickets.threads).
    """
    return ticket_number_for_sent(Channel.EMAIL, message_pks(references))
