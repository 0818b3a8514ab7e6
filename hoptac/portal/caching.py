"""The public pages' cache: which pages, what fills their holes, and what makes them change.

Anonymous readers get the portal's pages from `core.page_cache` (rendered once per language,
address and day, at the current version of the namespace "portal"). Every page carries two
per-request holes: the CSRF token (core) and the visitor statistics (here).

What the pages show comes from the registry, the market, the ratings, the administrative units
and the portal's own tables. Any save or delete of their rows (and the bulk writes of
organisations and ratings, which core.changes reports) bumps "portal" once per transaction,
after its commit: the next anonymous reader gets a page rendered afresh. The visitor tables
are left out: a visit only changes the statistics, which are a hole.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest
from django.template.loader import render_to_string

from hoptac.areas.loader import AREAS_NAMESPACE
from hoptac.core import changes, fragments
from hoptac.core.page_cache import Hole, cached_page
from hoptac.portal import visits
from hoptac.ratings.models import Rating
from hoptac.registry.models import Cooperative

NAMESPACE = "portal"
STATS_HOLE = "visit-stats"
SHOWN_APPS = frozenset({"areas", "registry", "ratings", "market", "portal"})
NOT_SHOWN = frozenset({("portal", "visitor"), ("portal", "visitday")})


def visit_stats_box(request: HttpRequest | None = None) -> str:
    """The visitor statistics box, as HTML."""
    try:
        stats = visits.visit_stats()
    except Exception:  # the statistics must never break a page
        visits.log.exception("visit statistics unavailable")
        stats = None
    return render_to_string("portal/_visit_stats.html", {"stats": stats})


public_page = cached_page(
    namespaces=(NAMESPACE, AREAS_NAMESPACE),
    # "Online now" counts sessions seen in the last minutes, refreshed once a minute per
    # session (visits.TOUCH_SECONDS): the box is kept per minute, and per new visit.
    holes={STATS_HOLE: Hole(visit_stats_box, (visits.NAMESPACE,), per_minute=True)},
)


def _shown(sender: Any) -> bool:
    meta = getattr(sender, "_meta", None)
    if meta is None:
        return False
    return meta.app_label in SHOWN_APPS and (meta.app_label, meta.model_name) not in NOT_SHOWN


def _changed(sender: Any, **kwargs: Any) -> None:
    if _shown(sender):
        fragments.bump(NAMESPACE)


def _bulk_changed(change: changes.Change) -> None:
    fragments.bump(NAMESPACE)


def connect() -> None:
    """Called once from PortalConfig.ready()."""
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_changed, dispatch_uid=f"portal-cache-{id(signal)}")
    # Writes without a model signal (update, bulk_create, bulk_update, COPY).
    for model in (Cooperative, Rating):
        changes.watch(model, (), _bulk_changed, uid="portal-cache-bulk")
