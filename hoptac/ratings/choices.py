"""Codes of the ratings: rank codes (the official ones of the circulars), statuses, and the
reasons an HTX is not rated that are not the rule files' own (theirs are the exclusion ids)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from hoptac.ratings.rules import NOT_RATED


class Rank(models.TextChoices):
    """The ranks of Thông tư 01/2020/TT-BKHĐT Điều 8 and Thông tư 09/2017/TT-BNNPTNT, and "not
    rated" (docs/rules.md). The codes are those of the rule files and of the `rate` command."""

    TOT = "tot", _("Good (tốt)")
    KHA = "kha", _("Fair (khá)")
    TRUNG_BINH = "trung_binh", _("Average (trung bình)")
    YEU = "yeu", _("Weak (yếu)")
    CHUA_DANH_GIA = NOT_RATED, _("Not rated (chưa đánh giá)")


RATED_RANKS = (Rank.TOT, Rank.KHA, Rank.TRUNG_BINH, Rank.YEU)


class RatingStatus(models.TextChoices):
    """A rating is proposed (by the engine, scores may change), then approved by an officer of
    the area (locked); publishing is a separate flag."""

    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")


class RoundStatus(models.TextChoices):
    """The state of the ratings of an area for a year: proposed while any is not approved,
    approved when all are, published when all are published."""

    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")


# Reasons of "chưa đánh giá" beside the rule files' exclusions (moi_thanh_lap, ngung_hoat_dong,
# qtdnd_nhnn) and the engine's "ngoai_pham_vi":
NO_RULES = "khong_co_quy_dinh"  # no rule file covers the sector in that year (e.g. non-agri 2019)
PENDING = "chua_co_ket_qua"  # in the summary: no approved rating yet
