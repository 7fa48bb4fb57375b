from collections.abc import Sequence

from django.apps import AppConfig

from unlockdesk import integration_events
from unlockdesk.accounts.hooks import LockChange, LockChangeKind, on_lock_change


def publish_lock_changes(changes: Sequence[LockChange]) -> None:
    """Every lock placed or lifted, by the exchange's feed or a desk service, is `lock.changed`
    for the integrations (outgoing webhooks), sent after the write commits."""
    for change in changes:
        integration_events.lock_changed(
            account_uid=change.uid, lock_id=change.lock_pk, reason=change.reason,
            restrictions=list(change.restrictions), active=change.kind == LockChangeKind.PLACED,
            actor=change.actor)


class AccountsConfig(AppConfig):
    name = "unlockdesk.accounts"
    verbose_name = "Exchange accounts"

    def ready(self) -> None:
        on_lock_change(publish_lock_changes)
