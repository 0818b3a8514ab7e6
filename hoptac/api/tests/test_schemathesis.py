"""The whole OpenAPI schema, property-based (schemathesis), against a live server on
127.0.0.1 (pytest-django's LiveServer, as the browser tests): for an administrator's token,
a provincial officer's token and no token, every operation answers without a server error
and within its schema (status, media type, body). Bounded to stay under a minute."""

from __future__ import annotations

from datetime import timedelta

import pytest
import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

MAX_EXAMPLES = 4  # per operation (13 operations × 3 callers): under a minute on the 2-core machine
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def _world():
    """An administrator, a provincial officer of Bắc Kạn and two HTX (one in his province),
    committed for the live server, with a read-write token each."""
    from django.utils import timezone

    from hoptac.accounts.models import User
    from hoptac.api import rules
    from hoptac.api.models import ApiToken
    from hoptac.areas.models import AdminUnit
    from hoptac.registry.tests.factories import CooperativeFactory, legacy_unit

    admin = User.objects.create(username="st.admin", role="admin", is_superuser=True)
    officer = User.objects.create(
        username="st.tinh",
        role="province_officer",
        area=AdminUnit.objects.get(era="legacy", code="06"),
    )
    inside = CooperativeFactory(name="HTX Schemathesis", tax_code="4790000001")
    outside = CooperativeFactory(
        name="HTX Ngoài", tax_code="4790000002", commune_legacy=legacy_unit("00001")
    )
    tokens = {}
    for user in (admin, officer):  # the model directly: no audit entry (append-only) to leave
        made = rules.token_new()
        ApiToken.objects.create(
            name="schemathesis",
            user=user,
            scope="read-write",
            lookup=made.lookup,
            digest=made.digest,
            expires_at=timezone.now() + timedelta(days=1),
        )
        tokens[user.username] = made.text
    return admin, officer, inside, outside, tokens


@pytest.mark.browser  # a live server, like the browser tests (no Chromium)
def test_the_whole_schema_holds_for_admin_officer_and_anonymous(
    site_url, django_db_blocker, settings
):
    settings.HOPTAC_API_RATE = "100000/m"
    settings.HOPTAC_API_PUBLIC_RATE = "100000/m"
    from hoptac.registry.models import Cooperative

    with django_db_blocker.unblock():
        before = set(Cooperative.objects.values_list("pk", flat=True))
        admin, officer, _inside, _outside, tokens = _world()
    callers = {
        "admin": {"Authorization": f"Bearer {tokens['st.admin']}"},
        "officer": {"Authorization": f"Bearer {tokens['st.tinh']}"},
        "anonymous": {},
    }
    try:
        schema = schemathesis.openapi.from_url(f"{site_url}/api/v1/openapi.json")
        operations = [result.ok() for result in schema.get_all_operations()]
        assert len(operations) >= 10
        for operation in operations:

            @hypothesis_settings(
                max_examples=MAX_EXAMPLES,
                deadline=None,
                derandomize=True,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy())
            def run(case):
                for headers in callers.values():
                    case.call_and_validate(base_url=site_url, headers=headers, checks=CHECKS)

            run()
    finally:
        with django_db_blocker.unblock():
            made = Cooperative.objects.exclude(pk__in=before)
            Cooperative.history.filter(id__in=made.values("pk")).delete()
            for cooperative in made:
                cooperative.status_changes.all().delete()
                cooperative.delete()
            admin.delete()
            officer.delete()
