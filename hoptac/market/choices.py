"""Codes of products and markets. Stored codes are stable keys; labels translate.

The certifications are those issue 6 names (VietGAP, GlobalGAP, organic, OCOP with 3 to 5
stars); hoptac's legal sources define none of them beyond the OCOP count the provinces report
(indicator so_htx_ocop), so no rule about them is encoded here but the star range the issue
gives.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    TEA = "tea", _("Tea")
    MEDICINAL = "medicinal", _("Medicinal herbs")
    ESSENTIAL_OIL = "essential_oil", _("Essential oils")
    POULTRY = "poultry", _("Poultry")
    LIVESTOCK = "livestock", _("Livestock")
    GRAIN = "grain", _("Rice and grains")
    VEGETABLES_FRUIT = "vegetables_fruit", _("Vegetables and fruit")
    PROCESSED_FOOD = "processed_food", _("Processed food")
    FOREST = "forest", _("Forest products")
    FISHERY = "fishery", _("Fishery products")
    HANDICRAFT = "handicraft", _("Handicrafts")
    SERVICE = "service", _("Services")
    OTHER = "other", _("Other")


class CertificationKind(models.TextChoices):
    VIETGAP = "vietgap", _("VietGAP")
    GLOBALGAP = "globalgap", _("GlobalGAP")
    ORGANIC = "organic", _("Organic (hữu cơ)")
    OCOP = "ocop", _("OCOP")


OCOP_STARS = (3, 4, 5)  # the range issue 6 gives ("OCOP with stars 3–5")


class TrademarkKind(models.TextChoices):
    TRADEMARK = "trademark", _("Trademark")
    COLLECTIVE = "collective", _("Collective mark")


class EventKind(models.TextChoices):
    FAIR = "fair", _("Trade fair")
    MARKET = "market", _("Market or product week")
    ONLINE = "online", _("Online platform")


class LinkKind(models.TextChoices):
    INPUT = "input", _("Input supply")
    OUTPUT = "output", _("Output purchase")
    BOTH = "both", _("Input and output")


class LinkStatus(models.TextChoices):
    ACTIVE = "active", _("In force")
    SUSPENDED = "suspended", _("Suspended")
    ENDED = "ended", _("Ended")
