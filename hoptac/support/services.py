"""Writes of the support programmes. Every change goes through here: one transaction each,
`full_clean()`, and django-simple-history records attributed to `by`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from hoptac.accounts import access
from hoptac.registry.models import Cooperative
from hoptac.support import rules, selectors
from hoptac.support.choices import CaseOutcome, CaseStatus
from hoptac.support.models import (
    Course,
    GrantAttachment,
    Participant,
    Policy,
    PolicyBudget,
    ProgressNote,
    RemediationAction,
    RemediationCase,
    SupportGrant,
)

if TYPE_CHECKING:
    from hoptac.accounts.models import User

CATALOGUE = Path(__file__).resolve().parent / "data" / "policies.yaml"


def _save(obj: Model, by: User | None) -> None:
    """Validate and save `obj`, the history record attributed to `by`."""
    obj.full_clean()
    obj._history_user = access.author(by)  # type: ignore[attr-defined]  # simple-history reads it
    obj.save()


def _set(obj: Model, fields: dict[str, Any]) -> None:
    for name, value in fields.items():
        setattr(obj, name, value)


def _delete(obj: Model, by: User | None) -> None:
    obj._history_user = access.author(by)  # type: ignore[attr-defined]
    obj.delete()


# --- policies ---------------------------------------------------------------------------------


@transaction.atomic
def policy_catalogue_load(*, path: Path = CATALOGUE) -> int:
    """Create or refresh the State's policies from the data file (matched by code); returns
    how many it holds. Local policies are never touched."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    eligibility = data["eligibility"]
    sources = "\n".join([*data["sources"], *eligibility["sources"]])
    for item in data["policies"]:
        Policy.objects.update_or_create(
            code=item["code"],
            defaults={
                "name": item["name"],
                "kind": item["kind"],
                "legal_basis": data["legal_basis"],
                "content": item.get("content", ""),
                "criteria": list(eligibility["criteria"]),
                "criteria_basis": eligibility["basis"],
                "criteria_from": eligibility["in_force_from"],
                "valid_from": data["valid_from"],
                "source": sources,
                "area": None,
            },
        )
    return len(data["policies"])


@transaction.atomic
def policy_create(*, by: User | None, **fields: Any) -> Policy:
    """Add a local policy of an area (an officer's), with its kind and criteria."""
    policy = Policy(created_by=access.author(by), **fields)
    if policy.area_id is None:
        raise ValidationError({"area": _("Choose the area whose policy this is.")})
    _save(policy, by)
    return policy


@transaction.atomic
def policy_update(*, policy: Policy, by: User | None, **fields: Any) -> Policy:
    """Change a policy's fields."""
    _set(policy, fields)
    _save(policy, by)
    return policy


@transaction.atomic
def budget_save(
    *, by: User | None, budget: PolicyBudget | None = None, **fields: Any
) -> PolicyBudget:
    """Record (or change) a policy's budget for a year, area and source. The policy must apply
    in that area (national, or of an area holding it)."""
    budget = budget or PolicyBudget(created_by=access.author(by))
    _set(budget, fields)
    if budget.policy_id and budget.area_id and not budget.policy.applies_to_path(budget.area.path):
        raise ValidationError({"policy": _("This policy does not apply in the chosen area.")})
    _save(budget, by)
    return budget


@transaction.atomic
def budget_delete(*, budget: PolicyBudget, by: User | None) -> None:
    _delete(budget, by)


# --- support given ----------------------------------------------------------------------------


class EligibilityError(ValidationError):
    """The check did not show the HTX eligible, and no reason to support it anyway was given.

    `result` is the check (rules.EligibilityResult), for the page to show each criterion.
    """

    def __init__(self, result: rules.EligibilityResult) -> None:
        self.result = result
        super().__init__(
            {
                "override_reason": _(
                    "The records do not show that this cooperative meets any of the policy's "
                    "criteria. Check them, and write why it is supported anyway."
                )
            },
            code="eligibility",
        )


def _check_applies(policy: Policy, cooperative: Cooperative) -> None:
    paths = [u.path for u in (cooperative.commune_legacy, cooperative.commune) if u is not None]
    if not any(policy.applies_to_path(path) for path in paths):
        raise ValidationError(
            {"policy": _("This policy does not apply in the cooperative's area.")}
        )


def _eligibility(grant: SupportGrant) -> None:
    """Check the HTX against the policy and store the outcome; refuse a "not shown" outcome
    that has no reason to override it."""
    result = selectors.eligibility_check(
        cooperative=grant.cooperative, policy=grant.policy, on=grant.granted_on
    )
    grant.eligibility = result.status
    grant.eligibility_detail = result.as_json()
    if result.needs_reason and not grant.override_reason.strip():
        raise EligibilityError(result)
    if not result.needs_reason:
        grant.override_reason = ""


@transaction.atomic
def grant_record(
    *,
    by: User | None,
    cooperative: Cooperative,
    policy: Policy,
    granted_on: date,
    source: str,
    amount: Decimal | None = None,
    in_kind: str = "",
    product_support: str = "",
    note: str = "",
    override_reason: str = "",
    files: Iterable[UploadedFile] = (),
) -> SupportGrant:
    """Record support given to an HTX under a policy.

    The HTX is checked against the policy's criteria (rules.check_eligibility); if that does
    not show it eligible, EligibilityError is raised unless `override_reason` says why it is
    supported anyway, and the reason is stored with the check.
    """
    grant = SupportGrant(
        cooperative=cooperative,
        policy=policy,
        granted_on=granted_on,
        source=source,
        amount=amount,
        in_kind=in_kind,
        product_support=product_support,
        note=note,
        override_reason=override_reason,
        created_by=access.author(by),
    )
    if policy.pk and cooperative.pk:
        _check_applies(policy, cooperative)
    grant.full_clean(exclude=["eligibility_detail"])
    _eligibility(grant)
    _save(grant, by)
    for upload in files:
        attachment_add(grant=grant, file=upload, by=by)
    return grant


