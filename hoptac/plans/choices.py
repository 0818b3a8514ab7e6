"""Codes of plans and targets (stable keys; labels translate)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from hoptac.plans import rules


class PlanKind(models.TextChoices):
    """The kinds of steering document provinces, districts and communes issue."""

    RESOLUTION = "nghi_quyet", _("Resolution (Nghị quyết)")
    PROJECT = "de_an", _("Project (Đề án)")
    PLAN = "ke_hoach", _("Plan (Kế hoạch)")
    PROGRAMME = "chuong_trinh", _("Programme (Chương trình)")


class Comparison(models.TextChoices):
    """How the indicator must compare with the target value."""

    AT_LEAST = rules.AT_LEAST, "≥"
    MORE_THAN = rules.MORE_THAN, ">"
    AT_MOST = rules.AT_MOST, "≤"
    EQUAL = rules.EQUAL, "="


class Outcome(models.TextChoices):
    """Where a target stands (rules.assess)."""

    ACHIEVED = rules.ACHIEVED, _("Achieved")
    ON_TRACK = rules.ON_TRACK, _("On track")
    AT_RISK = rules.AT_RISK, _("At risk of not being achieved")
    MISSED = rules.MISSED, _("Not achieved")
    NO_DATA = rules.NO_DATA, _("No data yet")


# The words of the written report (Vietnamese administrative style), whatever the UI language.
OUTCOME_VI = {
    rules.ACHIEVED: "đạt",
    rules.ON_TRACK: "đúng tiến độ",
    rules.AT_RISK: "có nguy cơ không đạt",
    rules.MISSED: "không đạt",
    rules.NO_DATA: "chưa có số liệu",
}
KIND_VI = {
    PlanKind.RESOLUTION: "Nghị quyết",
    PlanKind.PROJECT: "Đề án",
    PlanKind.PLAN: "Kế hoạch",
    PlanKind.PROGRAMME: "Chương trình",
}
OUTCOME_CSS = {
    rules.ACHIEVED: "success",
    rules.ON_TRACK: "primary",
    rules.AT_RISK: "warning",
    rules.MISSED: "danger",
    rules.NO_DATA: "secondary",
}
