"""Template filters of accounts: they ask hoptac.accounts.access (no rule is written in a
template) and show an audit entry's detail."""

from __future__ import annotations

from typing import Any

from django import template

from hoptac.accounts import access, audit
from hoptac.accounts.models import AuditEntry

register = template.Library()


@register.filter
def may_read_audit_log(user: Any) -> bool:
    """{% if user|may_read_audit_log %}: show the audit log's menu entry."""
    return access.may_read_audit_log(user)


@register.filter
def audit_detail(entry: AuditEntry) -> list[tuple[str, str]]:
    """The detail of an audit entry as (label, text) lines, labels in the active language."""
    return audit.detail_lines(entry)
