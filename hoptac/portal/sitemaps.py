"""/sitemap.xml (django.contrib.sitemaps): the public pages, news, published HTX profiles and
their products, each in Vietnamese and English (alternates with hreflang)."""

from __future__ import annotations

from typing import Any

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from hoptac.portal import selectors
from hoptac.portal.models import Article

STATIC_PAGES = [
    "portal:home",
    "portal:cooperative_list",
    "portal:product_list",
    "portal:map",
    "portal:article_list",
    "portal:feedback",
    "portal:contact",
    "portal:site_map",
]


class _Bilingual(Sitemap):
    i18n = True
    alternates = True
    x_default = True


class PageSitemap(_Bilingual):
    changefreq = "daily"
    priority = 0.6

    def items(self) -> list[str]:
        return STATIC_PAGES

    def location(self, item: str) -> str:
        return reverse(item)


class ArticleSitemap(_Bilingual):
    changefreq = "weekly"
    priority = 0.7

    def items(self) -> Any:
        return Article.objects.published()

    def lastmod(self, item: Article) -> Any:
        return item.updated_at


class CooperativeSitemap(_Bilingual):
    changefreq = "monthly"
    priority = 0.5
    limit = 5000

    def items(self) -> Any:
        return (
            selectors.directory(province=selectors.portal_province())
            .select_related(None)
            .only("pk", "updated_at")
        )

    def location(self, item: Any) -> str:
        return reverse("portal:cooperative_detail", args=[item.pk])

    def lastmod(self, item: Any) -> Any:
        return item.updated_at


class ProductSitemap(_Bilingual):
    changefreq = "monthly"
    priority = 0.5
    limit = 5000

    def items(self) -> Any:
        return selectors.products_public(province=selectors.portal_province())

    def location(self, item: Any) -> str:
        return reverse("portal:product_detail", args=[item.pk])


SITEMAPS = {
    "pages": PageSitemap,
    "news": ArticleSitemap,
    "cooperatives": CooperativeSitemap,
    "products": ProductSitemap,
}
