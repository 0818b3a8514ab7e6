"""The portal's own data: news articles (with categories and tags), what each province
publishes of its HTX profiles, citizens' feedback and contact messages, and the visitor
counts. Everything else the portal shows it reads from the other apps."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hoptac.core.models import TimeStampedModel
from hoptac.portal.choices import ArticleStatus, FieldGroup, MessageKind, MessageStatus


class Category(models.Model):
    """A section of the news (e.g. "Kinh tế tập thể")."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=140, unique=True)

    class Meta:
        verbose_name = _("news category")
        verbose_name_plural = _("news categories")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    """A free keyword of articles (e.g. "hợp tác xã")."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ArticleQuerySet(models.QuerySet["Article"]):
    def published(self) -> ArticleQuerySet:
        """What the public reads: published articles, newest first (undated ones last)."""
        return self.filter(status=ArticleStatus.PUBLISHED).order_by(
            models.F("published_at").desc(nulls_last=True), "-pk"
        )


class Article(TimeStampedModel):
    """A news article: title, summary, sanitised rich-text body, an optional image, its
    author's byline, categories and tags; a draft until an officer publishes it.

    `body` is stored already sanitised (services.article_save runs rules.sanitize_html), so
    templates may mark it safe. `published_at` is the date the article shows; it may be empty
    when the source gives none.
    """

    title = models.CharField(pgettext_lazy("news article", "title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("body"), blank=True)
    image = models.ImageField(_("image"), upload_to="portal/articles/%Y/", blank=True)
    image_alt = models.CharField(_("image description"), max_length=300, blank=True)
    author_name = models.CharField(_("author (byline)"), max_length=150, blank=True)
    source = models.CharField(_("source"), max_length=255, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    categories = models.ManyToManyField(
        Category, blank=True, related_name="articles", verbose_name=_("categories")
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="articles", verbose_name=_("tags"))
    search_text = models.TextField(_("search text"), blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last changed by"),
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-pk"]
        indexes = [models.Index(fields=["status", "published_at"], name="article_status_date")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("portal:article_detail", args=[self.slug])

    @property
    def is_published(self) -> bool:
        return self.status == ArticleStatus.PUBLISHED


class PublicationSetting(TimeStampedModel):
    """Which groups of HTX profile fields a province publishes on the portal (one row per
    province; without a row, rules.DEFAULT_GROUPS apply: everything but the ratings)."""

    province = models.OneToOneField(
        "areas.AdminUnit",
        models.CASCADE,
        related_name="+",
        verbose_name=_("province"),
        limit_choices_to={"level": 1},
    )
    contact = models.BooleanField(FieldGroup.CONTACT.label, default=True)
    representative = models.BooleanField(FieldGroup.REPRESENTATIVE.label, default=True)
    registration = models.BooleanField(FieldGroup.REGISTRATION.label, default=True)
    size = models.BooleanField(FieldGroup.SIZE.label, default=True)
    business = models.BooleanField(FieldGroup.BUSINESS.label, default=True)
    products = models.BooleanField(FieldGroup.PRODUCTS.label, default=True)
    location = models.BooleanField(FieldGroup.LOCATION.label, default=True)
    ratings = models.BooleanField(FieldGroup.RATINGS.label, default=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last changed by"),
    )

    class Meta:
        verbose_name = _("publication setting")
        verbose_name_plural = _("publication settings")

    def __str__(self) -> str:
        return str(self.province)

    def choices(self) -> dict[str, bool]:
        return {group: getattr(self, group) for group in FieldGroup.values}


class Message(TimeStampedModel):
    """What a citizen sends: feedback (Góp ý) or a contact message (Liên hệ).

    Officers of the portal's province read it in the moderation queue, answer it, and may
    publish a feedback question with its answer. The sender's address is not stored; the rate
    limit counts it under a salted hash only.
    """

    kind = models.CharField(
        _("kind"), max_length=10, choices=MessageKind.choices, default=MessageKind.FEEDBACK
    )
    name = models.CharField(_("name"), max_length=150)
    contact = models.CharField(_("email or phone"), max_length=200)
    subject = models.CharField(_("subject"), max_length=200)
    content = models.TextField(_("content"))
    attachment = models.FileField(_("attachment"), upload_to="portal/messages/%Y/", blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=MessageStatus.choices, default=MessageStatus.NEW
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("citizen message")
        verbose_name_plural = _("citizen messages")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"], name="message_status_created")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=MessageStatus.PUBLISHED) | Q(kind=MessageKind.FEEDBACK),
                name="message_only_feedback_published",
            )
        ]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("portal:message_detail", args=[self.pk])


class VisitDay(models.Model):
    """The visits of one day (local time): incremented in the database with
    UPDATE … SET visits = visits + 1, so that several app processes count exactly."""

    day = models.DateField(_("day"), unique=True)
    visits = models.PositiveBigIntegerField(_("visits"), default=0)

    class Meta:
        verbose_name = _("visits of a day")
        verbose_name_plural = _("visits by day")
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"{self.day}: {self.visits}"


class Visitor(models.Model):
    """A visitor's browser session, known only by a salted hash of its random token: when it
    was last active (for "online now") and the day its visit was last counted (a session
    counts once a day)."""

    key = models.CharField(_("session hash"), max_length=40, unique=True)
    last_seen = models.DateTimeField(_("last seen"), db_index=True)
    counted_on = models.DateField(_("visit counted on"))

    class Meta:
        verbose_name = _("visitor")
        verbose_name_plural = _("visitors")

    def __str__(self) -> str:
        return self.key[:8]
