from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "unlockdesk.accounts"
    verbose_name = "Exchange accounts"
