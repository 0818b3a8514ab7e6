"""The site's URLs with bare 403 and 404 pages, for the authorisation matrix
(tests/test_authorisation_matrix.py): it reads the status of thousands of refusals, and
rendering the site's error pages for each would only cost time (they are tested elsewhere)."""

from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, HttpResponseNotFound

from config.urls import urlpatterns

__all__ = ["handler403", "handler404", "urlpatterns"]


def handler403(request: HttpRequest, exception: Exception) -> HttpResponse:
    return HttpResponseForbidden()


def handler404(request: HttpRequest, exception: Exception) -> HttpResponse:
    return HttpResponseNotFound()
