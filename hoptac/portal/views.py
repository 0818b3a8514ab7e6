"""The public portal: home, search, directory of HTX and their profiles, product catalogue,
administrative map, news, feedback, contact and site map. Every page is public
(@login_not_required) and readable without JavaScript."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from hoptac.accounts.access import scope_of
from hoptac.core import params
from hoptac.portal import forms, selectors, services, throttle
from hoptac.portal.caching import public_page
from hoptac.portal.choices import MessageKind

PAGE_SIZE = 20


@login_not_required
@public_page
def home(request: HttpRequest) -> HttpResponse:
    """Home page: the province's figures and chart, latest news, model HTX, a search box."""
    province = selectors.portal_province()
    figures = selectors.headline(province=province)
    context = {
        "province": province,
        "figures": figures,
        "chart": selectors.bar_chart(figures.by_area),
        "articles": selectors.articles_latest(limit=4),
        "featured": selectors.featured(province=province),
        "scope": scope_of(request.user),
    }
    return render(request, "portal/home.html", context)


@login_not_required
@require_GET
@public_page
def search(request: HttpRequest) -> HttpResponse:
    q = params.query_text(request, "q")
    results = selectors.search(province=selectors.portal_province(), q=q)
    return render(request, "portal/search.html", {"q": q, "results": results})


@login_not_required
@require_GET
@public_page
def cooperative_list(request: HttpRequest) -> HttpResponse:
    province = selectors.portal_province()
    form = forms.DirectoryFilterForm(request.GET, areas=selectors.area_choices(province=province))
    filters = form.cleaned_data if form.is_valid() else {}
    found = selectors.directory(province=province, filters=filters)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "portal/cooperative_list.html", {"form": form, "page": page})


@login_not_required
@require_GET
@public_page
def cooperative_detail(request: HttpRequest, pk: int) -> HttpResponse:
    province = selectors.portal_province()
    cooperative = selectors.cooperative_public_get(province=province, pk=pk)
    profile = selectors.profile(province=province, cooperative=cooperative)
    return render(request, "portal/cooperative_detail.html", {"p": profile, "c": cooperative})


@login_not_required
@require_GET
@public_page
def product_list(request: HttpRequest) -> HttpResponse:
    province = selectors.portal_province()
    form = forms.ProductFilterForm(request.GET, areas=selectors.area_choices(province=province))
    filters = form.cleaned_data if form.is_valid() else {}
    found = selectors.products_public(province=province, filters=filters)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page}
    return render(request, "portal/product_list.html", context)


@login_not_required
@require_GET
@public_page
def product_detail(request: HttpRequest, pk: int) -> HttpResponse:
    product = selectors.product_public_get(province=selectors.portal_province(), pk=pk)
    return render(request, "portal/product_detail.html", {"product": product})


@login_not_required
@require_GET
@public_page
def map_page(request: HttpRequest) -> HttpResponse:
    """Bản đồ hành chính: the province's units with the published HTX, filtered."""
    province = selectors.portal_province()
    form = forms.MapFilterForm(request.GET, areas=selectors.area_choices(province=province))
    found = selectors.directory(
        province=province, filters=form.cleaned_data if form.is_valid() else {}
    )
    context = {
        "form": form,
        "province": province,
        "total": found.count(),
        "spec": selectors.map_spec(province=province, cooperatives=found),
        "areas": selectors.map_table(province=province, cooperatives=found),
    }
    return render(request, "portal/map.html", context)


@login_not_required
@require_GET
@public_page
def article_list(request: HttpRequest) -> HttpResponse:
    filters = {key: params.query_text(request, key) for key in ("category", "tag", "q")}
    articles = selectors.articles_published(filters=filters)
    page = Paginator(articles, 10).get_page(request.GET.get("page"))
    return render(request, "portal/article_list.html", {"page": page, "filters": filters})


@login_not_required
@require_GET
@public_page
def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    province = selectors.portal_province()
    article = selectors.article_get(slug=slug, user=request.user, province=province)
    return render(request, "portal/article_detail.html", {"article": article})


def _message_view(request: HttpRequest, kind: str, template: str, form_class: type) -> HttpResponse:
    """The feedback and contact pages: show the form; on POST check the honeypot and the
    rate limit per address, then record the message and say so."""
    form = form_class(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if throttle.message_limited(request):
            form.add_error(None, _("Too many messages from your connection; try again later."))
            status = 429
        else:
            if not form.is_spam():
                fields = {k: v for k, v in form.cleaned_data.items() if k != "website"}
                services.message_submit(kind=kind, **fields)
            messages.success(request, _("Thank you. Your message has been received."))
            return redirect(request.path)
    context = {"form": form, "questions": selectors.questions_published()[:20]}
    context["office"] = getattr(settings, "HOPTAC_OFFICE", {})
    return render(request, template, context, status=status)


@login_not_required
def feedback(request: HttpRequest) -> HttpResponse:
    """Góp ý: the form, and the questions published with their answers."""
    return _message_view(request, MessageKind.FEEDBACK, "portal/feedback.html", forms.FeedbackForm)


@login_not_required
def contact(request: HttpRequest) -> HttpResponse:
    """Liên hệ: the office's address and a message form."""
    return _message_view(request, MessageKind.CONTACT, "portal/contact.html", forms.MessageForm)


@login_not_required
@require_GET
@public_page
def site_map(request: HttpRequest) -> HttpResponse:
    """Sơ đồ trang: every public page, and the news."""
    articles = selectors.articles_published()[:50]
    return render(request, "portal/site_map.html", {"articles": articles})


@login_not_required
@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    sitemap = request.build_absolute_uri("/sitemap.xml")
    return render(request, "portal/robots.txt", {"sitemap": sitemap}, content_type="text/plain")
