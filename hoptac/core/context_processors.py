"""Values every page needs: the site's name and whether the demo banner shows."""

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _


def site(request: HttpRequest) -> dict[str, object]:
    return {
        "site_name": settings.HOPTAC_SITE_NAME or _("Cooperative development system"),
        "demo_banner": settings.HOPTAC_DEMO_BANNER,
    }
