"""Writes of the ratings: propose (the engine rates every HTX of an area), enter scores,
override, approve, publish, and re-propose when an approved report changes.

Every write is one transaction, checks who acts (`by`: a user, or access.SYSTEM for commands
and the demo; None may do nothing), and is recorded by django-simple-history with
`access.author(by)` (None for the system) as its author. The points and the rank always come
from the engine (hoptac/ratings/rules, docs/rules.md) run on the scores given and on the
approved reports of the year and of the year before; an officer may only set the rank
himself with a note (`rating_override`), and a verified score that changes what the engine would
take (the reports' points, else the HTX's self-score) needs a note too.

Re-proposal when a report changes (the simplest robust way): a rating records the report
versions it used; `selectors.stale_ids` finds, when ratings are read, those whose reports have a
newer approved version; `rating_propose_for_area` and `rating_repropose` re-rate them. A
re-rating that changes points or rank sends an approved rating back to "proposed" (and
unpublishes it), to be approved again; one that changes nothing only records the new versions.
The reports app's hook (hoptac.reports.hooks, registered in RatingsConfig.ready) calls
`rating_report_approved(report=…)` right after a report is approved, which does the same for
that HTX at once; reading finds what changed by other ways (an import writing the reports).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from hoptac.accounts import access
from hoptac.areas.models import AdminUnit
from hoptac.notifications import services as notifications
from hoptac.notifications.choices import Kind
from hoptac.ratings import hooks, logic, selectors
from hoptac.ratings.choices import NO_RULES, Rank, RatingStatus, RoundStatus
from hoptac.ratings.models import Rating, RatingRound
from hoptac.ratings.rules import NOT_RATED, RuleSet, propose_item, rate
from hoptac.ratings.rules.numbers import format_vi
from hoptac.registry.models import Cooperative, StatusChange
from hoptac.reports.models import AnnualReport

if TYPE_CHECKING:
    from hoptac.accounts.models import User


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


@contextmanager
def _acting(
    by: User | access.SystemActor | None, rating: Rating | RatingRound, reason: str = ""
) -> Iterator[None]:
    """Attribute the history record of the save to `by`, with a reason when given."""
    rating._history_user = access.author(by)  # type: ignore[union-attr]
    if reason:
        rating._change_reason = reason  # type: ignore[union-attr]
    try:
        yield
    finally:
        del rating._history_user  # type: ignore[union-attr]
        if reason:
            del rating._change_reason  # type: ignore[union-attr]


# Foreign keys set by the services themselves, not typed by anyone: not checked row by row (one
# query each) on every save.
_TRUSTED_FKS = ["round", "cooperative", "report", "previous_report", "approved_by", "area",
                "created_by"]  # fmt: skip


def _save(
    obj: Rating | RatingRound, by: User | access.SystemActor | None, reason: str = ""
) -> None:
    obj.full_clean(exclude=_TRUSTED_FKS, validate_constraints=False)
    with _acting(by, obj, reason):
        obj.save()


# --- the engine's inputs --------------------------------------------------------------------


@dataclass
class Inputs:
    """What the engine reads besides the scores, for one organisation and year."""

    report: AnnualReport | None = None
    previous: AnnualReport | None = None
    history: list[tuple[date, str]] = field(default_factory=list)


def _inputs(cooperatives: Iterable[Cooperative], year: int) -> dict[int, Inputs]:
    """The approved reports (latest versions) of `year` and `year - 1` and the status history of
    each organisation: two queries for any number of them."""
    ids = [c.pk for c in cooperatives]
    found: dict[int, Inputs] = defaultdict(Inputs)
    latest = selectors.latest_approved_reports(ids, (year, year - 1))
    for (coop_id, report_year), report in latest.items():
        if report_year == year:
            found[coop_id].report = report
        else:
            found[coop_id].previous = report
    changes = StatusChange.objects.filter(cooperative_id__in=ids).order_by("pk")
    for coop_id, on, status in changes.values_list("cooperative_id", "effective_on", "status"):
        found[coop_id].history.append((on, status))
    return found


def _figures(report: AnnualReport | None) -> dict[str, str] | None:
    if report is None:
        return None
    return {key: logic.as_text(value) for key, value in report.as_rating_data().items()}


def _outcome(rating: Rating) -> tuple[Any, ...]:
    return (
        rating.rules_id,
        dict(rating.points),
        rating.total,
        rating.engine_rank,
        rating.reason_code,
        list(rating.errors),
    )


def _rate(rating: Rating, inputs: Inputs) -> None:
    """Run the engine on the rating's scores and the organisation's current data, and store
    what it found (nothing is saved here)."""
    cooperative = rating.cooperative
    rating.months_stopped = logic.months_stopped(inputs.history, rating.year)
    rating.report, rating.previous_report = inputs.report, inputs.previous
    rating.report_version = inputs.report.version if inputs.report else None
    rating.previous_report_version = inputs.previous.version if inputs.previous else None
    rating.report_data = {
        "report": _figures(inputs.report),
        "previous_report": _figures(inputs.previous),
    }
    rules = logic.rules_applying(rating.year, cooperative.sector)
    rating.rules_id = rules.id if rules else ""
    rating.points, rating.total, rating.errors = {}, None, []
    rating.reason_code = ""
    if rules is None:
        rating.engine_rank = NOT_RATED
        rating.reason_code = NO_RULES
        rating.reason = logic.no_rules_reason(rating.year, cooperative.sector)
    elif cooperative.founded_on is None and cooperative.registered_on is None:
        rating.engine_rank = ""
        rating.reason = ""
        rating.errors = [
            "Thiếu ngày thành lập của hợp tác xã trong sổ đăng ký: bổ sung để xếp loại"
        ]
    else:
        _apply_result(rating, rules)
    rank = rating.override_rank or rating.engine_rank
    rating.rank = rank if rating.engine_rank else ""


def _apply_result(rating: Rating, rules: RuleSet) -> None:
    result = rate(rules, selectors.rating_case(rating, rules))
    rating.points = {c.id: logic.as_text(c.points) for c in result.criteria if c.items}
    rating.total = result.total
    rating.engine_rank = result.rank or ""
    rating.reason = result.reason_vi
    rating.reason_code = result.reason_code or ""
    rating.errors = list(result.errors)
    if result.rank == NOT_RATED:
        rating.points = {}


def _changed_note(rating: Rating, before: tuple[Any, ...]) -> str:
    """A history note saying how a re-rating changed the result."""
    old_total, old_rank = before[2], before[3]
    new = rating.total
    parts = [_("re-proposed: the approved reports changed")]
    if old_total != new or old_rank != rating.engine_rank:
        parts.append(
            f"{format_vi(old_total) if old_total is not None else '—'} → "
            f"{format_vi(new) if new is not None else '—'}, "
            f"{old_rank or '—'} → {rating.engine_rank or '—'}"
        )
    return "; ".join(parts)


# --- propose --------------------------------------------------------------------------------


@transaction.atomic
def rating_propose_for_area(
    *, area: AdminUnit, year: int, by: User | access.SystemActor | None, now: datetime | None = None
) -> RatingRound:
    """Rate every organisation of `area` for `year` with the engine: new ones are proposed,
    proposed ones re-rated with their current scores and reports, approved ones left as they
    are unless their reports changed (then re-proposed, see the module doc)."""
    _require(access.may_rate_area(by, area))
    now = now or timezone.now()
    cooperatives = list(
        selectors.rating_population(area=area, year=year).select_related(
            "commune_legacy", "commune"
        )
    )
    round_, _created = RatingRound.objects.get_or_create(
        area=area, year=year, defaults={"created_by": access.author(by)}
    )
    existing = {
        r.cooperative_id: r for r in Rating.objects.filter(year=year, cooperative__in=cooperatives)
    }
    stale = selectors.stale_ids(existing.values())
    inputs = _inputs(cooperatives, year)
    new: list[Rating] = []
    for cooperative in cooperatives:
        rating = existing.get(cooperative.pk)
        if rating is None:
            rating = Rating(round=round_, cooperative=cooperative, year=year, proposed_at=now)
            _rate(rating, inputs[cooperative.pk])
            rating.full_clean(exclude=_TRUSTED_FKS, validate_constraints=False)
            new.append(rating)
            continue
        rating.cooperative = cooperative
        if rating.status == RatingStatus.PROPOSED or rating.pk in stale:
            _rerate(rating, inputs[cooperative.pk], by, now)
    bulk_create_with_history(
        new,
        Rating,
        batch_size=500,
        default_user=access.author(by),
        default_change_reason=_("proposed"),
    )
    round_.rules_ids = sorted(
        set(Rating.objects.filter(year=year, cooperative__in=cooperatives).exclude(rules_id="")
            .values_list("rules_id", flat=True))
    )  # fmt: skip
    round_.proposed_at = now
    _save(round_, by)
    _refresh_rounds(year, cooperatives)
    round_.refresh_from_db()
    return round_


def _rerate(
    rating: Rating, inputs: Inputs, by: User | access.SystemActor | None, now: datetime
) -> bool:
    """Re-rate a rating with its organisation's current data; an approved rating whose result
    changes goes back to "proposed". Saves only when something changed; True then."""
    before = _outcome(rating)
    reports = (rating.report_id, rating.previous_report_id)
    _rate(rating, inputs)
    changed = _outcome(rating) != before
    if not changed and reports == (rating.report_id, rating.previous_report_id):
        return False
    reason = _("proposed again")
    if reports != (rating.report_id, rating.previous_report_id):
        reason = _changed_note(rating, before)
    if changed and rating.status == RatingStatus.APPROVED:
        rating.status = RatingStatus.PROPOSED
        rating.approved_by, rating.approved_at = None, None
        rating.published, rating.published_at = False, None
    rating.proposed_at = now
    _save(rating, by, reason)
    return True


@transaction.atomic
def rating_start(
    *, cooperative: Cooperative, year: int, by: User | access.SystemActor | None
) -> Rating:
    """Start the rating of one organisation for `year` (an HTX manager who self-scores before the
    area is proposed, or an officer rating one HTX): the engine's first proposal."""
    _require(access.may_change_cooperative(by, cooperative))
    if year > timezone.localdate().year:
        raise ValidationError(_("A year that has not begun cannot be rated."), code="year")
    existing = Rating.objects.filter(cooperative=cooperative, year=year).first()
    if existing is not None:
        return existing
    rating = Rating(cooperative=cooperative, year=year, proposed_at=timezone.now())
    _rate(rating, _inputs([cooperative], year)[cooperative.pk])
    _save(rating, by, _("proposed"))
    return rating


