from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "howgood.accounts"
    label = "accounts"
    verbose_name = "Accounts"
