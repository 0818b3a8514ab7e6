"""The officers' side of the portal: news editor, moderation of citizens' messages, and
which HTX fields the province publishes. Signed-in users only (LoginRequiredMiddleware);
access.may_edit_portal decides (403 for anyone else signed in)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hoptac.accounts import access
from hoptac.areas.models import AdminUnit
from hoptac.portal import forms, selectors, services
from hoptac.portal.choices import MessageStatus
from hoptac.portal.models import Article


def _province_for(request: HttpRequest) -> AdminUnit:
    """The portal's province, once `request.user` is known to edit it (403 otherwise)."""
    province = selectors.portal_province()
    if not access.may_edit_portal(request.user, province):
        raise PermissionDenied
    return province


def manage(request: HttpRequest) -> HttpResponse:
    province = _province_for(request)
    counts = selectors.message_counts(user=request.user, province=province)
    drafts = selectors.articles_for_editing(user=request.user, province=province)
    context = {"counts": counts, "drafts": drafts.filter(status="draft").count()}
    return render(request, "portal/manage/index.html", context)


def article_manage_list(request: HttpRequest) -> HttpResponse:
    province = _province_for(request)
    articles = selectors.articles_for_editing(user=request.user, province=province)
    page = Paginator(articles, 30).get_page(request.GET.get("page"))
    return render(request, "portal/manage/article_list.html", {"page": page})


def article_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Create (pk None) or edit an article; the body is sanitised when saved."""
    province = _province_for(request)
    article = get_object_or_404(Article, pk=pk) if pk else None
    form = forms.ArticleForm(request.POST or None, request.FILES or None, instance=article)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        categories, tags = data.pop("categories"), data.pop("tags_text")
        article = services.article_save(
            by=request.user,
            province=province,
            article=article,
            categories=categories,
            tags=services.tags_from_text(tags),
            **data,
        )
        messages.success(request, _("The article has been saved."))
        return redirect("portal:article_manage_list")
    return render(request, "portal/manage/article_form.html", {"form": form, "article": article})


def message_queue(request: HttpRequest) -> HttpResponse:
    province = _province_for(request)
    status = request.GET.get("status", MessageStatus.NEW)
    status = status if status in MessageStatus.values else ""
    queue = selectors.message_queue(user=request.user, province=province, status=status or None)
    context = {
        "page": Paginator(queue, 30).get_page(request.GET.get("page")),
        "status": status,
        "statuses": MessageStatus.choices,
        "counts": selectors.message_counts(user=request.user, province=province),
    }
    return render(request, "portal/manage/message_queue.html", context)


def message_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Read a message and answer it (and publish a feedback question with its answer)."""
    province = _province_for(request)
    message = selectors.message_get(user=request.user, province=province, pk=pk)
    initial = {"answer": message.answer, "publish": message.status == MessageStatus.PUBLISHED}
    form = forms.AnswerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.message_answer(
                by=request.user, province=province, message=message, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The answer has been saved."))
            return redirect("portal:message_detail", pk=message.pk)
    context = {"message": message, "form": form, "status_form": forms.StatusForm()}
    return render(request, "portal/manage/message_detail.html", context)


@require_POST
def message_status(request: HttpRequest, pk: int) -> HttpResponse:
    province = _province_for(request)
    message = selectors.message_get(user=request.user, province=province, pk=pk)
    form = forms.StatusForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("This change of status is not allowed."))
        services.message_set_status(
            by=request.user, province=province, message=message, status=form.cleaned_data["status"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("portal:message_detail", pk=message.pk)


def publication_settings(request: HttpRequest) -> HttpResponse:
    """Which groups of HTX profile fields the province publishes."""
    province = _province_for(request)
    current = selectors.publication_get(province=province).choices()
    form = forms.PublicationForm(request.POST or None, initial=current)
    if request.method == "POST" and form.is_valid():
        services.publication_update(by=request.user, province=province, choices=form.cleaned_data)
        messages.success(request, _("The publication settings have been saved."))
        return redirect("portal:publication_settings")
    return render(request, "portal/manage/publication.html", {"form": form, "province": province})
