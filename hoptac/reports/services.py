"""Writes of the annual reports: create, update, submit, approve, return, correct, remind.

Every write is one transaction, checks who acts (`by`: a user, or access.SYSTEM for imports
run by a command and the demo; None may do nothing), runs `full_clean()`, and is recorded by
django-simple-history with `access.author(by)` (None for the system) as its author. The
workflow is rules.ALLOWED_FROM; the figures' checks are rules.report_errors (their messages
in reports.messages).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hoptac.accounts import access
from hoptac.notifications import services as notifications
from hoptac.notifications.choices import Kind
from hoptac.reports import hooks, rules
from hoptac.reports.choices import ReminderChannel, ReportStatus
from hoptac.reports.indicators import INDICATORS
from hoptac.reports.models import AnnualReport, ReportReminder

if TYPE_CHECKING:
    from hoptac.accounts.models import User
    from hoptac.registry.models import Cooperative

VALUE_FIELDS = frozenset([spec.field for spec in INDICATORS] + ["notes"])


class ReportConflictError(ValidationError):
    """An edit made on an out-of-date form: the report was saved by someone else after the
    form was loaded. `revision` is the current one."""

    def __init__(self, revision: int) -> None:
        self.revision = revision
        super().__init__(
            _(
                "Someone else saved this report after you opened the form, so nothing was "
                "saved. Reload the report to see the changes."
            ),
            code="conflict",
        )


# --- who may act --------------------------------------------------------------------------


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _require_action(report: AnnualReport, action: str) -> None:
    if rules.may_act(action, report.status, is_current=report.is_current):
        return
    if not report.is_current:
        raise ValidationError(
            _("This is an earlier version of the report; only the current one can change."),
            code="superseded",
        )
    if report.status == ReportStatus.APPROVED:
        raise ValidationError(
            _("This report is approved and locked. Make a correction to change it."),
            code="locked",
        )
    messages = {
        rules.EDIT: _("A submitted report cannot be changed until it is returned."),
        rules.SUBMIT: _("This report was already submitted."),
        rules.APPROVE: _("Only a submitted report can be approved."),
        rules.RETURN: _("Only a submitted report can be returned."),
        rules.CORRECT: _("Only an approved report is corrected; change this one directly."),
    }
    raise ValidationError(messages[action], code="workflow")


@contextmanager
def _acting(by: User | access.SystemActor | None, report: AnnualReport) -> Iterator[None]:
    """Attribute the history record of the save to `by`."""
    report._history_user = access.author(by)  # type: ignore[attr-defined]
    try:
        yield
    finally:
        del report._history_user  # type: ignore[attr-defined]


def _save(report: AnnualReport, by: User | access.SystemActor | None) -> None:
    report.full_clean(validate_constraints=False)
    with _acting(by, report):
        report.save()


def _check_values(values: Mapping[str, Any]) -> None:
    unknown = set(values) - VALUE_FIELDS
    if unknown:
        raise TypeError(f"unknown report fields: {sorted(unknown)}")


def check_year(cooperative: Cooperative, year: int, today: Any = None) -> None:
    """A report is for a year the organisation existed in and that has begun."""
    today = today or timezone.localdate()
    if year > today.year:
        raise ValidationError(
            {"year": _("A report cannot be made for a year that has not begun.")}, code="year"
        )
    start = cooperative.start_date
    if start is not None and year < start.year:
        raise ValidationError(
            {
                "year": _(
                    "The cooperative was founded in %(founded)s; it has no report for %(year)s."
                )
                % {"founded": start.year, "year": year}
            },
            code="year",
        )


# --- services -----------------------------------------------------------------------------


@transaction.atomic
def report_create(
    *, cooperative: Cooperative, year: int, by: User | access.SystemActor | None, **values: Any
) -> AnnualReport:
    """Start the report of `cooperative` for `year`: version 1, a draft, with `values`."""
    _require(access.may_change_cooperative(by, cooperative))
    _check_values(values)
    check_year(cooperative, year)
    if AnnualReport.objects.filter(cooperative=cooperative, year=year).exists():
        raise ValidationError(
            {"year": _("This cooperative already has a report for this year.")}, code="exists"
        )
    report = AnnualReport(
        cooperative=cooperative, year=year, created_by=access.author(by), **values
    )
    _save(report, by)
    return report


def _locked_row(report: AnnualReport) -> AnnualReport:
    return AnnualReport.objects.select_for_update().get(pk=report.pk)


def _refresh(report: AnnualReport, current: AnnualReport) -> AnnualReport:
    """Copy the saved row onto the caller's instance (its cooperative stays loaded)."""
    for field in AnnualReport._meta.concrete_fields:
        setattr(report, field.attname, getattr(current, field.attname))
    return report


