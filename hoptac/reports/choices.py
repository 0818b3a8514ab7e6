"""Codes of the annual report workflow."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportStatus(models.TextChoices):
    """draft → submitted → approved, or → returned (with a comment) → submitted again.
    An approved report is locked; a correction starts a new version as a draft."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")


# Statuses in which the report's figures may still be changed (by whoever may change it).
EDITABLE_STATUSES = frozenset({ReportStatus.DRAFT, ReportStatus.RETURNED})
# Statuses that count as "reported" on the reporting desk (sent to the authority).
REPORTED_STATUSES = frozenset({ReportStatus.SUBMITTED, ReportStatus.APPROVED})


class ReminderChannel(models.TextChoices):
    """How a reminder to report was sent."""

    EMAIL = "email", _("E-mail")
    LETTER = "letter", _("Letter")
