"""Codes of the administrative-unit trees."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Era(models.TextChoices):
    """Which tree a unit belongs to: 63 provinces with districts, or 34 provinces without."""

    LEGACY = "legacy", _("Before 1 July 2025")
    CURRENT = "2025", _("From 1 July 2025")


class Level(models.IntegerChoices):
    PROVINCE = 1, _("Province")
    DISTRICT = 2, _("District")
    COMMUNE = 3, _("Commune")


class UnitType(models.TextChoices):
    """The type words of unit names (Luật Tổ chức chính quyền địa phương)."""

    TINH = "tinh", _("Province (tỉnh)")
    THANH_PHO_TW = "thanh_pho_tw", _("Centrally-run city (thành phố trực thuộc trung ương)")
    QUAN = "quan", _("Urban district (quận)")
    HUYEN = "huyen", _("Rural district (huyện)")
    THI_XA = "thi_xa", _("Town (thị xã)")
    THANH_PHO = "thanh_pho", _("Provincial city (thành phố thuộc tỉnh)")
    XA = "xa", _("Commune (xã)")
    PHUONG = "phuong", _("Ward (phường)")
    THI_TRAN = "thi_tran", _("Township (thị trấn)")
    DAC_KHU = "dac_khu", _("Special zone (đặc khu)")


ERA_CHANGE_DATE = "2025-07-01"
