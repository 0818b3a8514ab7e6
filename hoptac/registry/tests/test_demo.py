"""The demo registry: Bắc Kạn as of 30/04/2019, the figures of the seed articles."""

from datetime import date
from io import StringIO

import pytest

from hoptac.accounts import demo as accounts_demo
from hoptac.accounts.models import User
from hoptac.registry import demo, selectors
from hoptac.registry.choices import Kind, Sector
from hoptac.registry.models import Cooperative, Member, StatusChange
from hoptac.registry.tests.factories import legacy_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(db):
    accounts_demo.load(StringIO())
    demo.load(StringIO())


def test_bac_kan_has_167_htx_123_agricultural_44_not(loaded):
    bac_kan = Cooperative.objects.filter(province_legacy__code="06", kind=Kind.COOPERATIVE)
    assert bac_kan.count() == 167
    assert bac_kan.filter(sector=Sector.AGRICULTURAL).count() == 123
    assert bac_kan.filter(sector=Sector.NON_AGRICULTURAL).count() == 44


def test_counted_at_30_april_2019_from_the_history(loaded):
    admin = User.objects.get(username="admin")

    def count(**filters):
        listed = selectors.cooperative_list(
            user=admin, filters={"area": legacy_unit("06"), **filters}
        )
        return listed.existing_on(date(2019, 4, 30)).count()

    assert count() == 167
    assert count(sector=Sector.AGRICULTURAL) == 123
    assert count(sector=Sector.NON_AGRICULTURAL) == 44
    listed = selectors.cooperative_list(user=admin, filters={"area": legacy_unit("06")})
    assert listed.existing_on(date(2019, 5, 1)).count() == 167
    assert not Cooperative.objects.filter(founded_on__gt=date(2019, 4, 30)).exists()


def test_cho_moi_has_15_htx_10_agricultural_5_founded_in_2019(loaded):
    cho_moi = Cooperative.objects.filter(district_legacy__code="065")
    assert cho_moi.count() == 15
    agricultural = cho_moi.filter(sector=Sector.AGRICULTURAL)
    assert agricultural.count() == 10
    assert agricultural.filter(founded_on__year=2019).count() == 5


def test_every_district_has_htx_and_founding_years_are_2000_to_2019(loaded):
    districts = set(Cooperative.objects.values_list("district_legacy__code", flat=True))
    assert districts == {"058", "060", "061", "062", "063", "064", "065", "066"}
    years = {d.year for d in Cooperative.objects.values_list("founded_on", flat=True)}
    assert min(years) >= 2000
    assert max(years) == 2019


def test_the_seed_htx_are_there_and_in_their_districts(loaded):
    where = dict(Cooperative.objects.values_list("name", "district_legacy__short_name"))
    assert where["HTX Cao Phong"] == "Chợ Đồn"
    assert where["HTX Trần Phú"] == "Na Rì"
    assert where["HTX Chè Mỹ Phương"] == "Ba Bể"
    assert where["HTX Hợp Giang"] == "Bạch Thông"
    assert "HTX Đông Nam Dược" in where
    assert "HTX Fresh Oil" in where


def test_codes_are_valid_unique_and_start_with_47(loaded):
    codes = list(Cooperative.objects.values_list("tax_code", flat=True))
    assert len(set(codes)) == 167
    assert all(len(c) == 10 and c.isdigit() and c.startswith("47") for c in codes)


def test_members_rosters_and_history_exist(loaded):
    assert Member.objects.count() > 167 * 7
    assert StatusChange.objects.count() > 167
    assert Cooperative.history.filter(history_type="+").count() == 167
    cao_phong = Cooperative.objects.get(name="HTX Cao Phong")
    assert cao_phong.members_count == cao_phong.members.filter(left_on__isnull=True).count()
    assert cao_phong.charter_capital > 0


def test_htx_caophong_manages_htx_cao_phong(loaded):
    manager = User.objects.get(username="htx.caophong")
    assert list(selectors.cooperative_list(user=manager).values_list("name", flat=True)) == [
        "HTX Cao Phong"
    ]


def test_loading_again_changes_nothing(loaded):
    out = StringIO()
    demo.load(out)
    assert Cooperative.objects.count() == 167
    assert "0 cooperatives created" in out.getvalue()


def test_same_data_every_time(db):
    demo.load(StringIO())
    first = list(
        Cooperative.objects.order_by("tax_code").values_list("tax_code", "name", "founded_on")
    )
    Cooperative.objects.all().delete()
    demo.load(StringIO())
    again = list(
        Cooperative.objects.order_by("tax_code").values_list("tax_code", "name", "founded_on")
    )
    assert first == again