@transaction.atomic
def rating_repropose(
    *, rating: Rating, by: User | access.SystemActor | None, now: datetime | None = None
) -> bool:
    """Re-rate one rating with the current reports and registry (True when it changed)."""
    _require(access.may_review_cooperative(by, rating.cooperative))
    locked = _locked(rating)
    changed = _rerate(locked, _inputs([locked.cooperative], locked.year)[locked.cooperative_id],
                      by, now or timezone.now())  # fmt: skip
    _refresh(rating, locked)
    _refresh_rounds(rating.year, [rating.cooperative])
    return changed


@transaction.atomic
def rating_report_approved(
    *, report: AnnualReport, by: User | access.SystemActor | None = None
) -> int:
    """The hook for the reports app: `report` was approved (a new version, maybe). Re-propose
    the ratings that read it (its year's, and the next year's, which compares with it) and no
    longer use the latest version. Returns how many changed."""
    ratings = list(
        Rating.objects.filter(
            cooperative_id=report.cooperative_id, year__in=(report.year, report.year + 1)
        ).select_related("cooperative")
    )
    stale = selectors.stale_ids(ratings)
    changed = 0
    for rating in ratings:
        if rating.pk in stale:
            inputs = _inputs([rating.cooperative], rating.year)[rating.cooperative_id]
            changed += _rerate(rating, inputs, by, timezone.now())
            _refresh_rounds(rating.year, [rating.cooperative])
    return changed


