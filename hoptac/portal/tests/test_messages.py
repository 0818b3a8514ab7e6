"""Feedback and contact: the forms and their protections, moderation, published answers."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from hoptac.portal.choices import MessageKind, MessageStatus
from hoptac.portal.models import Message

pytestmark = pytest.mark.django_db

FEEDBACK = {
    "name": "Nông Văn Dân",
    "contact": "dan@example.vn",
    "subject": "Hỗ trợ thành lập HTX chè",
    "content": "Xin hỏi thủ tục hỗ trợ thành lập hợp tác xã?",
    "website": "",
}


def test_feedback_is_recorded_and_thanked(client):
    response = client.post("/gop-y/", FEEDBACK, follow=True)
    message = Message.objects.get()
    assert (message.kind, message.status, message.subject) == (
        MessageKind.FEEDBACK,
        MessageStatus.NEW,
        "Hỗ trợ thành lập HTX chè",
    )
    assert response.redirect_chain[-1][0] == "/gop-y/"
    assert "Cảm ơn" in response.content.decode()


def test_no_address_is_stored_with_a_message(client):
    client.post("/gop-y/", FEEDBACK, REMOTE_ADDR="203.0.113.9")
    row = Message.objects.values().get()
    assert "203.0.113.9" not in " ".join(str(value) for value in row.values())


def test_honeypot_message_is_dropped_silently(client):
    response = client.post("/gop-y/", {**FEEDBACK, "website": "http://spam.example"})
    assert response.status_code == 302
    assert Message.objects.count() == 0


@override_settings(HOPTAC_MESSAGE_RATE="3/h")
def test_messages_are_rate_limited_per_address(client):
    for _ in range(3):
        assert client.post("/gop-y/", FEEDBACK, REMOTE_ADDR="203.0.113.9").status_code == 302
    refused = client.post("/gop-y/", FEEDBACK, REMOTE_ADDR="203.0.113.9")
    assert refused.status_code == 429
    assert Message.objects.count() == 3
    assert client.post("/lien-he/", FEEDBACK, REMOTE_ADDR="203.0.113.9").status_code == 429
    assert client.post("/gop-y/", FEEDBACK, REMOTE_ADDR="198.51.100.4").status_code == 302


def test_attachment_of_an_accepted_type_is_kept(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    pdf = SimpleUploadedFile("don.pdf", b"%PDF-1.7 hello", content_type="application/pdf")
    assert client.post("/gop-y/", {**FEEDBACK, "attachment": pdf}).status_code == 302
    assert Message.objects.get().attachment.name.endswith(".pdf")


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        ("virus.exe", b"MZ\x90", "không được nhận"),
        ("gia.pdf", b"MZ\x90", "không khớp"),
    ],
)
def test_bad_attachments_are_refused_naming_the_field(client, name, content, error):
    upload = SimpleUploadedFile(name, content)
    response = client.post("/gop-y/", {**FEEDBACK, "attachment": upload})
    assert response.status_code == 200
    assert Message.objects.count() == 0
    html = response.content.decode()
    assert "Tệp đính kèm" in html
    assert error in html


@override_settings(HOPTAC_FEEDBACK_MAX_MB=1)
def test_too_large_attachment_is_refused(client):
    upload = SimpleUploadedFile("lon.pdf", b"%PDF-" + b"0" * (1024 * 1024))
    assert client.post("/gop-y/", {**FEEDBACK, "attachment": upload}).status_code == 200
    assert Message.objects.count() == 0


def test_overlong_content_is_refused(client):
    response = client.post("/gop-y/", {**FEEDBACK, "content": "x" * 5001})
    assert response.status_code == 200
    assert Message.objects.count() == 0


def test_officer_answers_and_publishes_then_the_public_reads_it(client, province_officer):
    client.post("/gop-y/", FEEDBACK)
    message = Message.objects.get()
    assert "Hỗ trợ thành lập HTX chè" not in client.get("/gop-y/").content.decode()
    client.force_login(province_officer)
    queue = client.get("/quan-ly-cong/thu/").content.decode()
    assert "Hỗ trợ thành lập HTX chè" in queue
    response = client.post(
        f"/quan-ly-cong/thu/{message.pk}/",
        {"answer": "Liên hệ Phòng Tài chính – Kế hoạch huyện.", "publish": "on"},
    )
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.status == MessageStatus.PUBLISHED
    assert message.answered_by == province_officer
    client.logout()
    public = client.get("/gop-y/").content.decode()
    answered = re.search(r'data-testid="published-questions">(.*)</section>', public, re.S)
    assert "Hỗ trợ thành lập HTX chè" in answered.group(1)
    assert "Liên hệ Phòng Tài chính – Kế hoạch huyện." in answered.group(1)
    assert "dan@example.vn" not in public


def test_a_contact_message_is_never_published(client, province_officer):
    client.post("/lien-he/", FEEDBACK)
    message = Message.objects.get()
    assert message.kind == MessageKind.CONTACT
    client.force_login(province_officer)
    client.post(f"/quan-ly-cong/thu/{message.pk}/", {"answer": "Đã nhận.", "publish": "on"})
    message.refresh_from_db()
    assert message.status == MessageStatus.NEW
    client.post(f"/quan-ly-cong/thu/{message.pk}/", {"answer": "Đã nhận."})
    message.refresh_from_db()
    assert message.status == MessageStatus.ANSWERED


def test_officer_rejects_spam_and_withdraws_an_answer(client, province_officer):
    client.post("/gop-y/", FEEDBACK)
    message = Message.objects.get()
    client.force_login(province_officer)
    client.post(f"/quan-ly-cong/thu/{message.pk}/trang-thai/", {"status": "rejected"})
    message.refresh_from_db()
    assert message.status == MessageStatus.REJECTED


def test_moderation_is_for_officers_of_the_province(client, outsider, commune_officer):
    client.post("/gop-y/", FEEDBACK)
    message = Message.objects.get()
    for user in (outsider, commune_officer):
        client.force_login(user)
        assert client.get("/quan-ly-cong/thu/").status_code == 403
        assert client.get(f"/quan-ly-cong/thu/{message.pk}/").status_code == 403


def test_contact_page_shows_the_office_from_settings(client, settings):
    settings.HOPTAC_OFFICE = {
        "name": "Văn phòng Điều phối",
        "address": "Số 1, đường A",
        "phone": "0209 3870 000",
        "email": "vp@example.vn",
        "hours": "",
    }
    html = client.get("/lien-he/").content.decode()
    assert "Văn phòng Điều phối" in html
    assert "Số 1, đường A" in html
    assert 'href="tel:02093870000"' in html
