from django.apps import AppConfig

from unlockdesk.tickets import hooks


class ReportsConfig(AppConfig):
    name = "unlockdesk.reports"
    label = "reports"
    verbose_name = "Reports"

    def ready(self) -> None:
        """Ask for a rating whenever a ticket is resolved (tickets.hooks, called by the status
        machine). Imported here: the services import models, allowed once apps are ready."""
        from unlockdesk.reports.services import ask_after_resolve

        hooks.register_resolved_listener(ask_after_resolve)
