"""Pages of products and markets: the searchable product list, products with their
certifications and trademarks, trade promotion events, partner companies, value-chain links,
and the HTX page's "Products" and "Links" tabs.

Thin: parse input, check access (hoptac.accounts.access through the selectors), call a selector
or service, render. Out-of-scope objects answer 404; "may see but not change" answers 403.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from hoptac.accounts import access
from hoptac.market import forms, selectors, services
from hoptac.market.models import Certification, EventParticipation
from hoptac.registry import selectors as registry_selectors
from hoptac.registry.models import Cooperative
from hoptac.support.views import PAGE_SIZE, cleaned_filters, form_page, partial_template


def _cooperative_for_change(request: HttpRequest, pk: int) -> Cooperative:
    cooperative = registry_selectors.cooperative_get_for_user(user=request.user, pk=pk)
    if not selectors.may_change_for(user=request.user, cooperative=cooperative):
        raise PermissionDenied
    return cooperative


def _saved(
    request: HttpRequest, form: Any, target: Any, service: Callable[..., Any], **given: Any
) -> HttpResponse | None:
    """For a valid POST, call `service(by=user, **given, **the form's values)`: redirect to
    `target` (or to what the service returned) on success, attach the service's errors to the
    form otherwise. None: show the form (again)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        saved = service(by=request.user, **given, **form.service_kwargs())
    except ValidationError as error:
        form.add_service_error(error)
        return None
    messages.success(request, _("The changes were saved."))
    return redirect(target or saved)


# --- products ---------------------------------------------------------------------------------


def product_list(request: HttpRequest) -> HttpResponse:
    """The officers' searchable list of products (without diacritics)."""
    form = forms.ProductFilterForm(request.GET or None, user=request.user)
    products = selectors.product_list(user=request.user, filters=cleaned_filters(form))
    page = Paginator(products, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page}
    return render(
        request, partial_template(request, "market/product_list.html", "results"), context
    )


def product_detail(request: HttpRequest, pk: int) -> HttpResponse:
    product = selectors.product_get_for_user(user=request.user, pk=pk)
    context = {
        "product": product,
        "certifications": product.certifications.all(),
        "trademarks": product.trademarks.all(),
        "may_change": selectors.may_change_for(user=request.user, cooperative=product.cooperative),
    }
    return render(request, "market/product_detail.html", context)


def product_create(request: HttpRequest, cooperative_pk: int) -> HttpResponse:
    cooperative = _cooperative_for_change(request, cooperative_pk)
    form = forms.ProductForm(request.POST or None, request.FILES or None)
    response = _saved(request, form, None, services.product_save, cooperative=cooperative)
    title = _("Add a product: %(name)s") % {"name": cooperative.name}
    return response or form_page(
        request, form, title, f"{cooperative.get_absolute_url()}?tab=products"
    )


def product_edit(request: HttpRequest, pk: int) -> HttpResponse:
    product = selectors.product_get_for_user(user=request.user, pk=pk)
    _cooperative_for_change(request, product.cooperative_id)
    form = forms.ProductForm(request.POST or None, request.FILES or None, instance=product)
    response = _saved(request, form, None, services.product_save, product=product)
    return response or form_page(request, form, product.name, product.get_absolute_url())


def product_photo(request: HttpRequest, pk: int) -> FileResponse:
    """A product's photo, to those who may see the product (404 otherwise)."""
    product = selectors.product_get_for_user(user=request.user, pk=pk)
    if not product.photo:
        raise Http404
    return FileResponse(product.photo.open("rb"))


def certification_edit(
    request: HttpRequest, product_pk: int, pk: int | None = None
) -> HttpResponse:
    product = selectors.product_get_for_user(user=request.user, pk=product_pk)
    _cooperative_for_change(request, product.cooperative_id)
    certification = get_object_or_404(Certification, pk=pk, product=product) if pk else None
    form = forms.CertificationForm(request.POST or None, instance=certification)
    response = _saved(
        request, form, product, services.certification_save,
        certification=certification, product=product,
    )  # fmt: skip
    return response or form_page(
        request,
        form,
        _("Certification: %(name)s") % {"name": product.name},
        product.get_absolute_url(),
    )


def trademark_edit(
    request: HttpRequest, cooperative_pk: int, pk: int | None = None
) -> HttpResponse:
    cooperative = _cooperative_for_change(request, cooperative_pk)
    trademark = selectors.trademark_get_for_user(user=request.user, pk=pk) if pk else None
    if trademark is not None and trademark.cooperative_id != cooperative.pk:
        raise Http404
    form = forms.TrademarkForm(request.POST or None, instance=trademark, cooperative=cooperative)
    back = f"{cooperative.get_absolute_url()}?tab=products"
    response = _saved(
        request, form, back, services.trademark_save, trademark=trademark, cooperative=cooperative
    )
    return response or form_page(
        request, form, _("Trademark: %(name)s") % {"name": cooperative.name}, back
    )


# --- trade promotion --------------------------------------------------------------------------


def event_list(request: HttpRequest) -> HttpResponse:
    form = forms.EventFilterForm(request.GET or None)
    events = selectors.event_list(user=request.user, filters=cleaned_filters(form))
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "may_create": access.may_create_placed(request.user)}
    return render(request, partial_template(request, "market/event_list.html", "results"), context)


