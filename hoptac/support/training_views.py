"""Pages of training: courses, their participants, and counts of people trained."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from hoptac.accounts import access
from hoptac.support import forms, selectors, services
from hoptac.support.models import Course
from hoptac.support.views import (
    PAGE_SIZE,
    cleaned_filters,
    form_page,
    partial_template,
    require_officer,
)


def course_list(request: HttpRequest) -> HttpResponse:
    form = forms.CourseFilterForm(request.GET or None)
    courses = selectors.course_list(user=request.user, filters=cleaned_filters(form))
    page = Paginator(courses, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "may_create": access.may_create_placed(request.user)}
    return render(
        request, partial_template(request, "support/course_list.html", "results"), context
    )


def course_detail(request: HttpRequest, pk: int) -> HttpResponse:
    course = selectors.course_get_for_user(user=request.user, pk=pk)
    participants = selectors.course_participants(course=course, user=request.user)
    context = {
        "course": course,
        "participants": participants,
        "attended": sum(p.attended for p in participants),
        "may_change": selectors.course_may_change(user=request.user, course=course),
    }
    return render(request, "support/course_detail.html", context)


def _course_for_change(request: HttpRequest, pk: int) -> Course:
    course = selectors.course_get_for_user(user=request.user, pk=pk)
    if not selectors.course_may_change(user=request.user, course=course):
        raise PermissionDenied
    return course


def course_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    require_officer(request)
    course = _course_for_change(request, pk) if pk else None
    form = forms.CourseForm(request.POST or None, instance=course, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            course = services.course_save(by=request.user, course=course, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("The course was saved."))
            return redirect(course)
    title = course.title if course else _("Add a training course")
    return form_page(
        request, form, title, course.get_absolute_url() if course else "support:course_list"
    )


def participant_edit(request: HttpRequest, course_pk: int, pk: int | None = None) -> HttpResponse:
    course = _course_for_change(request, course_pk)
    participant = (
        selectors.participant_get_for_user(user=request.user, course=course, pk=pk) if pk else None
    )
    form = forms.ParticipantForm(request.POST or None, instance=participant, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.participant_save(
                by=request.user, participant=participant, course=course, **form.service_kwargs()
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("The participant was saved."))
            return redirect(course)
    title = _("Participant of %(course)s") % {"course": course.title}
    return form_page(request, form, title, course.get_absolute_url())


def participant_delete(request: HttpRequest, course_pk: int, pk: int) -> HttpResponse:
    course = _course_for_change(request, course_pk)
    participant = selectors.participant_get_for_user(user=request.user, course=course, pk=pk)
    if request.method == "POST":
        services.participant_delete(participant=participant, by=request.user)
        messages.success(request, _("The participant was removed."))
        return redirect(course)
    context = {"object": participant, "back_url": course.get_absolute_url()}
    return render(request, "support/confirm_delete.html", context)


def trained(request: HttpRequest) -> HttpResponse:
    """Counts of people trained per year, topic or area."""
    form = forms.TrainedForm(request.GET or None, user=request.user)
    filters = cleaned_filters(form)
    by = filters.pop("by", None) or "year"
    rows = selectors.trained_counts(user=request.user, by=by, filters=filters)
    context = {"form": form, "rows": rows, "by": by, "total": sum(r.total for r in rows)}
    return render(request, partial_template(request, "support/trained.html", "results"), context)
