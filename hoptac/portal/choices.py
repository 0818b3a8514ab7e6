"""Codes of the public portal. Stored codes are stable keys; labels translate."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class MessageKind(models.TextChoices):
    """What a citizen sent: feedback (a question, published with its answer when the officer
    chooses) or a message through the contact page (never published)."""

    FEEDBACK = "feedback", _("Feedback")
    CONTACT = "contact", _("Contact message")


class MessageStatus(models.TextChoices):
    NEW = "new", _("New")
    ANSWERED = "answered", _("Answered")
    PUBLISHED = "published", _("Answered and published")
    REJECTED = "rejected", _("Rejected (spam or abuse)")


class FieldGroup(models.TextChoices):
    """Groups of an HTX's profile fields that a province chooses to publish. The name, kind,
    sector and commune are always public (they are what the directory lists)."""

    CONTACT = "contact", _("Contact: phone, email, website, street address")
    REPRESENTATIVE = "representative", _("Legal representative: name and title")
    REGISTRATION = "registration", _("Registration: code, dates, authority")
    SIZE = "size", _("Size: members, workers, charter capital")
    BUSINESS = "business", _("Business lines and distinctions")
    PRODUCTS = "products", _("Products and certifications")
    LOCATION = "location", _("Location on the map")
    RATINGS = "ratings", _("Yearly ratings")
