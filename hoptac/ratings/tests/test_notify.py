"""Publishing ratings notifies the managers of each HTX rated (hoptac.notifications)."""

import pytest
from django.core import mail

from hoptac.notifications.choices import Kind
from hoptac.notifications.models import Notification
from hoptac.ratings import services
from hoptac.ratings.models import Rating
from hoptac.ratings.tests.conftest import SHEET

pytestmark = pytest.mark.django_db


def test_publishing_tells_the_managers_of_each_htx(
    district_officer, cho_don, coop, new_coop, make_user, django_capture_on_commit_callbacks
):
    manager = make_user("qly.che", "coop_manager", email="che@example.vn")
    coop.managers.add(manager)
    other = make_user("qly.moi", "coop_manager", email="")  # on the site only
    new_coop.managers.add(other)
    services.rating_propose_for_area(area=cho_don, year=2019, by=district_officer)
    rating = Rating.objects.get(cooperative=coop, year=2019)
    services.rating_set_scores(
        rating=rating, by=district_officer, self_scores=SHEET, verified_scores=SHEET
    )
    services.rating_approve_all(area=cho_don, year=2019, by=district_officer)
    assert not Notification.objects.exists()  # approval alone tells no one
    with django_capture_on_commit_callbacks(execute=True):
        services.rating_publish(area=cho_don, year=2019, by=district_officer)
    assert Notification.objects.get(recipient=other).title == (
        "Kết quả xếp loại năm 2019 của HTX Mới Lương Bằng đã được công bố"
    )
    notification = Notification.objects.get(recipient=manager)
    assert notification.kind == Kind.RATING_PUBLISHED
    assert notification.title == "Kết quả xếp loại năm 2019 của HTX Chè Lương Bằng đã được công bố"
    assert notification.link == rating.get_absolute_url()
    rating.refresh_from_db()
    assert rating.get_rank_display() in notification.body
    assert [m.to for m in mail.outbox] == [["che@example.vn"]]
