"""The tally: the same figures as the live tables, kept in step with every write."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone

from hoptac.areas.models import AdminUnit
from hoptac.indicators import dashboard, selectors, sources
from hoptac.indicators.models import Tally, TallyMark, TallyState
from hoptac.indicators.tally import building, grains, reading
from hoptac.registry.models import Cooperative, StatusChange
from hoptac.support.models import SupportGrant

# --- grains (no database) -------------------------------------------------------------------


def test_the_brief_grains_hold_what_the_breakdowns_and_the_map_read():
    """Sub-sector and brief commune grains: the breakdowns by sub-sector and by sub-area, and
    the map's counts per commune."""
    asked = selectors.keys_read(selectors.definition(c) for c in selectors.BREAKDOWN)
    asked["registry"] |= set(selectors.MAP_KEYS)
    for grain in (grains.COMMUNE_SUB_SECTOR, grains.PROVINCE_SUB_SECTOR):
        assert set(asked) <= set(grain.keys)
        for source, keys in asked.items():
            assert keys <= set(grain.keys[source])
    assert asked["registry"] <= set(grains.COMMUNE_BRIEF.keys["registry"])


@pytest.mark.parametrize(
    ("source", "columns", "keys", "expected"),
    [
        ("registry", set(), {"kind", "status"}, "country"),
        ("registry", {"province"}, {"kind"}, "province"),
        ("registry", {"province_legacy"}, {"kind", "high_tech"}, "province"),
        ("registry", {"province", "commune"}, {"kind", "sector"}, "commune_brief"),
        ("registry", {"province", "commune"}, {"kind", "status"}, "commune"),
        ("registry", {"district_legacy"}, {"kind"}, "commune_brief"),
        ("registry", {"district_legacy"}, {"kind", "model_cooperative"}, "commune"),
        ("ratings", {"province", "sub_sector"}, {"rank"}, "province_sub_sector"),
        ("ratings", {"commune", "sub_sector"}, {"rank"}, "commune_sub_sector"),
        ("registry", {"sub_sector"}, {"kind", "status"}, None),  # status: not by sub-sector
        ("support", {"sub_sector"}, {"supported"}, None),
        ("registry", {"name"}, {"kind"}, None),
    ],
)
def test_choose_takes_the_smallest_grain_that_holds_the_question(source, columns, keys, expected):
    grain = grains.choose(source, columns, keys)
    assert (grain.name if grain else None) == expected


# --- the same figures as the live tables ----------------------------------------------------


def _figures(frame: sources.Frame) -> tuple:
    """Everything the dashboard computes for a frame, as plain values."""
    with selectors.shared_reads():
        values = {
            code: (r.numerator, r.denominator, r.year, r.start, r.end, r.no_data)
            for code, r in selectors.indicator_values(frame=frame).items()
        }
        by_area = [
            (row.key, {c: (r.numerator, r.denominator) for c, r in row.results.items()})
            for row in selectors.breakdown_by_area(frame=frame)
        ]
        by_sector = [
            (row.key, {c: (r.numerator, r.denominator) for c, r in row.results.items()})
            for row in selectors.breakdown_by_sector(frame=frame)
        ]
        years = selectors.trend_years(frame.on)
        trend = {
            code: [(y, r.numerator, r.denominator) for y, r in found]
            for code, found in selectors.series(
                frame=frame, codes=dashboard.TREND, years=years
            ).items()
        }
        found = selectors.map_data(frame=frame)
        communes = [(c.unit.pk, c.total, c.agricultural) for c in found["communes"]]
    return values, by_area, by_sector, trend, (communes, found["total"], found["rank_year"])


def _live(frame: sources.Frame) -> tuple:
    with reading.live_only():
        return _figures(frame)


def _areas() -> dict[str, AdminUnit | None]:
    bac_kan = AdminUnit.objects.get(era="legacy", level=1, code="06")
    return {
        "country": None,
        "old province": bac_kan,
        "old district": AdminUnit.objects.filter(
            era="legacy", level=2, path__startswith=bac_kan.path + "/"
        ).first(),
        "2025 province": AdminUnit.objects.get(era="2025", level=1, code="19"),
    }


TODAY = timezone.localdate()
DATES = [date(2019, 12, 31), date(2024, 12, 31), date(2025, 6, 30), TODAY, date(2019, 4, 30)]


@pytest.mark.parametrize("on", DATES, ids=str)
@pytest.mark.parametrize("area", ["country", "old province", "old district", "2025 province"])
def test_the_tally_gives_the_live_figures(demo, area, on):
    frame = sources.Frame(area=_areas()[area], on=on)
    assert _figures(frame) == _live(frame)


def test_the_tally_answers_year_ends_and_today(demo):
    bac_kan = _areas()["old province"]
    for on in (date(2019, 12, 31), TODAY):
        frame = sources.Frame(area=bac_kan, on=on)
        assert reading.read("registry", frame, ("kind", "sector")) is not None
        assert reading.read("ratings", frame, ("rank",)) is not None


