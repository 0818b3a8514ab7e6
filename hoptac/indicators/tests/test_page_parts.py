"""The dashboard's cached parts (indicators.page_parts) and the rating summary are exactly what a
fresh computation gives, after every kind of write and after the tally's build (the model:
`manage.py tally --check`, which compares the tally with the live tables)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from hoptac.core import fragments
from hoptac.indicators.models import Tally, TallyMark
from hoptac.indicators.tally import building
from hoptac.ratings.choices import RatingStatus
from hoptac.ratings.models import Rating
from hoptac.registry import services as registry_services
from hoptac.registry.models import Cooperative
from hoptac.reports.choices import ReportStatus
from hoptac.reports.models import AnnualReport
from hoptac.support.models import SupportGrant


def _coop(*, with_rating: bool = False) -> Cooperative:
    found = Cooperative.objects.all()
    if with_rating:
        last = _shown_year()
        with_both = Rating.objects.filter(year=last, status=RatingStatus.APPROVED)
        reported = AnnualReport.objects.filter(year=last, status=ReportStatus.APPROVED)
        found = found.filter(
            pk__in=with_both.values("cooperative"),
        ).filter(pk__in=reported.values("cooperative"))
    return (
        found.filter(
            kind="hop_tac_xa",
            status="dang_hoat_dong",
            commune__isnull=False,
            province_legacy__isnull=False,
        )
        .order_by("pk")
        .first()
    )


def _queries(coop: Cooperative) -> list[dict[str, str]]:
    today = timezone.localdate().isoformat()
    last = f"{timezone.localdate().year - 1}-12-31"
    found = []
    for on in (today, last):
        found.append({"date": on})
        for area in (coop.province_id, coop.province_legacy_id, coop.district_legacy_id):
            found.append({"date": on, "area": str(area)})
    return found


def _parts(client, queries) -> list[dict[str, str]]:
    url = reverse("indicators:dashboard")
    pages = []
    for query in queries:
        response = client.get(url, query)
        assert response.status_code == 200
        pages.append({k: str(v) for k, v in response.context["parts"].items()})
    return pages


def _summaries(client, coop: Cooperative, years) -> list[str]:
    found = []
    for area in (coop.province_legacy_id, coop.district_legacy_id, coop.province_id):
        for year in years:
            response = client.get(reverse("ratings:summary", args=[area, year]))
            assert response.status_code == 200
            found.append(repr(response.context["summary"].as_json()))
    return found


def _both(client, settings, coop, years):
    """What the pages show from the cache (read twice: the second is served by it), and what
    they show rendered afresh."""
    queries = _queries(coop)
    cached = (_parts(client, queries), _summaries(client, coop, years))
    assert cached == (_parts(client, queries), _summaries(client, coop, years))
    settings.HOPTAC_FRAGMENT_CACHE = False
    fresh = (_parts(client, queries), _summaries(client, coop, years))
    settings.HOPTAC_FRAGMENT_CACHE = True
    return cached, fresh


@pytest.fixture
def ready(demo, settings):
    settings.HOPTAC_FRAGMENT_CACHE = True
    cache.clear()
    building.build()
    return demo


def _edit(coop):
    coop.sector, coop.sub_sector = "phi_nong_nghiep", "cong_nghiep"
    coop.name = coop.name + " mới"
    coop.members_count = (coop.members_count or 0) + 11
    coop.save()


def _status(coop):
    for status in ("dang_lam_thu_tuc_giai_the", "da_giai_the"):
        registry_services.cooperative_change_status(
            cooperative=coop, status=status, effective_on=timezone.localdate(), by=None
        )


def _shown_year() -> int:
    """The data year the dashboards show: the latest with approved reports up to last year."""
    done = AnnualReport.objects.filter(
        status=ReportStatus.APPROVED, year__lt=timezone.localdate().year
    )
    return done.order_by("-year")[0].year


def _latest(model, coop):
    found = model.objects.filter(cooperative=coop, year=_shown_year())
    return found.filter(is_current=True).get() if model is AnnualReport else found.get()


def _report_draft(coop):
    """Before: the organisation's latest report back to a draft (not yet sent)."""
    report = _latest(AnnualReport, coop)
    report.status = ReportStatus.DRAFT
    report.save()


