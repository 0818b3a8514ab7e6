"""The demo reports: approved 2017–2019 reports of the Bắc Kạn demo HTX."""

from io import StringIO

import pytest

from hoptac.accounts import demo as accounts_demo
from hoptac.registry import demo as registry_demo
from hoptac.registry.models import Cooperative
from hoptac.reports import demo, rules
from hoptac.reports.models import AnnualReport

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(db):
    accounts_demo.load(StringIO())
    registry_demo.load(StringIO())
    demo.load(StringIO())


def _expected(year: int) -> int:
    return sum(
        1
        for coop in Cooperative.objects.filter(province_legacy__code="06")
        if coop.start_date.year <= year
    )


def test_every_htx_has_an_approved_report_for_each_year_it_existed(loaded):
    for year in (2017, 2018, 2019):
        reports = AnnualReport.objects.filter(year=year, cooperative__province_legacy__code="06")
        assert reports.count() == _expected(year)
        assert set(reports.values_list("status", flat=True)) == {"approved"}
    assert AnnualReport.objects.filter(year=2019).count() == 167  # all founded by 30/04/2019


def test_no_report_before_the_founding_year(loaded):
    for report in AnnualReport.objects.select_related("cooperative"):
        assert report.year >= report.cooperative.start_date.year


def test_cho_moi_htx_founded_in_2019_report_only_2019(loaded):
    new = Cooperative.objects.filter(
        district_legacy__code="065", founded_on__year=2019, sector="nong_nghiep"
    )
    assert new.count() == 5
    for coop in new:
        assert list(coop.annual_reports.values_list("year", flat=True)) == [2019]


def test_figures_are_consistent_and_fill_what_is_required(loaded):
    for report in AnnualReport.objects.all():
        values = report.values()
        assert rules.report_errors(values) == {}
        assert rules.missing_required(values) == []
        assert report.total_capital == report.equity + report.liabilities
        assert report.members_count >= 5


def test_reports_grow_with_the_size_of_the_htx(loaded):
    small = AnnualReport.objects.filter(year=2019, members_count__lt=15)
    large = AnnualReport.objects.filter(year=2019, members_count__gte=40)
    avg = lambda qs: sum(r.revenue for r in qs) / qs.count()  # noqa: E731
    assert avg(large) > 2 * avg(small)


def test_load_is_idempotent_and_deterministic(loaded):
    before = list(
        AnnualReport.objects.order_by("pk").values_list("cooperative_id", "year", "revenue")
    )
    out = StringIO()
    demo.load(out)
    assert "0 approved reports created" in out.getvalue()
    after = list(
        AnnualReport.objects.order_by("pk").values_list("cooperative_id", "year", "revenue")
    )
    assert before == after


def test_some_reports_were_late(loaded):
    from hoptac.reports.selectors import deadline_end, deadline_for

    end = deadline_end(deadline_for(2019))
    reports = AnnualReport.objects.filter(year=2019)
    late = reports.filter(first_submitted_at__gt=end).count()
    assert 0 < late < reports.count()
