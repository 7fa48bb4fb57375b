from django.apps import AppConfig

from unlockdesk import warmup
from unlockdesk.tickets import hooks


class HelpcenterConfig(AppConfig):
    name = "unlockdesk.helpcenter"
    label = "helpcenter"
    verbose_name = "Help center"

    def ready(self) -> None:
        """Offer help articles to the pipeline's automatic first answer (tickets.hooks).

        A long-running process builds the search indexes as it starts (unlockdesk.warmup).

        Imported here, not at the top: the selectors import models, which Django allows only
        once the app registry is ready.
        """
        from unlockdesk.helpcenter import index_cache
        from unlockdesk.helpcenter.selectors import acknowledgement_suggestions

        hooks.register_acknowledgement_suggestions(acknowledgement_suggestions)
        warmup.register(index_cache.warm)
