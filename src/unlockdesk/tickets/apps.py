from django.apps import AppConfig


class TicketsConfig(AppConfig):
    name = "unlockdesk.tickets"
    verbose_name = "Tickets"
