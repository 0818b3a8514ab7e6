from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """What a notification tells (the codes are the interface of issue #16 item 4)."""

    REPORT_RETURNED = "report_returned", _("An annual report was returned for correction")
    REPORT_APPROVED = "report_approved", _("An annual report was approved")
    RATING_PUBLISHED = "rating_published", _("A rating was published")
    DEADLINE_APPROACHING = "deadline_approaching", _("A reporting deadline is approaching")
    FEEDBACK_ANSWERED = "feedback_answered", _("Feedback was answered")
    JOB_FINISHED = "job_finished", _("A background job ended")


# What reaches a user by e-mail until he chooses: everything but the end of a job, which each
# job's own checkbox decides ("e-mail me when it ends"; this choice is only its default).
DEFAULT_EMAIL_KINDS = frozenset(Kind.values) - {Kind.JOB_FINISHED}