# --- scores ---------------------------------------------------------------------------------


def _locked(rating: Rating) -> Rating:
    locked = Rating.objects.select_for_update().get(pk=rating.pk)
    locked.cooperative = rating.cooperative
    return locked


def _refresh(rating: Rating, current: Rating) -> Rating:
    """Copy the saved row onto the caller's instance (its cooperative stays loaded)."""
    for model_field in Rating._meta.concrete_fields:
        setattr(rating, model_field.attname, getattr(current, model_field.attname))
    return rating


def _require_open(rating: Rating) -> None:
    if rating.status != RatingStatus.PROPOSED:
        raise ValidationError(_("This rating is approved and locked."), code="locked")


def _clean_scores(
    rules: RuleSet | None, given: Mapping[str, object], label: str
) -> dict[str, Decimal | None]:
    """Check typed scores against the rule set: known keys, numbers, within each unit's bound.
    Messages are in Vietnamese and name the criterion."""
    if not given:
        return {}
    if rules is None:
        raise ValidationError(
            _("No rule applies to this rating: there is nothing to score."), code="no_rules"
        )
    items = {item.id: item for item in rules.items()}
    errors: dict[str, str] = {}
    cleaned: dict[str, Decimal | None] = {}
    for key, value in given.items():
        item = items.get(key)
        if item is None:
            errors[key] = f"Không có tiêu chí mã '{key}' trong {rules.name_vi}"
            continue
        try:
            number = logic.to_decimal(value)
        except ValueError:
            errors[key] = f"Điểm {label} của tiêu chí {key} phải là một số"
            continue
        if number is not None and not Decimal(0) <= number <= item.bound:
            errors[key] = (
                f"Điểm {label} của tiêu chí {key} ({item.name_vi}) phải từ 0 đến"
                f" {format_vi(item.bound)}"
            )
            continue
        cleaned[key] = number
    if errors:
        raise ValidationError(errors, code="score")
    return cleaned


