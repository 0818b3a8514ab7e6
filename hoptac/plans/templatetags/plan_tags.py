"""Template helpers of plans: an outcome's label and colour."""

from django import template

from hoptac.plans.choices import OUTCOME_CSS, Outcome

register = template.Library()


@register.filter
def outcome_label(code: str) -> str:
    return str(Outcome(code).label)


@register.filter
def outcome_css(code: str) -> str:
    return OUTCOME_CSS.get(code, "secondary")
