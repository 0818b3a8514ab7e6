"""The demo ratings of Huyện Chợ Mới for 2019 give the seed's sentence, through the engine, the
`rating_summary` command, the written-report paragraph and the indicators' counts."""

import json
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from hoptac.accounts import demo as accounts_demo
from hoptac.accounts.models import User
from hoptac.areas.models import AdminUnit
from hoptac.ratings import demo
from hoptac.ratings.choices import RATED_RANKS, Rank
from hoptac.ratings.models import Rating, RatingRound
from hoptac.ratings.writing import ratings_paragraph
from hoptac.registry import demo as registry_demo
from hoptac.reports import demo as reports_demo

pytestmark = pytest.mark.django_db

SEED = (
    "Qua rà soát đánh giá phân loại HTX trên lĩnh vực nông nghiệp: 02 HTX xếp loại khá; 01 HTX "
    "xếp loại trung bình; 02 HTX xếp loại yếu; các HTX nông nghiệp còn lại chưa đánh giá do mới "
    "thành lập trong năm 2019."
)


@pytest.fixture
def cho_moi(db):
    accounts_demo.load(StringIO())
    registry_demo.load(StringIO())
    reports_demo.load(StringIO())
    demo.load(StringIO(), districts=["065"], years=[2019])
    return AdminUnit.objects.get(era="legacy", code="065")


def _command(*args):
    out = StringIO()
    call_command("rating_summary", *args, stdout=out)
    return out.getvalue()


def test_command_and_page_give_the_seed_sentence(cho_moi, client):
    assert _command("--area", "065", "--year", "2019") == SEED + "\n"
    client.force_login(User.objects.get(username="huyen.chomoi"))
    page = client.get(reverse("ratings:summary", args=[cho_moi.pk, 2019])).content.decode()
    assert SEED in page
    data = json.loads(_command("--area", "065", "--year", "2019", "--format", "json"))
    agricultural = data["sectors"]["nong_nghiep"]
    assert agricultural["counts"] == {
        "tot": 0, "kha": 2, "trung_binh": 1, "yeu": 2, "chua_danh_gia": 5, "chua_co_ket_qua": 0,
    }  # fmt: skip
    assert agricultural["not_rated"] == [{"reason": "mới thành lập trong năm 2019", "count": 5}]
    assert data["sectors"]["phi_nong_nghiep"]["counts"]["chua_danh_gia"] == 5
    assert data["sectors"]["phi_nong_nghiep"]["reviewed"] is False  # no rule before 2020
    assert data["sentences"] == [SEED]
    with pytest.raises(CommandError, match="999"):
        _command("--area", "999", "--year", "2019")


def test_the_ranks_come_from_the_engine_not_typed_in(cho_moi):
    ratings = Rating.objects.filter(
        year=2019, cooperative__district_legacy=cho_moi, cooperative__sector="nong_nghiep"
    )
    for rating in ratings.exclude(rank="chua_danh_gia"):
        assert rating.override_rank == ""
        assert rating.engine_rank == rating.rank
        assert rating.rules_id == "tt09-2017"
        assert rating.report_id is not None  # criterion 1 from the approved report
        assert rating.status == "approved"
        assert rating.published
    new = ratings.filter(rank="chua_danh_gia")
    assert {r.reason_code for r in new} == {"moi_thanh_lap"}
    assert {r.cooperative.founded_on.year for r in new} == {2019}
    # what the indicators and the written report read
    assert ratings_paragraph(area=cho_moi, year=2019) == SEED
    ranks = Counter(ratings.values_list("rank", flat=True))
    assert sum(ranks[rank] for rank in RATED_RANKS) == 5
    assert (ranks[Rank.TOT] + ranks[Rank.KHA], ranks[Rank.YEU]) == (2, 2)  # 0.4 and 0.4
    assert ratings_paragraph(area=cho_moi, year=2018) == ""  # not rated in this load


def test_loading_again_changes_nothing(cho_moi):
    before = Rating.history.count()
    demo.load(StringIO(), districts=["065"], years=[2019])
    assert Rating.history.count() == before
    assert RatingRound.objects.get(area=cho_moi, year=2019).status == "published"