@transaction.atomic
def report_update(
    *, report: AnnualReport, by: User | access.SystemActor | None, revision: int, **values: Any
) -> AnnualReport:
    """Change the figures of a draft or returned report.

    revision: the `revision` the editor's form was loaded with; if the row has a newer one,
    nothing is saved and ReportConflictError says so. An approved report is locked.
    """
    _require(access.may_change_cooperative(by, report.cooperative))
    _check_values(values)
    current = _locked_row(report)
    _require_action(current, rules.EDIT)
    if current.revision != revision:
        raise ReportConflictError(current.revision)
    for name, value in values.items():
        setattr(current, name, value)
    current.revision += 1
    _save(current, by)
    return _refresh(report, current)


@transaction.atomic
def report_submit(
    *,
    report: AnnualReport,
    by: User | access.SystemActor | None,
    revision: int | None = None,
    now: datetime | None = None,
) -> AnnualReport:
    """Send a draft or returned report to the authority; every required figure must be filled.

    The first submission of a year's report (of any version) is kept: timeliness counts it.
    """
    _require(access.may_change_cooperative(by, report.cooperative))
    current = _locked_row(report)
    _require_action(current, rules.SUBMIT)
    if revision is not None and current.revision != revision:
        raise ReportConflictError(current.revision)
    missing = current.missing_fields()
    if missing:
        raise ValidationError(
            {
                name: _("Fill in %(label)s before submitting.")
                % {"label": AnnualReport._meta.get_field(name).verbose_name}
                for name in missing
            },
            code="incomplete",
        )
    now = now or timezone.now()
    current.status = ReportStatus.SUBMITTED
    current.submitted_by, current.submitted_at = access.author(by), now
    current.first_submitted_at = current.first_submitted_at or now
    current.revision += 1
    _save(current, by)
    return _refresh(report, current)


@transaction.atomic
def report_approve(
    *,
    report: AnnualReport,
    by: User | access.SystemActor | None,
    revision: int | None = None,
    now: datetime | None = None,
) -> AnnualReport:
    """Approve a submitted report (officers of the area only); it is then locked."""
    _require(access.may_review_cooperative(by, report.cooperative))
    current = _locked_row(report)
    _require_action(current, rules.APPROVE)
    if revision is not None and current.revision != revision:
        raise ReportConflictError(current.revision)
    current.status = ReportStatus.APPROVED
    current.approved_by, current.approved_at = access.author(by), now or timezone.now()
    current.revision += 1
    _save(current, by)
    hooks.report_approved(report=current, by=by)  # ratings re-proposes (reports.hooks)
    _tell_managers(report.cooperative, current, Kind.REPORT_APPROVED)
    return _refresh(report, current)


