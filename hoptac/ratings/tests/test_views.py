"""The ratings pages for every actor: officers only inside their area (else 404), HTX managers
only the self-scores of their own HTX (never verify or approve), anonymous users sign in."""

import pytest
from django.urls import reverse

from hoptac.ratings import services
from hoptac.ratings.models import Rating
from hoptac.ratings.tests.conftest import SHEET

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposed(district_officer, cho_don, coop, new_coop, trade_coop):
    services.rating_propose_for_area(area=cho_don, year=2019, by=district_officer)
    return Rating.objects.select_related("cooperative").get(cooperative=coop, year=2019)


def _area_url(area, name="area", year=2019):
    return reverse(f"ratings:{name}", args=[area.pk, year])


def _sheet_post(prefix="self", **extra):
    data = {f"{prefix}_{key.replace('.', '_')}": str(value) for key, value in SHEET.items()}
    data.update(extra)
    return data


# --- the area pages --------------------------------------------------------------------------


def test_officer_sees_the_ratings_of_his_area(client, district_officer, cho_don, proposed):
    client.force_login(district_officer)
    response = client.get(_area_url(cho_don))
    assert response.status_code == 200
    assert proposed.cooperative.name in response.content.decode()


def test_officer_of_a_commune_gets_404_for_the_district(client, commune_officer, cho_don):
    client.force_login(commune_officer)
    assert client.get(_area_url(cho_don)).status_code == 404
    assert client.get(_area_url(cho_don, "summary")).status_code == 404
    assert client.post(_area_url(cho_don, "area_propose")).status_code == 404


def test_officer_of_another_commune_gets_404_for_a_rating(client, outsider, proposed):
    client.force_login(outsider)
    assert client.get(proposed.get_absolute_url()).status_code == 404
    url = reverse("ratings:rating_approve", args=[proposed.pk])
    assert client.post(url).status_code == 404


def test_manager_gets_404_for_the_area_pages(client, manager, cho_don, proposed):
    client.force_login(manager)
    assert client.get(_area_url(cho_don)).status_code == 404
    assert client.post(_area_url(cho_don, "area_publish")).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, cho_don):
    response = client.get(_area_url(cho_don))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_officer_is_taken_to_his_area(client, district_officer, cho_don):
    client.force_login(district_officer)
    response = client.get(reverse("ratings:index"), {"year": 2019})
    assert response.status_code == 302
    assert response["Location"] == _area_url(cho_don)


def test_manager_index_lists_his_htx_ratings(client, manager, proposed, new_coop):
    client.force_login(manager)
    response = client.get(reverse("ratings:index"))
    assert response.status_code == 200
    page = response.content.decode()
    assert proposed.get_absolute_url() in page
    assert new_coop.name not in page


def test_propose_from_the_page(client, district_officer, cho_don, coop, new_coop):
    client.force_login(district_officer)
    response = client.post(_area_url(cho_don, "area_propose"))
    assert response.status_code == 302
    assert Rating.objects.filter(year=2019).count() == 2


def test_area_list_has_flat_query_count(
    client, district_officer, cho_don, proposed, django_assert_max_num_queries
):
    client.force_login(district_officer)
    with django_assert_max_num_queries(16):
        client.get(_area_url(cho_don))


def test_summary_page_shows_the_sentence_and_drills_down(
    client, district_officer, cho_don, proposed, coop
):
    services.rating_set_scores(
        rating=proposed, by=district_officer, self_scores=SHEET, verified_scores=SHEET
    )
    services.rating_approve_all(area=cho_don, year=2019, by=district_officer)
    client.force_login(district_officer)
    page = client.get(_area_url(cho_don, "summary")).content.decode()
    assert (
        "Qua rà soát đánh giá phân loại HTX trên lĩnh vực nông nghiệp: 01 HTX xếp loại khá; "
        "các HTX nông nghiệp còn lại chưa đánh giá do mới thành lập trong năm 2019."
    ) in page
    drill = client.get(
        _area_url(cho_don, "summary"),
        {"sector": "nong_nghiep", "column": "kha"},
        headers={"HX-Request": "true"},
    ).content.decode()
    assert coop.name in drill
    assert "HTX Mới Lương Bằng" not in drill
    assert "<html" not in drill  # the partial only