def test_a_day_with_later_data_in_its_year_is_read_live(demo):
    """Bắc Kạn at 30/04/2019: HTX were founded and supported later in 2019, so the registry
    and support figures of that day are not the year end's; the ratings of 2018 are."""
    frame = sources.Frame(area=_areas()["old province"], on=date(2019, 4, 30))
    assert reading.read("registry", frame, ("kind",)) is None
    assert reading.read("support", frame, ("kind", "supported")) is None
    assert reading.read("ratings", frame, ("rank",)) is not None
    values = selectors.indicator_values(frame=frame)
    assert (values["so_htx"].numerator, values["so_htx_nong_nghiep"].numerator) == (167, 123)


def test_years_outside_the_tally_are_read_live(demo):
    state = TallyState.objects.get()
    frame = sources.Frame(area=None, on=date(state.first_year - 1, 12, 31))
    assert reading.read("registry", frame, ("kind",)) is None
    assert _figures(frame) == _live(frame)


def test_the_current_year_is_not_read_once_it_is_over(demo):
    """Built last year: its last year was counted with the status of that day."""
    TallyState.objects.update(first_year=TODAY.year - 11, last_year=TODAY.year - 1)
    last_year = sources.Frame(area=None, on=date(TODAY.year - 1, 12, 31))
    assert reading.read("registry", last_year, ("kind",)) is None
    earlier = sources.Frame(area=None, on=date(TODAY.year - 2, 12, 31))
    assert reading.read("registry", earlier, ("kind",)) is not None


def test_without_a_build_everything_is_read_live(demo):
    TallyState.objects.all().delete()
    assert reading.read("registry", sources.Frame(area=None, on=TODAY), ("kind",)) is None


# --- kept in step with writes ---------------------------------------------------------------


def _a_cooperative() -> Cooperative:
    return (
        Cooperative.objects.filter(
            kind="hop_tac_xa", sector="nong_nghiep", status="dang_hoat_dong", commune__isnull=False
        )
        .order_by("pk")
        .first()
    )


def test_a_change_marks_its_commune_and_is_read_live_until_refreshed(demo):
    coop = _a_cooperative()
    frame = sources.Frame(area=None, on=TODAY)
    before = selectors.indicator_values(frame=frame)["so_htx_nong_nghiep"].numerator
    coop.sector, coop.sub_sector = "phi_nong_nghiep", "cong_nghiep"
    coop.save()
    assert list(TallyMark.objects.values_list("commune", flat=True)) == [coop.commune_id]
    assert reading.read("registry", frame, ("kind", "sector")) is None
    assert selectors.indicator_values(frame=frame)["so_htx_nong_nghiep"].numerator == before - 1

    assert building.refresh() == 1
    assert not TallyMark.objects.exists()
    assert reading.read("registry", frame, ("kind", "sector")) is not None
    assert selectors.indicator_values(frame=frame)["so_htx_nong_nghiep"].numerator == before - 1
    assert _figures(frame) == _live(frame)


def test_a_save_that_changes_nothing_counted_marks_nothing(demo):
    coop = _a_cooperative()
    coop.phone = "0209 3870 000"
    coop.save()
    assert not TallyMark.objects.exists()


def test_a_move_to_another_commune_refreshes_both(demo):
    coop = _a_cooperative()
    other = (
        Cooperative.objects.exclude(commune=coop.commune)
        .filter(province_legacy=coop.province_legacy, commune__isnull=False)
        .first()
    )
    for name in ("commune", "commune_legacy", "district_legacy", "province", "province_legacy"):
        setattr(coop, name, getattr(other, name))
    old_commune = Cooperative.objects.get(pk=coop.pk).commune_id
    coop.save()
    assert set(TallyMark.objects.values_list("commune", flat=True)) == {
        old_commune,
        other.commune_id,
    }
    building.refresh()
    for area in _areas().values():
        frame = sources.Frame(area=area, on=TODAY)
        assert _figures(frame) == _live(frame)


def test_support_status_and_reports_are_followed_from_their_year(demo):
    coop = _a_cooperative()
    grant = SupportGrant.objects.order_by("pk").first()
    grant.pk, grant.cooperative, grant.granted_on = None, coop, date(2024, 5, 1)
    grant.save()
    assert list(TallyMark.objects.values_list("since", flat=True)) == [2024]
    change = StatusChange.objects.filter(cooperative=coop).order_by("effective_on").first()
    change.effective_on = date(2017, 3, 1)
    change.save()
    building.refresh()
    for on in (date(2017, 12, 31), date(2024, 12, 31), TODAY):
        frame = sources.Frame(area=_areas()["old province"], on=on)
        assert reading.read("support", frame, ("kind", "supported")) is not None
        assert _figures(frame) == _live(frame)


def test_a_queryset_update_marks_without_any_call_of_the_writer(demo):
    coop = _a_cooperative()
    Cooperative.objects.filter(pk=coop.pk).update(members_count=(coop.members_count or 0) + 7)
    assert list(TallyMark.objects.values_list("commune", "since", "sources")) == [
        (coop.commune_id, 0, "registry")
    ]


