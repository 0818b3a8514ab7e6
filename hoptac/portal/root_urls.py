"""URLs outside the language prefixes: /sitemap.xml and /robots.txt."""

from django.contrib.auth.decorators import login_not_required
from django.contrib.sitemaps.views import sitemap
from django.urls import path

from hoptac.portal import views
from hoptac.portal.sitemaps import SITEMAPS

urlpatterns = [
    path(
        "sitemap.xml",
        login_not_required(sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap",
    ),
    path("robots.txt", views.robots_txt, name="robots_txt"),
]
