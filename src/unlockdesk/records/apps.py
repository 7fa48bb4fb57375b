from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "unlockdesk.records"
    label = "records"
    verbose_name = "Customer records exports"
    default_auto_field = "django.db.models.BigAutoField"
