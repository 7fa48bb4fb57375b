"""The SMS provider's later word on a text it took: sent, delivered, undelivered, failed.

Reports come more than once and out of order, so a status only ever moves forward. A text
for a ticket message that finally failed marks that message failed (tickets'
`mark_undelivered`), so the console never shows a reply as sent that did not arrive.
"""

from django.db import transaction

from unlockdesk.intake.models import SmsDelivery
from unlockdesk.tickets.services import mark_undelivered

# How far along a text is; Twilio's statuses (others' map onto these words).
PROGRESS = {
    "accepted": 0, "scheduled": 0, "queued": 0,
    "sending": 1,
    "sent": 2,
    "delivered": 3, "undelivered": 3, "failed": 3, "canceled": 3,
    "read": 4,
}
NEVER_ARRIVED = {"undelivered", "failed", "canceled"}


def record_status(*, provider: str, provider_id: str, status: str, error: str = "") -> SmsDelivery | None:
    """Apply one status report; returns the text's record, or None for a text we never sent.

    Idempotent: a report repeated or overtaken by a later status changes nothing.
    """
    if status not in PROGRESS:
        return None
    with transaction.atomic():
        record = (SmsDelivery.objects.select_for_update()
                  .filter(provider=provider, provider_id=provider_id).first())
        if record is None or PROGRESS[status] <= PROGRESS.get(record.status, -1):
            return record
        record.status, record.error = status, error[:255]
        record.save(update_fields=["status", "error", "updated_at"])
    kind, _, ref = record.reference.partition(":")
    if status in NEVER_ARRIVED and kind == "message" and ref.isdigit():
        mark_undelivered(int(ref), error=error or f"{provider}: {status}")
    return record