@transaction.atomic
def report_return(
    *,
    report: AnnualReport,
    by: User | access.SystemActor | None,
    comment: str,
    revision: int | None = None,
    now: datetime | None = None,
) -> AnnualReport:
    """Send a submitted report back for correction, saying why (officers of the area only)."""
    _require(access.may_review_cooperative(by, report.cooperative))
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError(
            {"comment": _("Say what must be corrected.")}, code="comment_required"
        )
    current = _locked_row(report)
    _require_action(current, rules.RETURN)
    if revision is not None and current.revision != revision:
        raise ReportConflictError(current.revision)
    current.status = ReportStatus.RETURNED
    current.returned_by, current.returned_at = access.author(by), now or timezone.now()
    current.return_comment = comment
    current.revision += 1
    _save(current, by)
    _tell_managers(report.cooperative, current, Kind.REPORT_RETURNED)
    return _refresh(report, current)


def _tell_managers(cooperative: Cooperative, report: AnnualReport, kind: str) -> None:
    """Notify the HTX's managers (its accounts in the registry) that its report was returned
    (with the officer's comment) or approved."""
    with notifications.site_language():
        names = {"year": report.year, "name": cooperative.name}
        if kind == Kind.REPORT_RETURNED:
            title = _("The %(year)s report of %(name)s was returned for correction") % names
            body = _("What to correct: %(comment)s") % {"comment": report.return_comment}
        else:
            title = _("The %(year)s report of %(name)s was approved") % names
            body = ""
        link = report.get_absolute_url()
    notifications.notify(cooperative.managers.all(), kind, title, body, link)


@transaction.atomic
def report_correct(*, report: AnnualReport, by: User | access.SystemActor | None) -> AnnualReport:
    """Correct an approved report: its figures are copied into a new version, a draft, which
    becomes the current one; the approved version stays unchanged in the history."""
    _require(access.may_change_cooperative(by, report.cooperative))
    current = _locked_row(report)
    _require_action(current, rules.CORRECT)
    current.is_current = False
    with _acting(by, current):
        current.save(update_fields=["is_current", "updated_at"])
    values = {name: getattr(current, name) for name in VALUE_FIELDS}
    corrected = AnnualReport(
        cooperative=report.cooperative,
        year=current.year,
        version=current.version + 1,
        created_by=access.author(by),
        first_submitted_at=current.first_submitted_at,
        **values,
    )
    _save(corrected, by)
    report.is_current = False
    return corrected


# --- reminders ----------------------------------------------------------------------------


def reminder_text(*, cooperative: Cooperative, year: int, deadline: Any) -> tuple[str, str]:
    """The subject and body of a reminder (also printed as the letter)."""
    subject = _("Reminder: annual report %(year)s of %(name)s") % {
        "year": year,
        "name": cooperative.name,
    }
    body = _(
        "To: %(name)s.\n\nThe annual report of the cooperative for %(year)s was due by "
        "%(deadline)s and has not been received. Please enter it in hoptac, or send it to the "
        "registration authority, as soon as possible.\n\nSource of the deadline: %(source)s."
    ) % {
        "name": cooperative.name,
        "year": year,
        "deadline": deadline.strftime("%d/%m/%Y"),
        "source": deadline_source(),
    }
    return subject, body


def deadline_source() -> str:
    """Where the reporting deadline comes from (shown with it)."""
    return _(
        "15 January of the following year under Decree 193/2013/NĐ-CP as amended by Decree "
        "107/2017/NĐ-CP (Cooperative Law 2012); the deadline under the Cooperative Law 2023 "
        "was not found, so this day is a setting (HOPTAC_REPORT_DEADLINE)"
    )


