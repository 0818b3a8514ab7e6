from __future__ import annotations

from typing import Any

from django import template

from hoptac.notifications import selectors
from hoptac.notifications.choices import Kind

register = template.Library()


@register.simple_tag
def wants_email(user: Any, kind: str = Kind.JOB_FINISHED) -> bool:
    """Does `user` choose e-mail for `kind`? (The default of a job's "e-mail me when it ends"
    box: `{% wants_email user as checked %}`.)"""
    return getattr(user, "is_authenticated", False) and kind in selectors.email_kinds(user=user)
