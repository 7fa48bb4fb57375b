"""Recognising our own outbound Message-IDs (`<ud-{pk}@{official domain}>`) in mail that comes
back: customer replies (threading), bounces (delivery failures) and loops (our own mail)."""

import re

from django.conf import settings

from unlockdesk.tickets.models import Direction, Message
from unlockdesk.tickets.types import Channel

_OURS = re.compile(r"^<ud-(\d{1,18})@([^<>\s]+)>$", re.IGNORECASE)


def message_id_for(message_pk: int) -> str:
    return f"<ud-{message_pk}@{settings.BRAND.official_domains[0]}>"


def is_ours(message_id: str) -> bool:
    match = _OURS.match(message_id.strip())
    return match is not None and match.group(2).lower() in settings.BRAND.official_domains


def sent_messages(message_ids: tuple[str, ...]) -> list[Message]:
    """Our outbound email messages named by `message_ids`, in the order given."""
    pks = [int(m.group(1)) for ref in message_ids if (m := _OURS.match(ref.strip())) and is_ours(ref)]
    if not pks:
        return []
    found = {
        message.pk: message
        for message in Message.objects.select_related("ticket").filter(
            pk__in=pks, channel=Channel.EMAIL, direction=Direction.OUTBOUND
        )
    }
    return [found[pk] for pk in pks if pk in found]


def ticket_number_for(references: tuple[str, ...]) -> str:
    """The ticket of the newest of our messages a reply refers to, or ''.

    Naming a ticket is not access to it: the pipeline still threads only when the sender is
    that ticket's contact (tickets.threads).
    """
    messages = sent_messages(references)
    return messages[-1].ticket.number if messages else ""