def _report(coop):
    report = _latest(AnnualReport, coop)
    report.status = ReportStatus.APPROVED
    report.save()


def _rating_proposed(coop):
    """Before: the organisation's latest rating back to proposed (not yet approved)."""
    rating = _latest(Rating, coop)
    rating.status = RatingStatus.PROPOSED
    rating.save()


def _rating(coop):
    rating = _latest(Rating, coop)
    rating.status = RatingStatus.APPROVED
    rating.save()


def _support(coop):
    grant = SupportGrant.objects.order_by("pk").first()
    grant.pk, grant.cooperative, grant.granted_on = None, coop, timezone.localdate()
    grant.save()


@pytest.mark.parametrize(
    ("prepare", "write"),
    [
        (None, _edit),
        (None, _status),
        (_report_draft, _report),
        (_rating_proposed, _rating),
        (None, _support),
    ],
    ids=["htx edit", "status change", "report approval", "rating approval", "support grant"],
)
def test_after_a_write_the_cached_page_is_a_fresh_computation(
    ready, admin_client, settings, django_capture_on_commit_callbacks, prepare, write
):
    coop = _coop()
    if prepare is not None:  # an organisation with a report and a rating, made not approved
        coop = _coop(with_rating=True)
        with django_capture_on_commit_callbacks(execute=True):
            prepare(coop)
    years = [_latest(Rating, coop).year] if prepare else []
    before, fresh_before = _both(admin_client, settings, coop, years)
    assert before == fresh_before
    areas = fragments.area_namespaces([None, coop.province_id, coop.province_legacy_id])
    versions = fragments.versions(areas)
    with django_capture_on_commit_callbacks(execute=True):
        write(Cooperative.objects.get(pk=coop.pk))
    assert not TallyMark.objects.exists()  # refreshed by the queued task
    moved = fragments.versions(areas)
    assert all(moved[name] != versions[name] for name in areas)
    after, fresh_after = _both(admin_client, settings, coop, years)
    assert after == fresh_after
    if write is not _report:  # no part of the dashboard reads the reports' figures
        assert after != before  # the write shows: a stale cache would fail the line above


def test_while_a_commune_is_marked_nothing_is_served_from_the_cache(ready, admin_client, settings):
    coop = _coop()
    before, _fresh = _both(admin_client, settings, coop, [])
    Cooperative.objects.filter(pk=coop.pk).update(members_count=(coop.members_count or 0) + 5)
    assert TallyMark.objects.exists()  # the refresh waits for the commit (none in this test)
    after, fresh = _both(admin_client, settings, coop, [])
    assert after == fresh != before


def test_the_build_renews_every_part(ready, admin_client, settings):
    """A wrong tally row (as `tally --check` finds) is served until the build rewrites it;
    the build's version then gives the fresh page."""
    coop = _coop()
    _both(admin_client, settings, coop, [])
    Tally.objects.filter(grain="province", source="registry", province=coop.province_id).update(
        n=999_999
    )  # a write the watchers do not see: only the build mends it
    queries = [{"date": f"{timezone.localdate().year - 1}-12-31", "area": str(coop.province_id)}]
    served = _parts(admin_client, queries)
    settings.HOPTAC_FRAGMENT_CACHE = False
    wrong = _parts(admin_client, queries)
    settings.HOPTAC_FRAGMENT_CACHE = True
    assert served != wrong  # the cache served what it had (the row's change is not seen)
    building.build()
    after, fresh = _both(admin_client, settings, coop, [])
    assert after == fresh
    assert _parts(admin_client, queries) == served  # the build mended the row
