"""Users of hoptac: one role and, for officers, one administrative area; and the audit log."""

from typing import Any, NoReturn

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from hoptac.accounts.choices import AuditAction, Role
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


class AppendOnlyError(RuntimeError):
    """An attempt to change or delete an entry of the audit log from the application."""


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    """Entries are added, never changed or deleted (only `audit_purge` removes old ones)."""

    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("the audit log is append-only: entries are never changed")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("the audit log is append-only: only audit_purge deletes entries")

    def purge(self) -> int:
        """Delete these entries; for hoptac.accounts.audit.audit_purge alone (retention)."""
        deleted, _per_model = models.QuerySet.delete(self)
        return deleted


class AuditEntry(models.Model):
    """One event of the audit log kept under Nghị định 13/2023/NĐ-CP (personal data): a
    sign-in or sign-out, a failed sign-in, a lockout and its lifting, a change of an account
    or its role, an export or download of data (with its filter and row count).

    Append-only: `save()` refuses to change a stored entry, `delete()` and the queryset's
    `update()`/`delete()` raise, and on PostgreSQL a trigger refuses UPDATE and any DELETE but
    the retention purge's (migration 0005). Written by hoptac.accounts.audit.
    """

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        "accounts.User",
        # Accounts are deactivated rather than deleted; if one is deleted all the same, its
        # entries keep its id and name (no database constraint, nothing cascades or changes).
        models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    # the name as typed at a failed sign-in (no actor then), else the actor's name at the time
    username = models.CharField(_("user name"), max_length=150, blank=True)
    action = models.CharField(
        pgettext_lazy("audit", "action"), max_length=30, choices=AuditAction.choices
    )
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=255, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["action", "at"], name="accounts_audit_action_at"),
            models.Index(fields=["username", "at"], name="accounts_audit_username_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username or '-'} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Insert a new entry; a stored one is never written again."""
        if not self._state.adding:
            raise AppendOnlyError("the audit log is append-only: entries are never changed")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("the audit log is append-only: only audit_purge deletes entries")
