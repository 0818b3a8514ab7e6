"""Writes of the public portal: articles, citizens' messages and their answers, what a
province publishes. Each checks access (hoptac.accounts.access.may_edit_portal) itself, so no
caller can skip it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hoptac.accounts import access
from hoptac.areas.models import AdminUnit
from hoptac.notifications import services as notifications
from hoptac.notifications.choices import Kind
from hoptac.portal import rules
from hoptac.portal.choices import MessageKind, MessageStatus
from hoptac.portal.models import Article, Category, Message, PublicationSetting, Tag
from hoptac.registry.rules import search_fold

ARTICLE_FIELDS = (
    "title",
    "summary",
    "body",
    "image",
    "image_alt",
    "author_name",
    "source",
    "status",
    "published_at",
)


def _require_editor(by: Any, province: AdminUnit) -> None:
    if not access.may_edit_portal(by, province):
        raise PermissionDenied


def tags_from_text(text: str) -> list[Tag]:
    """The tags named in a comma-separated text, created when new."""
    tags = []
    for name in dict.fromkeys(" ".join(part.split()) for part in (text or "").split(",")):
        if not name:
            continue
        tag = Tag.objects.filter(name__iexact=name).first()
        if tag is None:
            taken = Tag.objects.values_list("slug", flat=True)
            tag = Tag.objects.create(name=name[:80], slug=rules.slug_for(name, taken))
        tags.append(tag)
    return tags


@transaction.atomic
def article_save(
    *,
    by: Any,
    province: AdminUnit,
    article: Article | None = None,
    categories: Iterable[Category] = (),
    tags: Iterable[Tag] = (),
    now: datetime | None = None,
    **fields: Any,
) -> Article:
    """Create or change an article. The body is sanitised (rules.sanitize_html); publishing a
    draft without a date dates it now; the slug is made from the title once."""
    _require_editor(by, province)
    article = article or Article(created_by=access.author(by))
    was_published = article.pk is not None and article.is_published
    for name, value in fields.items():
        if name not in ARTICLE_FIELDS:
            raise TypeError(name)
        setattr(article, name, value)
    article.body = rules.sanitize_html(article.body)
    if not article.slug:
        article.slug = rules.slug_for(article.title, Article.objects.values_list("slug", flat=True))
    if article.is_published and not was_published and article.published_at is None:
        article.published_at = now or timezone.now()
    article.search_text = search_fold(article.title, article.summary, _plain(article.body))
    article.updated_by = access.author(by)
    article.full_clean()
    article.save()
    article.categories.set(categories)
    article.tags.set(tags)
    return article


def _plain(html: str) -> str:
    import nh3

    return nh3.clean(html, tags=set())


def message_submit(
    *,
    kind: str,
    name: str,
    contact: str,
    subject: str,
    content: str,
    attachment: UploadedFile | None = None,
) -> Message:
    """Record what a citizen sent (the form has checked the fields, the attachment, the
    honeypot and the rate limit)."""
    message = Message(
        kind=kind,
        name=name.strip(),
        contact=contact.strip(),
        subject=subject.strip(),
        content=content.strip(),
    )
    if attachment is not None:
        message.attachment = attachment
    message.full_clean()
    message.save()
    return message


@transaction.atomic
def message_answer(
    *,
    by: Any,
    province: AdminUnit,
    message: Message,
    answer: str,
    publish: bool,
    now: datetime | None = None,
) -> Message:
    """Answer a citizen's message, and publish the feedback question with its answer when
    `publish` (contact messages are never published)."""
    _require_editor(by, province)
    if not answer.strip():
        raise ValidationError({"answer": _("Write the answer.")})
    if publish and message.kind != MessageKind.FEEDBACK:
        raise ValidationError({"publish": _("Only feedback can be published.")})
    when = now or timezone.now()
    message.answer = answer.strip()
    message.answered_by = access.author(by)
    message.answered_at = when
    message.status = MessageStatus.PUBLISHED if publish else MessageStatus.ANSWERED
    message.published_at = when if publish else None
    message.full_clean()
    message.save()
    _tell_sender(message)
    return message


def _tell_sender(message: Message) -> None:
    """Tell the sender that his message was answered, when he gave an e-mail address (the
    message keeps no account, only the contact he typed): an account with that address gets
    the notification (and the e-mail if he chose it), any other address the e-mail alone."""
    from django.core.validators import validate_email
    from django.urls import reverse

    from hoptac.accounts.models import User

    address = message.contact.strip()
    try:
        validate_email(address)
    except ValidationError:
        return  # a phone number: the office calls back
    with notifications.site_language():
        title = _("Your message “%(subject)s” was answered") % {"subject": message.subject}
        body = message.answer
        link = reverse("portal:feedback") if message.status == MessageStatus.PUBLISHED else ""
    users = list(User.objects.filter(email__iexact=address, is_active=True)[:5])
    if users:
        notifications.notify(users, Kind.FEEDBACK_ANSWERED, title, body, link)
    else:
        notifications.notify_address(address, title, body, link)


@transaction.atomic
def message_set_status(*, by: Any, province: AdminUnit, message: Message, status: str) -> Message:
    """Reject a message as spam, withdraw a published answer, or reopen a rejected one."""
    _require_editor(by, province)
    allowed = {MessageStatus.REJECTED, MessageStatus.ANSWERED, MessageStatus.NEW}
    if status not in allowed:
        raise ValidationError({"status": _("This change of status is not allowed.")})
    if status == MessageStatus.ANSWERED and not message.answer:
        raise ValidationError({"status": _("The message has no answer yet.")})
    message.status = status
    message.published_at = None
    message.save(update_fields=["status", "published_at", "updated_at"])
    return message


@transaction.atomic
def publication_update(
    *, by: Any, province: AdminUnit, choices: dict[str, bool]
) -> PublicationSetting:
    """Set which field groups of HTX profiles the province publishes."""
    _require_editor(by, province)
    setting, _created = PublicationSetting.objects.get_or_create(province=province)
    for group, shown in choices.items():
        setattr(setting, group, bool(shown))
    setting.updated_by = access.author(by)
    setting.save()
    return setting
