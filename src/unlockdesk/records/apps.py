from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "unlockdesk.records"
    label = "records"
    verbose_name = "Customer records exports"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """A task worker renders the PDFs: it loads the PDF library as it starts, while it has
        one thread, so the library's import never flips a Pillow flag under a running upload
        check (records.pdf.library). Imported here: the module reads models."""
        from celery.signals import worker_init

        from unlockdesk.records import pdf

        worker_init.connect(lambda **_kwargs: pdf.library(), weak=False)