def test_the_commit_refreshes_the_marked_communes(demo, django_capture_on_commit_callbacks):
    coop = _a_cooperative()
    with django_capture_on_commit_callbacks(execute=True):
        coop.high_tech = not coop.high_tech
        coop.save()
    assert not TallyMark.objects.exists()
    frame = sources.Frame(area=None, on=TODAY)
    assert reading.read("registry", frame, ("kind", "high_tech")) is not None
    assert _figures(frame) == _live(frame)


# --- the command ----------------------------------------------------------------------------


def test_command_status_and_check(demo):
    out = StringIO()
    call_command("tally", "--status", stdout=out)
    status = json.loads(out.getvalue())
    assert status["built"] is True
    assert status["last_year"] == TODAY.year
    assert status["rows"] == Tally.objects.count() > 0
    out = StringIO()
    call_command("tally", "--check", "--area", "legacy:06", "--date", "2024-12-31", stdout=out)
    assert "tally ok" in out.getvalue()


def test_command_check_finds_a_wrong_row(demo):
    bac_kan = _areas()["old province"]
    row = Tally.objects.filter(
        grain="province",
        source="registry",
        year=2024,
        province_legacy=bac_kan.pk,
        kind="hop_tac_xa",
    ).first()
    row.n += 1
    row.save()
    with pytest.raises(CommandError, match="differ"):
        call_command(
            "tally",
            "--check",
            "--area",
            "legacy:06",
            "--date",
            "2024-12-31",
            stdout=StringIO(),
            stderr=StringIO(),
        )


def test_command_refreshes_marks_or_builds(demo):
    coop = _a_cooperative()
    coop.value_chain = not coop.value_chain
    coop.save()
    out = StringIO()
    call_command("tally", stdout=out)
    assert "refreshed: 1 communes" in out.getvalue()
    TallyState.objects.update(last_year=TODAY.year - 1)
    out = StringIO()
    call_command("tally", stdout=out)
    assert "tally built" in out.getvalue()
    assert TallyState.objects.get().last_year == TODAY.year


def _derived_rows() -> dict[str, Counter]:
    return {
        grain.name: Counter(
            Tally.objects.filter(grain=grain.name).values_list(*building.ROW_COLUMNS[1:])
        )
        for grain in grains.GRAINS
        if grain.built_from is not None
    }


def _as_built() -> dict[str, Counter]:
    """Every grain above the communes as a new build would add it up (then undone)."""
    savepoint = transaction.savepoint()
    for grain in grains.GRAINS:
        if grain.built_from is not None:
            building._derive(grain)
    found = _derived_rows()
    transaction.savepoint_rollback(savepoint)
    return found


def test_a_refresh_leaves_the_grains_above_as_a_build_would(demo):
    """The province and country rows are corrected by difference (building._apply): after
    changes of every kind they equal what adding up the communes again gives, sums that lose
    their last value included (None, not 0)."""
    coops = list(
        Cooperative.objects.filter(kind="hop_tac_xa", commune__isnull=False).order_by("pk")[:6]
    )
    coops[0].high_tech = not coops[0].high_tech
    coops[0].members_count = None
    coops[0].workers_count = None
    coops[0].save()
    coops[1].sector, coops[1].sub_sector = "phi_nong_nghiep", "van_tai"
    coops[1].save()
    for name in ("commune", "commune_legacy", "district_legacy", "province", "province_legacy"):
        setattr(coops[2], name, getattr(coops[3], name))
    coops[2].save()
    change = StatusChange.objects.filter(cooperative=coops[4]).order_by("effective_on").first()
    change.effective_on = date(change.effective_on.year - 3, 1, 1)
    change.save()
    grant = SupportGrant.objects.order_by("pk").first()
    grant.pk, grant.cooperative, grant.granted_on = None, coops[5], date(2023, 3, 1)
    grant.save()
    SupportGrant.objects.filter(pk=SupportGrant.objects.order_by("-pk").values("pk")[1:2]).delete()
    old = _derived_rows()

    building.refresh()
    new = _derived_rows()
    assert new != old
    assert new == _as_built()
    for area in _areas().values():
        frame = sources.Frame(area=area, on=TODAY)
        assert _figures(frame) == _live(frame)


def test_a_save_does_not_wait_for_the_refresh(demo, settings, django_capture_on_commit_callbacks):
    """On a real queue the commit only enqueues the refresh: the marks stay (the indicators
    read the live tables) until a worker runs it."""
    from django_tasks_db.models import DBTaskResult

    from hoptac.indicators.tasks import refresh_tally

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    coop = _a_cooperative()
    with django_capture_on_commit_callbacks(execute=True):
        coop.high_tech = not coop.high_tech
        coop.save()
    assert TallyMark.objects.exists()
    queued = DBTaskResult.objects.get()
    assert queued.task_path == refresh_tally.module_path
    frame = sources.Frame(area=None, on=TODAY)
    assert _figures(frame) == _live(frame)  # the live tables meanwhile
    assert refresh_tally.call() == 1  # what the worker runs
    assert not TallyMark.objects.exists()
    assert _figures(frame) == _live(frame)