def _merge(stored: Mapping[str, str], changes: Mapping[str, Decimal | None]) -> dict[str, str]:
    merged = dict(stored)
    for key, value in changes.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = logic.as_text(value)
    return merged


def _note_line(by: User | access.SystemActor | None, note: str, keys: Iterable[str]) -> str:
    recorded = access.author(by)
    who = recorded.display_name if recorded is not None else _("system")
    when = formats.date_format(timezone.localdate(), "SHORT_DATE_FORMAT")
    what = ", ".join(keys)
    return f"{when} · {who}{f' ({what})' if what else ''}: {note.strip()}"


def _append_note(rating: Rating, line: str) -> None:
    rating.override_note = f"{rating.override_note}\n{line}".strip()


@transaction.atomic
def rating_set_scores(
    *,
    rating: Rating,
    by: User | access.SystemActor | None,
    self_scores: Mapping[str, object] | None = None,
    verified_scores: Mapping[str, object] | None = None,
    sanctioned: bool | None = None,
    note: str = "",
) -> Rating:
    """Enter scores of a proposed rating, then rate again.

    self_scores: the HTX's own (its managers, or an officer typing in its sheet);
    verified_scores and sanctioned: the officer's (officers of the area only). An empty value
    removes a score. A verified score that differs from the points the reports decide, or else
    from the self-score, is an override and needs `note` (kept with who and when)."""
    cooperative = rating.cooperative
    if self_scores:
        _require(access.may_change_cooperative(by, cooperative))
    if verified_scores or sanctioned is not None:
        _require(access.may_review_cooperative(by, cooperative))
    current = _locked(rating)
    _require_open(current)
    rules = selectors.rules_of(current)
    new_self = _clean_scores(rules, self_scores or {}, "tự chấm")
    new_verified = _clean_scores(rules, verified_scores or {}, "thẩm định")
    current.self_scores = _merge(current.self_scores, new_self)
    stored_verified = current.verified_decimals()
    changed_verified = {
        k: v for k, v in new_verified.items() if v is not None and stored_verified.get(k) != v
    }
    current.verified_scores = _merge(current.verified_scores, new_verified)
    if sanctioned is not None:
        current.sanctioned = sanctioned
    inputs = _inputs([cooperative], current.year)[cooperative.pk]
    _rate(current, inputs)
    found = _overrides(current, changed_verified)
    if found and not note.strip():
        raise ValidationError(
            {
                o.key: (
                    f"Điểm thẩm định của tiêu chí {o.key} ({format_vi(o.verified)}) khác điểm"
                    f" {'theo số liệu báo cáo' if o.origin == 'data' else 'tự chấm'}"
                    f" ({format_vi(o.instead_of)}): ghi lý do điều chỉnh"
                )
                for o in found
            },
            code="note_required",
        )
    if note.strip():
        _append_note(current, _note_line(by, note, [o.key for o in found]))
    _save(current, by, _("scores entered"))
    return _refresh(rating, current)


