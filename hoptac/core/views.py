"""/healthz and /readyz: JSON for load balancers and orchestrators (hoptac.core.health).

No sign-in, no session, no CSRF, no language prefix, never cached; a JSON response is not a
page view, so the portal's visitor statistics do not count it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from hoptac.core import health


@login_not_required
@csrf_exempt
@require_safe
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers. Touches neither the database nor the cache."""
    return JsonResponse({"status": "ok"})


@login_not_required
@csrf_exempt
@require_safe
@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: 200 when every check passes, else 503 naming the failing checks."""
    ready, body = health.readiness()
    return JsonResponse(body, status=200 if ready else 503)
