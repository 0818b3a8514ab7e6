"""Values every page needs: the site's name and whether the demo banner shows; the CSRF
token as a hole while a page is rendered for the cache (hoptac.core.page_cache)."""

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _

from hoptac.core import page_cache


def site(request: HttpRequest) -> dict[str, object]:
    return {
        "site_name": settings.HOPTAC_SITE_NAME or _("Cooperative development system"),
        "demo_banner": settings.HOPTAC_DEMO_BANNER,
    }


def page_holes(request: HttpRequest) -> dict[str, object]:
    """Listed after Django's own `csrf` processor, so its token gives way to the hole."""
    if page_cache.is_cached_render(request):
        return {"csrf_token": page_cache.CSRF_HOLE}
    return {}
