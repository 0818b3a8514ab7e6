from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "hoptac.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from hoptac.accounts import audit

        # reads at each sign-in whether the user has an authenticator app (two-factor sign-in)
        from hoptac.accounts.two_factor import session  # noqa: F401

        # the audit log: sign-in, sign-out, failed sign-in, lockout (hoptac.accounts.audit)
        audit.connect_signals()
