"""Codes of the support programmes: kinds of policy, funding sources, training topics and roles,
remediation of weak HTX. Stored codes are stable keys; labels translate."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PolicyKind(models.TextChoices):
    """What a policy supports (the list of issue 6; the catalogue's policy areas of the
    Cooperative Law 2023, Chương II, are each filed under one of them in data/policies.yaml)."""

    TRAINING = "training", _("Training and human resources")
    TRADE_PROMOTION = "trade_promotion", _("Trade promotion and markets")
    SCIENCE_TECHNOLOGY = "science_technology", _("Science and technology")
    CREDIT_CAPITAL = "credit_capital", _("Credit and capital")
    LAND = "land", _("Land")
    INFRASTRUCTURE = "infrastructure", _("Infrastructure")
    PROCESSING = "processing", _("Processing")
    NEW_COOPERATIVE = "new_cooperative", _("Founding new cooperatives")
    BRANDING = "branding", _("Branding and labels")
    OTHER = "other", _("Other")


class FundingSource(models.TextChoices):
    """Whose budget pays: the State's (central), the province's, the commune's, or another."""

    CENTRAL = "central", _("Central budget")
    PROVINCE = "province", _("Provincial budget")
    COMMUNE = "commune", _("Commune budget")
    OTHER = "other", _("Other source")


class ProductSupport(models.TextChoices):
    """Support for an HTX's products that the market pages show beside its brands."""

    PACKAGING = "packaging", _("Packaging")
    LABEL = "label", _("Label and trademark")
    TRACEABILITY = "traceability", _("Traceability")


class Eligibility(models.TextChoices):
    """The outcome of checking an HTX against a policy's eligibility criteria (rules.py)."""

    NOT_CHECKED = "not_checked", _("No criteria to check")
    MET = "met", _("Eligible")
    NOT_SHOWN = "not_shown", _("Eligibility not shown")


class CourseTopic(models.TextChoices):
    """Topics of training courses for officers and HTX managers and members."""

    COOPERATIVE_LAW = "cooperative_law", _("Cooperative Law")
    GOVERNANCE = "governance", _("Governance and management")
    ACCOUNTING = "accounting", _("Accounting")
    DIGITAL = "digital", _("Digital transformation")
    TECHNIQUE = "technique", _("Production techniques")
    MARKETING = "marketing", _("Markets and trade promotion")
    OTHER = "other", _("Other")


class ParticipantRole(models.TextChoices):
    """Who took part: an officer (of an area), or a manager or member of an HTX."""

    OFFICER = "officer", _("Officer")
    MANAGER = "manager", _("HTX manager")
    MEMBER = "member", _("HTX member or worker")


COOPERATIVE_ROLES = frozenset({ParticipantRole.MANAGER, ParticipantRole.MEMBER})


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class CaseOutcome(models.TextChoices):
    """How a remediation case ended, at the HTX's next rating."""

    IMPROVED = "improved", _("Improved (rated above weak)")
    STILL_WEAK = "still_weak", _("Still weak")
    DISSOLVED = "dissolved", _("Dissolved or proposed for dissolution")
    OTHER = "other", _("Other")
