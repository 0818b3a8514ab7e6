"""Abstract models shared by every app."""

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