def deadline_notify(*, today: date, days: list[int]) -> list[tuple[int, int, int]]:
    """Notify the managers of each HTX whose report for the year is not yet submitted when
    its deadline (selectors.deadline_for, the rule of rules.report_deadline) is exactly n days
    away, for each n of `days`; once per manager, year and n (a second run tells no one).
    Returns (year, n, managers told) for each deadline that falls on one of those days."""
    from hoptac.registry.models import Cooperative
    from hoptac.reports import selectors

    sample = selectors.deadline_for(2001)
    done = []
    for year, n, deadline in rules.deadline_notices(
        today, days, month=sample.month, day=sample.day
    ):
        filed = AnnualReport.objects.filter(
            year=year,
            is_current=True,
            status__in=[ReportStatus.SUBMITTED, ReportStatus.APPROVED],
        ).values("cooperative_id")
        owing = selectors.expected_cooperatives(user=access.SYSTEM, area=None, year=year)
        ids = owing.exclude(pk__in=filed).values_list("pk", flat=True)
        names = dict(Cooperative.objects.filter(pk__in=ids).values_list("pk", "name"))
        by_manager: dict[int, list[int]] = {}
        for coop_id, user_id in Cooperative.managers.through.objects.filter(
            cooperative_id__in=list(names)
        ).values_list("cooperative_id", "user_id"):
            by_manager.setdefault(user_id, []).append(coop_id)
        managers = _active_users(list(by_manager))
        told = 0
        for user_id, coop_ids in sorted(by_manager.items()):
            if user_id not in managers:
                continue
            told += len(_tell_deadline(managers[user_id], year, n, deadline, coop_ids, names))
        done.append((year, n, told))
    return done


def _active_users(ids: list[int]) -> dict[int, User]:
    from hoptac.accounts.models import User

    return {user.pk: user for user in User.objects.filter(pk__in=ids, is_active=True)}


def _tell_deadline(
    user: User, year: int, n: int, deadline: date, coop_ids: list[int], names: dict[int, str]
) -> list[Any]:
    from django.urls import reverse

    with notifications.site_language():
        values = {"year": year, "n": n, "deadline": deadline.strftime("%d/%m/%Y")}
        title = _("The %(year)s report is due in %(n)s days (%(deadline)s)") % values
        listed = ", ".join(sorted(names[pk] for pk in coop_ids))
        body = _("Not yet submitted: %(names)s.") % {"names": listed}
        if len(coop_ids) == 1:
            link = reverse("reports:report_for_year", args=[coop_ids[0], year])
        else:
            link = reverse("portal:work")
    key = f"deadline:{year}:{n}"
    return notifications.notify([user], Kind.DEADLINE_APPROACHING, title, body, link, key=key)


@transaction.atomic
def reminder_send_email(
    *, cooperative: Cooperative, year: int, by: User, deadline: Any
) -> ReportReminder:
    """E-mail a reminder to the HTX's address through Django's mail backend."""
    _require(access.may_review_cooperative(by, cooperative))
    if not cooperative.email:
        raise ValidationError(
            _("This cooperative has no e-mail address; print a letter instead."), code="no_email"
        )
    subject, body = reminder_text(cooperative=cooperative, year=year, deadline=deadline)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [cooperative.email])
    return ReportReminder.objects.create(
        cooperative=cooperative,
        year=year,
        channel=ReminderChannel.EMAIL,
        sent_to=cooperative.email,
        sent_by=access.author(by),
    )


def reminder_send_many(*, cooperative_ids: list[int], year: int, by: User, deadline: Any) -> int:
    """E-mail a reminder to each of these HTX that `by` may review and that has an address;
    returns how many were sent."""
    from hoptac.registry.models import Cooperative

    sent = 0
    cooperatives = Cooperative.objects.filter(pk__in=cooperative_ids).select_related(
        "commune_legacy", "commune"
    )
    for cooperative in cooperatives:
        if cooperative.email and access.may_review_cooperative(by, cooperative):
            reminder_send_email(cooperative=cooperative, year=year, by=by, deadline=deadline)
            sent += 1
    return sent


def reminder_record_letter(*, cooperative: Cooperative, year: int, by: User) -> ReportReminder:
    """Record that a reminder letter was printed for the HTX."""
    _require(access.may_review_cooperative(by, cooperative))
    return ReportReminder.objects.create(
        cooperative=cooperative,
        year=year,
        channel=ReminderChannel.LETTER,
        sent_by=access.author(by),
    )
