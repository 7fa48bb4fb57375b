from django.apps import AppConfig


class TicketsConfig(AppConfig):
    name = "unlockdesk.tickets"
    verbose_name = "Tickets"

    def ready(self) -> None:
        from unlockdesk.accounts.hooks import on_lock_change
        from unlockdesk.tickets.services.account_locks import record_lock_changes

        on_lock_change(record_lock_changes)
