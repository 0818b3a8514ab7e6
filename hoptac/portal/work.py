"""The signed-in user's home ("Việc cần làm", /lam-viec/): what he must do now, each task with
the page where it is done. Every count is read through the selector of the list the task links
to, with the same arguments that list's page uses by default, so the home and the list agree.
The module sits in the top app because it reads every app."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from hoptac.accounts import access
from hoptac.accounts import selectors as account_selectors
from hoptac.accounts.choices import OFFICER_ROLES
from hoptac.indicators.sources.frame import Frame
from hoptac.jobs import selectors as job_selectors
from hoptac.jobs.choices import JobState
from hoptac.plans import rules as plan_rules
from hoptac.plans import selectors as plan_selectors
from hoptac.portal import selectors as portal_selectors
from hoptac.portal.choices import MessageStatus
from hoptac.ratings import forms as rating_forms
from hoptac.ratings import selectors as rating_selectors
from hoptac.ratings.choices import RatingStatus
from hoptac.registry import selectors as registry_selectors
from hoptac.registry.choices import Problem
from hoptac.reports import forms as report_forms
from hoptac.reports import selectors as report_selectors
from hoptac.reports.choices import ReportStatus
from hoptac.support import selectors as support_selectors
from hoptac.support.choices import CaseStatus

# Jobs named one by one on the home (the newest first); the rest are on "my jobs".
JOBS_SHOWN = 5


@dataclass(frozen=True, slots=True)
class Task:
    """One thing to do: what, how many (None: not a count), where it is done, and a note
    (a deadline, the officer's comment)."""

    key: str
    label: str
    url: str
    count: int | None = None
    note: str = ""
    urgent: bool = False


@dataclass(slots=True)
class Section:
    title: str
    tasks: list[Task] = field(default_factory=list)


def _url(name: str, *args: Any, query: dict[str, Any] | None = None) -> str:
    url = reverse(name, args=args)
    return f"{url}?{urlencode(query)}" if query else url


def _day(day: date) -> str:
    return formats.date_format(day, "d/m/Y")


def home_sections(user: Any, *, today: date | None = None) -> list[Section]:
    """The sections of `user`'s home, by his role: an HTX manager's own HTX, an officer's
    area, the administrator's checks. A task with nothing to do is left out."""
    scope = access.scope_of(user)
    if scope.own:
        return _manager_sections(user, today)
    sections: list[Section] = []
    if scope.area is not None and user.role in OFFICER_ROLES:
        sections.append(_officer_section(user, scope.area, today))
    if scope.everything:
        sections.append(_admin_section(user))
    sections.append(_jobs_section(user, everyone=False))
    return [s for s in sections if s.tasks]


# --- HTX manager ------------------------------------------------------------------------------


def _manager_sections(user: Any, today: date | None) -> list[Section]:
    year = report_forms.default_year(today)
    deadline = report_selectors.deadline_for(year)
    sections = []
    for cooperative in registry_selectors.cooperative_list(user=user):
        section = Section(title=cooperative.name)
        report = report_selectors.report_current(cooperative=cooperative, year=year)
        if report is None or report.status == ReportStatus.DRAFT:  # returned: below
            late = (today or timezone.localdate()) > deadline
            section.tasks.append(
                Task(
                    key="report_due",
                    label=_("File the %(year)s report — due %(deadline)s")
                    % {"year": year, "deadline": _day(deadline)},
                    url=_url("reports:report_for_year", cooperative.pk, year),
                    note=_("Late") if late else "",
                    urgent=late,
                )
            )
        returned = report_selectors.report_versions(cooperative=cooperative).filter(
            is_current=True, status=ReportStatus.RETURNED
        )
        section.tasks.extend(
            Task(
                key="report_returned",
                label=_("The %(year)s report was returned") % {"year": r.year},
                url=r.get_absolute_url(),
                note=r.return_comment,
                urgent=True,
            )
            for r in returned
        )
        rating = rating_selectors.cooperative_ratings(cooperative=cooperative).first()
        if rating is not None:
            section.tasks.append(
                Task(
                    key="rating",
                    label=_("Rating %(year)s: %(rank)s")
                    % {"year": rating.year, "rank": rating.get_rank_display() or "—"},
                    url=rating.get_absolute_url(),
                    note=rating.get_status_display(),
                )
            )
        sections.append(section)
    support = Section(title=_("Support"))
    grants = support_selectors.grant_list(user=user).count()
    if grants:
        support.tasks.append(
            Task(
                key="support",
                label=_("Support received"),
                url=_url("support:grant_list"),
                count=grants,
            )
        )
    sections.append(support)
    sections.append(_jobs_section(user, everyone=False))
    return [s for s in sections if s.tasks]


# --- officers ---------------------------------------------------------------------------------


def _officer_section(user: Any, area: Any, today: date | None) -> Section:
    section = Section(title=area.full_name)
    year = report_forms.default_year(today)
    desk = report_selectors.desk(user=user, area=area, year=year)
    for key, count, show, label in (
        ("reports_submitted", desk.by_state["submitted"], "submitted", _("Reports to review")),
        ("reports_missing", desk.missing, "missing", _("Cooperatives that have not reported")),
    ):
        if count:
            section.tasks.append(
                Task(
                    key=key,
                    label=label,
                    count=count,
                    url=_url("reports:desk", query={"show": show}),
                    note=_("Deadline %(deadline)s") % {"deadline": _day(desk.deadline)},
                )
            )
    rating_year = rating_forms.default_year(today)
    unrated = rating_selectors.unrated_count(area=area, year=rating_year)
    if unrated:
        section.tasks.append(
            Task(
                key="ratings_to_propose",
                label=_("Cooperatives to rate for %(year)s") % {"year": rating_year},
                count=unrated,
                url=_url("ratings:area", area.pk, rating_year),
            )
        )
    proposed = rating_selectors.rating_list(
        user=user, area=area, year=rating_year, status=RatingStatus.PROPOSED
    ).count()
    if proposed:
        section.tasks.append(
            Task(
                key="ratings_to_approve",
                label=_("Ratings to approve for %(year)s") % {"year": rating_year},
                count=proposed,
                url=_url(
                    "ratings:area", area.pk, rating_year, query={"status": RatingStatus.PROPOSED}
                ),
            )
        )
    cases = support_selectors.open_case_counts(user=user)
    if cases:
        section.tasks.append(
            Task(
                key="remediation_open",
                label=_("Open remediation cases of weak cooperatives"),
                count=cases,
                url=_url("support:case_list", query={"status": CaseStatus.OPEN}),
            )
        )
    section.tasks.extend(_targets_at_risk(user, area, today))
    province = portal_selectors.portal_province()
    if access.may_edit_portal(user, province):
        feedback = portal_selectors.message_queue(
            user=user, province=province, status=MessageStatus.NEW
        ).count()
        if feedback:
            section.tasks.append(
                Task(
                    key="feedback_new",
                    label=_("Feedback to answer"),
                    count=feedback,
                    url=_url("portal:message_queue", query={"status": MessageStatus.NEW}),
                )
            )
    return section


def _targets_at_risk(user: Any, area: Any, today: date | None) -> list[Task]:
    """One task per plan of the officer's own area in force this year with targets at risk of
    not being achieved, assessed on today's date as the plan's page does by default."""
    on = today or timezone.localdate()
    tasks = []
    for plan in plan_selectors.plans_for_frame(frame=Frame(area=area, on=on), user=user):
        rows = plan_selectors.progress(
            frame=Frame(area=plan.area, on=on), targets=list(plan.targets.all())
        )
        at_risk = sum(row.assessment.outcome == plan_rules.AT_RISK for row in rows)
        if at_risk:
            tasks.append(
                Task(
                    key="targets_at_risk",
                    label=_("Targets at risk: %(plan)s") % {"plan": plan},
                    count=at_risk,
                    url=plan.get_absolute_url(),
                    urgent=True,
                )
            )
    return tasks


# --- administrator ----------------------------------------------------------------------------


def _admin_section(user: Any) -> Section:
    section = Section(title=_("System checks"))
    locked = account_selectors.user_list(user=user, filters={"locked": True}).count()
    if locked:
        section.tasks.append(
            Task(
                key="locked_accounts",
                label=_("Accounts locked out of signing in"),
                count=locked,
                url=_url("accounts:user_list", query={"locked": "on"}),
                urgent=True,
            )
        )
    for problem, label in (
        (Problem.NO_COMMUNE, _("Cooperatives in no commune")),
        (Problem.DUPLICATE_NAME, _("Cooperatives whose name another one has")),
    ):
        count = registry_selectors.cooperative_list(user=user, filters={"problem": problem}).count()
        if count:
            section.tasks.append(
                Task(
                    key=f"data_{problem}",
                    label=label,
                    count=count,
                    url=_url("registry:cooperative_list", query={"problem": problem}),
                )
            )
    failed = job_selectors.job_list(user=user, everyone=True).filter(state=JobState.FAILED)
    section.tasks.extend(_job_tasks(failed, key="job_failed"))
    return section


# --- jobs -------------------------------------------------------------------------------------


def _job_tasks(jobs: Any, *, key: str) -> list[Task]:
    """One task for each of the newest JOBS_SHOWN jobs, linking to its page."""
    return [
        Task(
            key=key,
            label=f"{job.title} — {job.get_state_display()}",
            url=_url("jobs:detail", job.pk),
            note=_day(job.created_at.date()) if job.created_at else "",
            urgent=job.state == JobState.FAILED,
        )
        for job in jobs[:JOBS_SHOWN]
    ]


def _jobs_section(user: Any, *, everyone: bool) -> Section:
    """The user's own jobs waiting, running or failed (his imports among them)."""
    jobs = job_selectors.job_list(user=user, everyone=everyone).filter(
        state__in=(JobState.QUEUED, JobState.RUNNING, JobState.FAILED)
    )
    section = Section(title=_("My jobs"))
    section.tasks.extend(_job_tasks(jobs, key="my_job"))
    if section.tasks:
        section.tasks.append(Task(key="my_jobs", label=_("All my jobs"), url=_url("jobs:list")))
    return section
