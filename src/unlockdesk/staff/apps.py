from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "unlockdesk.staff"
    verbose_name = "Staff"