def _overrides(rating: Rating, verified: Mapping[str, Decimal]) -> list[logic.Override]:
    """The verified scores among `verified` that change what the engine would take."""
    rules = selectors.rules_of(rating)
    if rules is None or not verified:
        return []
    case = selectors.rating_case(rating, rules)
    proposals = {}
    for item in rules.items():
        proposal = propose_item(rules, item, case)
        if proposal is not None:
            proposals[item.id] = proposal[0]
    return logic.overrides(verified, rating.self_decimals(), proposals)


@transaction.atomic
def rating_override(
    *,
    rating: Rating,
    by: User | access.SystemActor | None,
    note: str,
    rank: str | None = None,
    verified_scores: Mapping[str, object] | None = None,
) -> Rating:
    """The officer changes verified scores and/or sets the rank himself (rank "" gives it back
    to the engine); a note saying why is required either way."""
    _require(access.may_review_cooperative(by, rating.cooperative))
    if not note.strip():
        raise ValidationError(
            {"note": _("Say why the score or rank is changed.")}, code="note_required"
        )
    if verified_scores:
        rating = rating_set_scores(rating=rating, by=by, verified_scores=verified_scores, note=note)
        if rank is None:
            return rating
    current = _locked(rating)
    _require_open(current)
    if rank is not None:
        if rank and rank not in Rank.values:
            raise ValidationError({"rank": _("Choose a rank.")}, code="rank")
        if rank and not current.engine_rank:
            raise ValidationError(
                {"rank": _("Complete the scores first: the rules have not given a rank yet.")},
                code="incomplete",
            )
        current.override_rank = rank
        current.rank = rank or current.engine_rank
        if not verified_scores:
            _append_note(current, _note_line(by, note, [_("rank")]))
    _save(current, by, _("overridden"))
    return _refresh(rating, current)


# --- approve, publish -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Approval:
    rating: Rating
    remediation: Any = None  # the support app's remediation case opened for a weak rating
    remediation_available: bool = False


def _open_remediation(rating: Rating, by: User | access.SystemActor | None) -> tuple[Any, bool]:
    """Open the remediation case of an HTX rated yếu, through the handler the support app
    registers (`ratings.hooks`)."""
    return hooks.weak_rating_approved(rating.cooperative, rating.year, access.author(by))


def _approve(
    rating: Rating, by: User | access.SystemActor | None, now: datetime
) -> tuple[Any, bool]:
    """Approve a locked, proposed row; open the remediation case of a yếu."""
    _require_open(rating)
    if not rating.rank or rating.errors:
        raise ValidationError(
            _("This rating is incomplete: enter the missing scores before approving."),
            code="incomplete",
        )
    rating.status = RatingStatus.APPROVED
    rating.approved_by, rating.approved_at = access.author(by), now
    _save(rating, by, _("approved"))
    if rating.rank == Rank.YEU:
        return _open_remediation(rating, by)
    return None, False


@transaction.atomic
def rating_approve(
    *, rating: Rating, by: User | access.SystemActor | None, now: datetime | None = None
) -> Approval:
    """Approve a proposed, complete rating (officers of the area); it is then locked. A rating
    approved as yếu opens the HTX's remediation case in the support app, when it exists."""
    _require(access.may_review_cooperative(by, rating.cooperative))
    current = _locked(rating)
    case, available = _approve(current, by, now or timezone.now())
    _refresh(rating, current)
    _refresh_rounds(rating.year, [rating.cooperative])
    return Approval(rating, case, available)


@transaction.atomic
def rating_approve_all(
    *, area: AdminUnit, year: int, by: User | access.SystemActor | None, now: datetime | None = None
) -> int:
    """Approve every complete proposed rating of `area` for `year` at once (officers of the
    area), as rating_approve does one by one; the incomplete ones stay proposed. Returns how
    many were approved."""
    _require(access.may_rate_area(by, area))
    now = now or timezone.now()
    ratings = list(
        Rating.objects.select_for_update()
        .filter(
            year=year,
            status=RatingStatus.PROPOSED,
            errors=[],
            **selectors.area_lookup(area, "cooperative__"),
        )
        .exclude(rank="")
        .select_related("cooperative")
    )
    for rating in ratings:
        rating.status = RatingStatus.APPROVED
        rating.approved_by, rating.approved_at = access.author(by), now
    bulk_update_with_history(
        ratings,
        Rating,
        ["status", "approved_by", "approved_at", "updated_at"],
        batch_size=500,
        default_user=access.author(by),
        default_change_reason=_("approved"),
    )
    for rating in ratings:
        if rating.rank == Rank.YEU:
            _open_remediation(rating, by)
    _refresh_rounds(year, [r.cooperative for r in ratings])
    return len(ratings)


