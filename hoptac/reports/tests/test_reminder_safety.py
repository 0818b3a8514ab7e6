"""Regressions of issue #12 on the reminders: the redirect after a reminder stays on this site
(defect 5), and the reminder letter records nothing on a GET (defect 6)."""

import pytest
from django.urls import reverse

from hoptac.reports.models import ReportReminder

pytestmark = pytest.mark.django_db

FOREIGN = [
    "https://evil.example/phish",
    "//evil.example/phish",
    "http://evil.example",
    "/\\evil.example/phish",
    "https:evil.example",
    "javascript:alert(1)",
]


def _email_one(client, coop, next_url):
    return client.post(reverse("reports:reminder_email", args=[coop.pk, 2019]), {"next": next_url})


def _email_late(client, cho_don, next_url):
    data = {"area": cho_don.pk, "year": 2019, "next": next_url}
    return client.post(reverse("reports:reminder_email_late"), data)


@pytest.mark.parametrize("target", FOREIGN)
def test_reminder_does_not_redirect_to_another_site(client, coop, district_officer, target):
    client.force_login(district_officer)
    response = _email_one(client, coop, target)
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:desk")


@pytest.mark.parametrize("target", FOREIGN)
def test_reminders_to_all_do_not_redirect_to_another_site(
    client, coop, district_officer, cho_don, target
):
    client.force_login(district_officer)
    response = _email_late(client, cho_don, target)
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:desk")


def test_reminder_returns_to_the_desk_page_it_came_from(client, coop, district_officer, cho_don):
    client.force_login(district_officer)
    back = f"{reverse('reports:desk')}?area={cho_don.pk}&year=2019&show=late"
    assert _email_one(client, coop, back)["Location"] == back
    assert _email_late(client, cho_don, back)["Location"] == back


def test_https_page_does_not_send_back_to_http(client, coop, district_officer):
    client.force_login(district_officer)
    response = client.post(
        reverse("reports:reminder_email", args=[coop.pk, 2019]),
        {"next": "http://testserver/bao-cao/"},
        secure=True,
    )
    assert response["Location"] == reverse("reports:desk")


def test_reminder_letter_get_records_nothing(client, coop, district_officer):
    client.force_login(district_officer)
    url = reverse("reports:reminder_letter", args=[coop.pk, 2019])
    response = client.get(url, {"record": "1"})
    assert response.status_code == 200
    assert "HTX Lương Bằng" in response.content.decode()
    assert not ReportReminder.objects.exists()


def test_reminder_letter_post_needs_csrf(coop, district_officer):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(district_officer)
    response = client.post(reverse("reports:reminder_letter", args=[coop.pk, 2019]))
    assert response.status_code == 403
    assert not ReportReminder.objects.exists()


def test_desk_prints_the_letter_with_a_post_form(client, coop, district_officer, cho_don):
    client.force_login(district_officer)
    body = client.get(reverse("reports:desk"), {"area": cho_don.pk, "year": 2019}).content.decode()
    url = reverse("reports:reminder_letter", args=[coop.pk, 2019])
    assert f'<form method="post" action="{url}" target="_blank"' in body
    assert "?record=1" not in body