# --- one rating -------------------------------------------------------------------------------


def test_manager_enters_self_scores_of_his_htx(client, manager, proposed):
    client.force_login(manager)
    page = client.get(proposed.get_absolute_url()).content.decode()
    assert 'name="self_2_1"' in page
    assert 'name="verified_2_1"' not in page  # managers never verify
    assert 'data-testid="approve"' not in page
    response = client.post(reverse("ratings:rating_scores", args=[proposed.pk]), _sheet_post())
    assert response.status_code == 302
    proposed.refresh_from_db()
    assert proposed.rank == "kha"
    assert proposed.verified_scores == {}


def test_manager_posting_verified_scores_changes_nothing_verified(client, manager, proposed):
    client.force_login(manager)
    data = _sheet_post("verified", **_sheet_post())
    client.post(reverse("ratings:rating_scores", args=[proposed.pk]), data)
    proposed.refresh_from_db()
    assert proposed.verified_scores == {}


@pytest.mark.parametrize("action", ["rating_approve", "rating_override", "rating_repropose"])
def test_manager_may_not_approve_or_override(client, manager, proposed, action):
    client.force_login(manager)
    response = client.post(reverse(f"ratings:{action}", args=[proposed.pk]), {"note": "x"})
    assert response.status_code == 403


def test_manager_of_another_htx_gets_404(client, make_user, luong_bang, new_coop, proposed):
    other = make_user("htx.khac", "coop_manager", luong_bang)
    new_coop.managers.add(other)
    client.force_login(other)
    assert client.get(proposed.get_absolute_url()).status_code == 404
    url = reverse("ratings:rating_scores", args=[proposed.pk])
    assert client.post(url, _sheet_post()).status_code == 404


def test_officer_override_without_note_shows_the_criterion(client, district_officer, proposed):
    client.force_login(district_officer)
    data = _sheet_post(**_sheet_post("verified"))
    data["verified_3"] = "4"
    response = client.post(reverse("ratings:rating_scores", args=[proposed.pk]), data)
    assert response.status_code == 400
    assert "Điểm thẩm định của tiêu chí 3 (4) khác điểm tự chấm (10)" in response.content.decode()
    data["note"] = "Chưa có minh chứng về vốn"
    response = client.post(reverse("ratings:rating_scores", args=[proposed.pk]), data)
    assert response.status_code == 302
    proposed.refresh_from_db()
    assert proposed.total == 68


def test_officer_approves_from_the_page(client, district_officer, proposed):
    services.rating_set_scores(
        rating=proposed, by=district_officer, self_scores=SHEET, verified_scores=SHEET
    )
    client.force_login(district_officer)
    page = client.get(proposed.get_absolute_url()).content.decode()
    assert 'data-testid="approve"' in page
    client.post(reverse("ratings:rating_approve", args=[proposed.pk]))
    proposed.refresh_from_db()
    assert proposed.status == "approved"


def test_ratings_tab_on_the_htx_page(client, manager, proposed):
    client.force_login(manager)
    page = client.get(f"{proposed.cooperative.get_absolute_url()}?tab=ratings").content.decode()
    assert 'data-testid="ratings-tab"' in page
    assert proposed.get_absolute_url() in page


def test_manager_starts_a_rating_from_the_tab(client, manager, coop):
    client.force_login(manager)
    response = client.post(reverse("ratings:rating_start", args=[coop.pk, 2019]))
    rating = Rating.objects.get(cooperative=coop, year=2019)
    assert response["Location"] == rating.get_absolute_url()