def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_get_for_user(user=request.user, pk=pk)
    participations = selectors.event_participations(user=request.user, event=event)
    context = {
        "event": event,
        "participations": participations,
        "results": selectors.event_results(participations=participations),
        "may_change": selectors.event_may_change(user=request.user, event=event),
        "may_add": access.may_create_placed(request.user),
    }
    return render(request, "market/event_detail.html", context)


def event_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    if not access.may_create_placed(request.user):
        raise PermissionDenied
    event = selectors.event_get_for_user(user=request.user, pk=pk) if pk else None
    if event is not None and not selectors.event_may_change(user=request.user, event=event):
        raise PermissionDenied
    form = forms.EventForm(request.POST or None, instance=event, user=request.user)
    response = _saved(request, form, None, services.event_save, event=event)
    title = event.name if event else _("Add a trade promotion event")
    return response or form_page(
        request, form, title, event.get_absolute_url() if event else "market:event_list"
    )


def participation_edit(request: HttpRequest, event_pk: int, pk: int | None = None) -> HttpResponse:
    """Record an HTX at an event (officers of the HTX's area) or change its results."""
    event = selectors.event_get_for_user(user=request.user, pk=event_pk)
    if not access.may_create_placed(request.user):
        raise PermissionDenied
    participation = None
    if pk:
        participation = get_object_or_404(
            EventParticipation.objects.visible_to(request.user), pk=pk, event=event
        )
        _cooperative_for_change(request, participation.cooperative_id)
    form = forms.ParticipationForm(request.POST or None, instance=participation, user=request.user)
    response = _saved(
        request, form, event, services.participation_save, participation=participation, event=event
    )
    return response or form_page(request, form, event.name, event.get_absolute_url())


# --- value chains -----------------------------------------------------------------------------


def company_list(request: HttpRequest) -> HttpResponse:
    form = forms.CompanyFilterForm(request.GET or None)
    companies = selectors.company_list(filters=cleaned_filters(form))
    page = Paginator(companies, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "may_create": access.may_create_placed(request.user)}
    return render(
        request, partial_template(request, "market/company_list.html", "results"), context
    )


def company_detail(request: HttpRequest, pk: int) -> HttpResponse:
    company = selectors.company_get(pk=pk)
    links = selectors.link_list(user=request.user, filters={"company": company})
    context = {
        "company": company,
        "links": links,
        "may_change": selectors.company_may_change(user=request.user, company=company),
    }
    return render(request, "market/company_detail.html", context)


def company_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Record a company (officers and the administrator) or change one (the province that keeps
    it, and the administrator; others see it but may not change it: 403)."""
    if not access.may_create_placed(request.user):
        raise PermissionDenied
    company = selectors.company_get(pk=pk) if pk else None
    if company is not None and not selectors.company_may_change(user=request.user, company=company):
        raise PermissionDenied
    form = forms.CompanyForm(request.POST or None, instance=company, user=request.user)
    response = _saved(request, form, None, services.company_save, company=company)
    title = company.name if company else _("Add a partner company")
    return response or form_page(
        request, form, title, company.get_absolute_url() if company else "market:company_list"
    )


def link_list(request: HttpRequest) -> HttpResponse:
    """Value-chain links, and the share of HTX in value chains on a day."""
    form = forms.LinkFilterForm(request.GET or None, user=request.user)
    filters = cleaned_filters(form)
    on = filters.pop("on", None) or timezone.localdate()
    area = filters.get("area") or access.scope_of(request.user).area
    links = selectors.link_list(user=request.user, filters=filters)
    page = Paginator(links, PAGE_SIZE).get_page(request.GET.get("page"))
    share = selectors.in_value_chain(area, on) if area is not None else None
    context = {"form": form, "page": page, "on": on, "area": area, "share": share}
    return render(request, partial_template(request, "market/link_list.html", "results"), context)


def link_edit(request: HttpRequest, cooperative_pk: int, pk: int | None = None) -> HttpResponse:
    cooperative = _cooperative_for_change(request, cooperative_pk)
    link = selectors.link_get_for_user(user=request.user, pk=pk) if pk else None
    if link is not None and link.cooperative_id != cooperative.pk:
        raise Http404
    form = forms.LinkForm(request.POST or None, instance=link, cooperative=cooperative)
    back = f"{cooperative.get_absolute_url()}?tab=links"
    response = _saved(request, form, back, services.link_save, link=link, cooperative=cooperative)
    return response or form_page(
        request, form, _("Value-chain link: %(name)s") % {"name": cooperative.name}, back
    )


# --- the HTX page's tabs ----------------------------------------------------------------------


def products_tab_context(request: HttpRequest, cooperative: Cooperative) -> dict[str, Any]:
    """The "Products" tab: products with certifications, marks, and product support received."""
    return {
        "products": selectors.cooperative_products(cooperative=cooperative),
        "trademarks": selectors.cooperative_trademarks(cooperative=cooperative),
        "product_support": selectors.product_support_grants(cooperative=cooperative),
        "may_change_market": selectors.may_change_for(user=request.user, cooperative=cooperative),
    }


def links_tab_context(request: HttpRequest, cooperative: Cooperative) -> dict[str, Any]:
    """The "Links" tab: value-chain links and the trade events the HTX took part in."""
    return {
        "links": selectors.cooperative_links(cooperative=cooperative),
        "events": selectors.cooperative_events(cooperative=cooperative),
        "today": timezone.localdate(),
        "may_change_market": selectors.may_change_for(user=request.user, cooperative=cooperative),
    }
