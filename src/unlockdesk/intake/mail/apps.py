from django.apps import AppConfig


class IntakeMailConfig(AppConfig):
    """Its own app so the email channel keeps its own models, migrations, templates and catalog."""

    name = "unlockdesk.intake.mail"
    label = "intake_mail"
    verbose_name = "Email channel"