@transaction.atomic
def grant_update(*, grant: SupportGrant, by: User | None, **fields: Any) -> SupportGrant:
    """Change a support's fields; the eligibility is checked again."""
    files = fields.pop("files", ())
    _set(grant, fields)
    _check_applies(grant.policy, grant.cooperative)
    grant.full_clean(exclude=["eligibility_detail"])
    _eligibility(grant)
    _save(grant, by)
    for upload in files:
        attachment_add(grant=grant, file=upload, by=by)
    return grant


@transaction.atomic
def grant_delete(*, grant: SupportGrant, by: User | None) -> None:
    """Remove a support recorded by mistake (its attachments go with it)."""
    for attachment in grant.attachments.all():
        attachment.file.delete(save=False)
        _delete(attachment, by)
    _delete(grant, by)


@transaction.atomic
def attachment_add(*, grant: SupportGrant, file: UploadedFile, by: User | None) -> GrantAttachment:
    """Attach a document to a support."""
    name = Path(file.name or "").name[:255] or _("document")
    attachment = GrantAttachment(grant=grant, file=file, name=name, uploaded_by=access.author(by))
    _save(attachment, by)
    return attachment


@dataclass
class GrantRow:
    """One row of an import of support given: its row number and the service's arguments."""

    number: int
    values: dict[str, Any] = field(default_factory=dict)


@transaction.atomic
def grants_import(*, rows: Sequence[GrantRow], by: User | None) -> list[SupportGrant]:
    """Record every row (already validated one by one) in one transaction: any error rolls
    the whole file back."""
    return [grant_record(by=by, **row.values) for row in rows]


# --- training ---------------------------------------------------------------------------------


@transaction.atomic
def course_save(*, by: User | None, course: Course | None = None, **fields: Any) -> Course:
    """Record (or change) a training course."""
    course = course or Course(created_by=access.author(by))
    _set(course, fields)
    _save(course, by)
    return course


@transaction.atomic
def participant_save(
    *, by: User | None, participant: Participant | None = None, **fields: Any
) -> Participant:
    """Add (or change) a person of a course: an officer of an area, or a manager or member of
    an HTX."""
    participant = participant or Participant()
    _set(participant, fields)
    _save(participant, by)
    return participant


@transaction.atomic
def participant_delete(*, participant: Participant, by: User | None) -> None:
    _delete(participant, by)


@transaction.atomic
def participants_import(
    *, course: Course, rows: Sequence[dict[str, Any]], by: User | None
) -> list[Participant]:
    """Add every row to `course` in one transaction: any error rolls the whole file back."""
    return [participant_save(by=by, course=course, **values) for values in rows]


# --- weak HTX ---------------------------------------------------------------------------------


@transaction.atomic
def remediation_open(
    *,
    cooperative: Cooperative,
    year: int,
    by: User | None,
    causes: str = "",
    responsible: User | None = None,
    deadline: date | None = None,
) -> RemediationCase:
    """Open the remediation case of an HTX rated weak in `year` (by hand, or from a rating)."""
    case = RemediationCase(
        cooperative=cooperative,
        year=year,
        causes=causes,
        responsible=responsible,
        deadline=deadline,
        created_by=access.author(by),
    )
    _save(case, by)
    return case


@transaction.atomic
def remediation_open_for_weak(
    cooperative: Cooperative, year: int, by: User | None
) -> RemediationCase:
    """The ratings app's hook: an HTX's rating for `year` was approved as yếu, so it gets a
    remediation case. Idempotent: the case of that year is returned if it exists already; an
    open case of an earlier year stays open (its outcome is recorded at this rating)."""
    existing = RemediationCase.objects.filter(cooperative=cooperative, year=year).first()
    if existing is not None:
        return existing
    for earlier in RemediationCase.objects.filter(
        cooperative=cooperative, year__lt=year, status=CaseStatus.OPEN
    ):
        earlier.outcome = CaseOutcome.STILL_WEAK
        earlier.outcome_note = _("Rated weak again for %(year)s.") % {"year": year}
        _save(earlier, by)
    return remediation_open(cooperative=cooperative, year=year, by=by)


@transaction.atomic
def case_update(*, case: RemediationCase, by: User | None, **fields: Any) -> RemediationCase:
    """Change a case's causes, responsible officer, deadline."""
    _set(case, fields)
    _save(case, by)
    return case


@transaction.atomic
def case_close(
    *,
    case: RemediationCase,
    by: User | None,
    outcome: str,
    outcome_note: str = "",
    closed_on: date | None = None,
) -> RemediationCase:
    """Close a case with its outcome at the next rating."""
    if not case.is_open:
        raise ValidationError(_("This case is already closed."))
    case.status = CaseStatus.CLOSED
    case.outcome = outcome
    case.outcome_note = outcome_note
    case.closed_on = closed_on or timezone.localdate()
    _save(case, by)
    return case


@transaction.atomic
def action_save(
    *,
    case: RemediationCase,
    by: User | None,
    action: RemediationAction | None = None,
    **fields: Any,
) -> RemediationAction:
    """Add (or change) an action of a case."""
    action = action or RemediationAction(case=case)
    _set(action, fields)
    _save(action, by)
    return action


@transaction.atomic
def note_add(
    *, case: RemediationCase, by: User | None, text: str, written_on: date | None = None
) -> ProgressNote:
    """Write a progress note on a case."""
    note = ProgressNote(case=case, text=text, written_on=written_on or timezone.localdate(), by=by)
    _save(note, by)
    return note