@transaction.atomic
def rating_publish(
    *, area: AdminUnit, year: int, by: User | access.SystemActor | None, now: datetime | None = None
) -> int:
    """Publish the approved ratings of `area` for `year` that are not yet published (officers
    of the area); returns how many."""
    _require(access.may_rate_area(by, area))
    now = now or timezone.now()
    ratings = list(
        Rating.objects.select_for_update()
        .filter(
            year=year,
            status=RatingStatus.APPROVED,
            published=False,
            **selectors.area_lookup(area, "cooperative__"),
        )
        .select_related("cooperative")
    )
    if not ratings:
        raise ValidationError(_("There is no approved rating to publish."), code="nothing")
    for rating in ratings:
        rating.published, rating.published_at = True, now
    bulk_update_with_history(
        ratings,
        Rating,
        ["published", "published_at", "updated_at"],
        batch_size=500,
        default_user=access.author(by),
        default_change_reason=_("published"),
    )
    RatingRound.objects.filter(area=area, year=year).update(published_at=now)
    _refresh_rounds(year, [r.cooperative for r in ratings])
    _tell_managers_published(ratings)
    return len(ratings)


def _tell_managers_published(ratings: list[Rating]) -> None:
    """Notify the managers of each HTX whose rating was published: two queries for the
    managers of all of them, one insert and one read of their e-mail choices."""
    from hoptac.accounts.models import User

    bound = Cooperative.managers.through.objects.filter(
        cooperative_id__in=[rating.cooperative_id for rating in ratings]
    ).values_list("cooperative_id", "user_id")
    managers: dict[int, list[int]] = defaultdict(list)
    for cooperative_id, user_id in bound:
        managers[cooperative_id].append(user_id)
    if not managers:
        return
    users = User.objects.in_bulk({pk for ids in managers.values() for pk in ids})
    notices = []
    with notifications.site_language():
        for rating in ratings:
            ids = managers.get(rating.cooperative_id, [])
            recipients = [users[pk] for pk in ids if pk in users]
            if recipients:
                names = {"year": rating.year, "name": rating.cooperative.name}
                notices.append(
                    notifications.Notice(
                        recipients,
                        _("The %(year)s rating of %(name)s was published") % names,
                        _("Rank: %(rank)s.") % {"rank": rating.get_rank_display() or "—"},
                        rating.get_absolute_url(),
                    )
                )
    notifications.notify_each(Kind.RATING_PUBLISHED, notices)


def _refresh_rounds(year: int, cooperatives: Iterable[Cooperative]) -> None:
    """Set the status of the rounds of `year` whose area holds one of `cooperatives`: approved
    when all their ratings are, published when all are published, else proposed."""
    paths: set[str] = set()
    unit_ids = set()
    for cooperative in cooperatives:
        for unit_id in (cooperative.commune_legacy_id, cooperative.commune_id):
            if unit_id:
                unit_ids.add(unit_id)
    for path in AdminUnit.objects.filter(pk__in=unit_ids).values_list("path", flat=True):
        parts = path.split("/")
        paths.update("/".join(parts[:end]) for end in range(2, len(parts) + 1))
    for round_ in RatingRound.objects.filter(year=year, area__path__in=paths).select_related(
        "area"
    ):
        counts = Rating.objects.filter(
            year=year, **selectors.area_lookup(round_.area, "cooperative__")
        ).aggregate(
            total=Count("pk"),
            approved=Count("pk", filter=Q(status=RatingStatus.APPROVED)),
            published=Count("pk", filter=Q(published=True)),
        )
        status = RoundStatus.PROPOSED
        if counts["total"] and counts["approved"] == counts["total"]:
            status = RoundStatus.APPROVED
            if counts["published"] == counts["total"]:
                status = RoundStatus.PUBLISHED
        if status != round_.status:
            round_.status = status
            with _acting(None, round_):
                round_.save(update_fields=["status", "updated_at"])
