"""Users of hoptac: one role and, for officers, one administrative area."""

from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hoptac.accounts.choices import Role
from hoptac.core.text import fold


class User(AbstractUser):
    """A person who signs in: an administrator, an officer of an area, or an HTX manager.

    What the user may see and change follows from `role` and `area` alone, and is
    decided in one place: `hoptac.accounts.access`.
    """

    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    area = models.ForeignKey(
        "areas.AdminUnit",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("area"),
        help_text=_("The province, district or commune the officer works for."),
    )
    title = models.CharField(_("job title"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    # user name and full name folded to lower-case ASCII, so that "binh" finds "Ma Văn Bình"
    search_name = models.CharField(_("search name"), max_length=310, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["password", "last_login", "search_name"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.full_name or self.username

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Keep `search_name` in step with the names it is derived from (no other effect)."""
        self.search_name = fold(f"{self.username} {self.full_name}")[:310]
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"username", "full_name"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_name"}
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username
