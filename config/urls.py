"""Top-level URLs: pages in Vietnamese at /…, in English at /en/…."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from hoptac.core import views as core_views

urlpatterns = [
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("", include("hoptac.portal.root_urls")),  # /sitemap.xml, /robots.txt
    path("healthz", core_views.healthz, name="healthz"),  # liveness (hoptac.core.health)
    path("readyz", core_views.readyz, name="readyz"),  # readiness: database, cache, tally
    path("", include("hoptac.api.urls")),  # /api/v1/: the REST API (hoptac/api), no language prefix
]
urlpatterns += i18n_patterns(
    path("", include("hoptac.portal.urls")),
    path("accounts/", include("hoptac.accounts.urls")),
    path("areas/", include("hoptac.accounts.area_urls")),
    path("htx/", include("hoptac.registry.urls")),
    path("bao-cao/", include("hoptac.reports.urls")),
    path("xep-loai/", include("hoptac.ratings.urls")),
    path("ho-tro/", include("hoptac.support.urls")),
    path("thi-truong/", include("hoptac.market.urls")),
    path("chi-tieu/", include("hoptac.indicators.urls")),
    path("ke-hoach/", include("hoptac.plans.urls")),
    path("viec/", include("hoptac.jobs.urls")),
    path("thong-bao/", include("hoptac.notifications.urls")),
    path("khoa-api/", include("hoptac.api.page_urls")),  # the API tokens page
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)
