"""A Job: one piece of long work, its progress, its result and its file, kept in the database so
that any app server shows it and any worker runs it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hoptac.jobs.choices import FINISHED, JobState


class JobQuerySet(models.QuerySet["Job"]):
    def light(self) -> JobQuerySet:
        """Without the result file's bytes (lists and progress never need them)."""
        return self.defer("file_content")

    def unfinished(self) -> JobQuerySet:
        return self.filter(state__in=[JobState.QUEUED, JobState.RUNNING])


class Job(models.Model):
    kind = models.CharField(_("kind"), max_length=60)
    title = models.CharField(_("title"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="jobs",
    )
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    state = models.CharField(
        _("state"), max_length=12, choices=JobState.choices, default=JobState.QUEUED
    )
    phase = models.CharField(_("phase"), max_length=40, blank=True)
    done = models.BigIntegerField(_("done"), default=0)
    total = models.BigIntegerField(_("total"), default=0)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    cancel_requested = models.BooleanField(_("cancel requested"), default=False)
    attempt = models.PositiveSmallIntegerField(_("attempt"), default=1)
    retry_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="retries"
    )
    task_id = models.CharField(_("queue task id"), max_length=64, blank=True)
    error = models.TextField(_("error"), blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    file_type = models.CharField(_("file type"), max_length=120, blank=True)
    file_content = models.BinaryField(_("file"), null=True, blank=True, editable=False)
    notify_email = models.BooleanField(_("e-mail me when it ends"), default=False)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["owner", "-created_at"], name="jobs_owner_created"),
            models.Index(fields=["state"], name="jobs_state"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def finished(self) -> bool:
        return self.state in FINISHED

    @property
    def percent(self) -> int:
        if self.state == JobState.SUCCEEDED:
            return 100
        if self.total <= 0:
            return 0
        return min(100, int(self.done * 100 / self.total))

    @property
    def has_file(self) -> bool:
        return bool(self.file_name)
