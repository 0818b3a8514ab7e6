"""Abstract models shared by every app, and the few tables of core's own machinery."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """A row that knows when it was created and last changed."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class DatedActivity(TimeStampedModel):
    """Something that happens from a start date to an end date (a course, a trade fair).

    The end is optional here; a subclass may declare `ends_on` again to require it."""

    starts_on = models.DateField(_("start date"))
    ends_on = models.DateField(_("end date"), null=True, blank=True)

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The end cannot be before the start.")})


class CacheVersion(models.Model):
    """The version of one namespace of cached fragments (hoptac.core.fragments): it moves
    when what the namespace shows changes, so fragments cached under an older one are never
    read again."""

    name = models.CharField(_("name"), max_length=100, primary_key=True)
    value = models.BigIntegerField(_("version"))

    class Meta:
        verbose_name = _("cache version")
        verbose_name_plural = _("cache versions")

    def __str__(self) -> str:
        return f"{self.name} {self.value}"


class StoredUpload(models.Model):
    """A spreadsheet uploaded for an import, kept in the database between the steps of the
    import page (and for the job that runs it), so that any app server or worker can serve
    any step: the file, what was found in it (meta: layout, column map, options, summary, the
    job last started on it) and the fix-list of the last run. Swept after a day
    (hoptac.core.tabular.stored). The progress of a run is its job's (hoptac.jobs)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=40)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("owner"),
    )
    filename = models.CharField(_("file name"), max_length=200)
    content = models.BinaryField(_("content"))
    meta = models.JSONField(_("details"), default=dict)
    fix_list = models.BinaryField(_("fix-list"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("stored upload")
        verbose_name_plural = _("stored uploads")

    def __str__(self) -> str:
        return f"{self.kind} {self.filename}"


class StoredPlan(models.Model):
    """One row of the last run of a stored upload, as its preview shows it."""

    upload = models.ForeignKey(
        StoredUpload, on_delete=models.CASCADE, related_name="plans", verbose_name=_("upload")
    )
    position = models.PositiveIntegerField(_("position"))
    action = models.CharField(_("action"), max_length=10)
    data = models.JSONField(_("row"))

    class Meta:
        verbose_name = _("planned row")
        verbose_name_plural = _("planned rows")
        indexes = [models.Index(fields=["upload", "action", "position"])]

    def __str__(self) -> str:
        return f"{self.upload_id} {self.position} {self.action}"
