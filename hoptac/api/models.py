"""Personal API tokens: a user's (or a service account's) key to /api/v1/, stored hashed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hoptac.api.choices import Scope


class ApiToken(models.Model):
    """A personal API token of `user`, with a scope and an expiry.

    The token's text ("hoptac_<lookup>_<secret>") is shown once, when made; only its public
    `lookup` part and the SHA-256 of its secret are kept (hoptac.api.rules). It acts as its
    user, within his role and area (hoptac.accounts.access), and `read` never writes.
    """

    name = models.CharField(_("name"), max_length=100)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    scope = models.CharField(_("scope"), max_length=16, choices=Scope.choices, default=Scope.READ)
    lookup = models.CharField(_("lookup prefix"), max_length=16, unique=True, editable=False)
    digest = models.CharField(_("secret digest"), max_length=64, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def prefix(self) -> str:
        """What the token list shows of the token: its public start."""
        return f"hoptac_{self.lookup}"
