"""Filters of the shared page parts in templates/components/."""

from __future__ import annotations

from django import template
from django.utils.text import capfirst

register = template.Library()


@register.filter
def labelled(error: str, label: str) -> str:
    """The error message of a field, beginning with the field's label ("Năm: …"), so that it
    says which field it is about also in a summary; unchanged when the form put it there
    already (registry.forms.LabelledErrorsMixin)."""
    text, name = str(error), str(label or "")
    if not name or text.startswith((f"{name}: ", f"{capfirst(name)}: ")):
        return text
    return f"{name}: {text}"
