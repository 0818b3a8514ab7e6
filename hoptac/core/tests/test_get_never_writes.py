"""A GET never writes (issue #12, defect 6: `/bao-cao/thu-nhac/<id>/<year>/?record=1` recorded
a reminder). Writes are POST only, with CSRF.

The test walks every URL pattern of the project (the Django admin's included), fills its
parameters with a row of the demo data (`manage.py demo`), and GETs it as the administrator
twice: plainly, and with query parameters that ask for writes (`?record=1&delete=1…`) and the
header of an HTMX request. Every statement the database receives is captured
(`connection.execute_wrapper`): an INSERT, UPDATE or DELETE (or any statement that changes the
schema) fails the test, naming the URL, unless it goes to a table listed in GET_MAY_WRITE.
Row counts of every table are compared before and after the walk as well, for writes that
would not pass through Django's cursor.

A parameter is filled by URL_MODELS, PARAMETER_MODELS, VALUES, or, when none names it, by
the model the URL's name starts with (house style: `<model>_<action>`, e.g.
`support:course_detail` → Course); a URL this cannot fill fails the test until it is added
to one of those tables, and so does a URL the administrator cannot reach (404) unless
NOT_REACHED says why.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from io import StringIO
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection, models
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from hoptac.indicators.selectors import definitions as indicator_definitions

pytestmark = pytest.mark.django_db

# Query parameters that a careless view might take as an order to write.
WRITE_WORDS = (
    "record", "confirm", "delete", "approve", "save", "submit", "send", "publish", "commit",
    "import", "apply", "remove", "reset", "unlock", "yes", "force", "do", "propose", "close",
    "run", "refresh", "rebuild", "mark", "read", "accept",
)  # fmt: skip
WRITE_PARAMS = dict.fromkeys(WRITE_WORDS, "1") | {"action": "delete", "status": "approved"}

# Tables a GET may write, and why.
GET_MAY_WRITE = {
    # Visitor statistics (Thống kê truy cập): hoptac.portal.middleware counts page views as
    # responses leave, on GET by design.
    "portal_visitday": "visitor statistics",
    "portal_visitor": "visitor statistics",
    # The session and the time of the last sign-in (Django's own bookkeeping).
    "django_session": "session",
    # Issue #12, audit log: every export or download of personal data is recorded (who, when,
    # which filter, how many rows), also when it is a GET. Append-only.
    "accounts_auditentry": "audit log of exports and downloads",
    # The REST API's rate limits (hoptac.api.throttling) count every call, GET included, in the
    # `ratelimit` cache (this table when there is no Redis).
    "hoptac_ratelimit_cache": "the API's rate-limit counters",
    # The fragment cache's versions (hoptac.core.fragments): the first read of an area's
    # dashboard or rating summary creates its namespace's row; cache bookkeeping, never data.
    "core_cacheversion": "fragment cache versions",
}
# UPDATE of these columns only (Django's last_login on sign-in).
GET_MAY_UPDATE_COLUMNS = {"accounts_user": {"last_login"}}

# The model of the `pk` (or `object_id`) of URLs whose name does not start with it.
URL_MODELS = {
    "support:participant_import": "support.Course",
    "support:participant_export": "support.Course",
    "support:note_add": "support.RemediationCase",
    "support:action_create": "support.RemediationCase",
    "support:action_edit": "support.RemediationCase",
    "reports:national_forms_xlsx": "reports.AnnualReport",
    "reports:national_forms_docx": "reports.AnnualReport",
    "admin:view_on_site": "registry.Cooperative",
    "admin:auth_user_password_change": "accounts.User",
    "registry:member_create": "registry.Cooperative",  # /htx/<pk>/thanh-vien/them/
    "jobs:detail": "jobs.Job",
    "jobs:cancel": "jobs.Job",
    "jobs:retry": "jobs.Job",
    "jobs:file": "jobs.Job",
    "notifications:open": "notifications.Notification",  # a POST: GET answers 405
    "areas:letterhead_edit": "areas.AdminUnit",  # /areas/<pk>/letterhead/: a unit's
}
# The model of other parameters, by name (else `<model>_pk` names it).
PARAMETER_MODELS = {
    "area_pk": "areas.AdminUnit",
    "event_pk": "market.TradeEvent",
    "action_pk": "support.RemediationAction",
}


def _demo_province() -> Any:
    return apps.get_model("areas", "AdminUnit").objects.get(era="legacy", code="06")


def _cooperative_type() -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(apps.get_model("registry", "Cooperative")).pk


# Values of parameters that are not a row's key.
VALUES: dict[str, Callable[[], Any]] = {
    "year": lambda: 2019,  # the demo data's last complete year
    "app_label": lambda: "support",
    "content_type_id": _cooperative_type,
    "slug": lambda: apps.get_model("portal", "Article").objects.order_by("pk").first().slug,
    "code": lambda: next(iter(indicator_definitions())),
    "url": lambda: "nothing-here/",  # the admin's catch-all
    "import_id": lambda: "0123456789abcdef0123456789abcdef",  # stored uploads: none in the demo
    "form": lambda: "VII-1",  # the API's national forms
    "rest": lambda: "v1/nothing-here",  # the API's answer to any other path under /api/
}
# Rows to try first for some URLs (the first rows of the model otherwise).
CANDIDATES: dict[str, Callable[[], models.QuerySet[Any]]] = {
    "ratings:area": lambda: apps.get_model("areas", "AdminUnit").objects.filter(
        pk=_demo_province().pk
    ),
    "portal:cooperative_detail": lambda: apps.get_model("registry", "Cooperative").objects.filter(
        is_published=True
    ),
    "portal:product_detail": lambda: apps.get_model("market", "Product").objects.filter(
        cooperative__is_published=True
    ),
}
for name in ("area", "area_propose", "area_publish", "summary"):
    CANDIDATES[f"ratings:{name}"] = CANDIDATES["ratings:area"]

# URLs the administrator cannot reach with the demo data, and why (their GET is still sent).
NOT_REACHED = {
    "registry:cooperative_import_detail": "needs a stored upload",
    "registry:cooperative_import_progress": "needs a stored upload",
    "registry:cooperative_import_fix_list": "needs a stored upload",
    "reports:report_import_detail": "needs a stored upload",
    "reports:report_import_fix_list": "needs a stored upload",
    "support:grant_import_detail": "needs a stored upload",
    "support:grant_import_fix_list": "needs a stored upload",
    "support:participant_import_detail": "needs a stored upload",
    "support:participant_import_fix_list": "needs a stored upload",
    "market:product_import_detail": "needs a stored upload",
    "market:product_import_fix_list": "needs a stored upload",
    "market:product_photo": "the demo products have no photo",
    "support:attachment_download": "the demo support has no attached file",
    "plans:plan_document": "the demo plans have no document",
    "admin:admin/(?P<url>.*)$": "the admin's catch-all answers 404 by design",
    "api_not_found": "the API's answer to any other path is a 404 problem by design",
}
# Query parameters some URLs need to show anything (added to both GETs).
QUERIES = {
    "areas:picker": {"name": "area", "id": "id_area"},
    "areas:picker_search": {"name": "area", "id": "id_area", "q": "bac"},
}
TRIES = 5  # rows of a model tried before a URL counts as unreachable


@dataclass
class Route:
    name: str  # "<namespace>:<name>", or "<namespace>:<route>" for an unnamed pattern
    pattern: URLPattern
    parameters: list[str]
    route: str  # the whole route, from the site's root (path syntax, or regex parts)

    @property
    def named(self) -> bool:
        return bool(self.pattern.name)

    @property
    def positional(self) -> bool:
        regex = self.pattern.pattern.regex
        return regex.groups > len(regex.groupindex)

    def url(self, kwargs: dict[str, Any]) -> str:
        if self.named and self.positional:
            return reverse(self.name, args=[kwargs[p] for p in self.parameters])
        if self.named:
            return reverse(self.name, kwargs=kwargs)
        url = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(kwargs[m.group(1)]), self.route)
        url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(kwargs[m.group(1)]), url)
        return "/" + url.replace("^", "").replace("$", "")


@dataclass
class Outcome:
    url: str
    statuses: list[int] = field(default_factory=list)
    writes: list[str] = field(default_factory=list)


def _routes(patterns: list[Any], namespace: str = "", prefix: str = "") -> Iterator[Route]:
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _routes(entry.url_patterns, inner, route)
        else:
            name = f"{namespace}{entry.name or route}"
            yield Route(name, entry, _parameters(entry.pattern), route)


def _parameters(pattern: Any) -> list[str]:
    if getattr(pattern, "converters", None):  # path()
        return list(pattern.converters)
    named = list(pattern.regex.groupindex)  # re_path()
    return named + [f"arg{n}" for n in range(len(named), pattern.regex.groups)]


def routes() -> list[Route]:
    found: dict[str, Route] = {}
    for route in _routes(get_resolver().url_patterns):
        found.setdefault(route.name, route)
    return list(found.values())


def _models() -> list[type[models.Model]]:
    return [
        m
        for m in apps.get_models()
        if not m._meta.proxy and not m._meta.model_name.startswith("historical")
    ]


def _model_named(word: str, app_label: str) -> type[models.Model] | None:
    """The model `word` names (its model_name, or its end: "company" → PartnerCompany),
    preferring the URL's own app."""
    word = word.replace("_", "")
    candidates = [m for m in _models() if m._meta.model_name == word] or [
        m for m in _models() if m._meta.model_name.endswith(word)
    ]
    own = [m for m in candidates if m._meta.app_label == app_label]
    chosen = own or candidates
    return chosen[0] if len(chosen) == 1 else None


def _model_of(route: Route, parameter: str) -> type[models.Model] | None:
    namespace, _, url_name = route.name.rpartition(":")
    app_label = namespace.split(":")[-1]
    if parameter in ("pk", "id", "object_id"):
        model_admin = getattr(route.pattern.callback, "model_admin", None)
        if model_admin is not None:
            return model_admin.model
        if route.name in URL_MODELS:
            return apps.get_model(URL_MODELS[route.name])
        admin_model = re.match(r"admin/(\w+)/(\w+)/", route.route)
        if admin_model is not None:  # the admin's unnamed redirects to a change page
            return apps.get_model(*admin_model.groups())
        words = url_name.split("_")
        for end in range(len(words) - 1, 0, -1):
            model = _model_named("_".join(words[:end]), app_label)
            if model is not None:
                return model
        return None
    if parameter in PARAMETER_MODELS:
        return apps.get_model(PARAMETER_MODELS[parameter])
    if parameter.endswith(("_pk", "_id")):
        return _model_named(parameter[:-3], app_label)
    return None


def _foreign_key_value(row: models.Model, model: type[models.Model]) -> Any:
    for model_field in row._meta.concrete_fields:
        if isinstance(model_field, models.ForeignKey) and model_field.related_model is model:
            return getattr(row, model_field.attname)
    return None


def _history_kwargs(route: Route) -> Iterator[dict[str, Any]]:
    """The admin's page of one past version (django-simple-history): an object's id and the id
    of one of its versions."""
    model = _model_of(route, "object_id")
    history = getattr(model, "history", None) if model is not None else None
    rows = history.order_by("history_id")[:TRIES] if history is not None else []
    for row in rows:
        # a version's pk is its history_id; the object's own id keeps its field's name
        yield {"arg0": getattr(row, model._meta.pk.attname), "arg1": row.history_id}


def kwargs_to_try(route: Route) -> Iterator[dict[str, Any]] | str:
    """Keyword arguments for `route`, a few rows at a time; a message when it cannot be filled."""
    if route.name.endswith("_simple_history") and route.parameters == ["arg0", "arg1"]:
        return _history_kwargs(route)
    by_model = {}
    values = {}
    for parameter in route.parameters:
        if parameter in VALUES:
            values[parameter] = VALUES[parameter]()
            continue
        model = _model_of(route, parameter)
        if model is None:
            return f"{route.name}: no value for <{parameter}> (add it to a table of this test)"
        by_model[parameter] = model
    if not by_model:
        return iter([values])

    # The row of the most dependent model decides the others (a participant, then its course).
    def dependence(parameter: str) -> int:
        row_fields = by_model[parameter]._meta.concrete_fields
        return sum(_foreign_key_value_field(row_fields, m) for m in by_model.values())

    main = max(by_model, key=dependence)
    if route.name in CANDIDATES:
        queryset = CANDIDATES[route.name]()
    else:
        queryset = by_model[main]._default_manager.all()

    def generate() -> Iterator[dict[str, Any]]:
        for row in queryset.order_by("pk")[:TRIES]:
            kwargs = dict(values, **{main: row.pk})
            for parameter, model in by_model.items():
                if parameter == main:
                    continue
                value = _foreign_key_value(row, model)
                if value is None:
                    first = model._default_manager.order_by("pk").first()
                    value = first.pk if first else 0
                kwargs[parameter] = value
            yield kwargs

    return generate()


def _foreign_key_value_field(row_fields: Any, target: type[models.Model]) -> bool:
    return any(isinstance(f, models.ForeignKey) and f.related_model is target for f in row_fields)


WRITE = re.compile(
    r"^\s*(INSERT|UPDATE|DELETE|REPLACE|MERGE|TRUNCATE|CREATE|DROP|ALTER|COPY)\b"
    r"(?:\s+OR\s+\w+)?(?:\s+INTO|\s+FROM)?\s+\"?(\w+)\"?",
    re.IGNORECASE,
)


def _forbidden_write(sql: str) -> str | None:
    """The statement, when it writes where a GET may not; None otherwise."""
    match = WRITE.match(sql)
    if match is None:
        return None
    verb, table = match.group(1).upper(), match.group(2)
    if table in GET_MAY_WRITE:
        return None
    if verb == "UPDATE" and table in GET_MAY_UPDATE_COLUMNS:
        columns = set(re.findall(r'"(\w+)"\s*=', sql.split(" WHERE ")[0]))
        if columns <= GET_MAY_UPDATE_COLUMNS[table]:
            return None
    return sql[:200]


class WriteRecorder:
    """Captures the statements that write (see _forbidden_write)."""

    def __init__(self) -> None:
        self.writes: list[str] = []

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        forbidden = _forbidden_write(sql)
        if forbidden is not None:
            self.writes.append(forbidden)
        return execute(sql, params, many, context)


def row_counts() -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if table in GET_MAY_WRITE:
                continue
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608  (table names from the database)
            counts[table] = cursor.fetchone()[0]
    return counts


def _get(client: Any, url: str, outcome: Outcome, **extra: Any) -> int:
    recorder = WriteRecorder()
    with connection.execute_wrapper(recorder):
        response = client.get(url, **extra)
    outcome.statuses.append(response.status_code)
    outcome.writes += recorder.writes
    return response.status_code


def walk(client: Any) -> tuple[dict[str, Outcome], list[str]]:
    """GET every URL (see the module doc); the outcome of each, and the URLs not filled."""
    outcomes: dict[str, Outcome] = {}
    unfilled: list[str] = []
    for route in routes():
        tries = kwargs_to_try(route)
        if isinstance(tries, str):
            unfilled.append(tries)
            continue
        outcome = None
        query = QUERIES.get(route.name, {})
        for kwargs in tries:
            outcome = Outcome(route.url(kwargs))
            if _get(client, outcome.url, outcome, data=query) != 404:
                break
        if outcome is None:  # no row at all: still GET it with a key that exists nowhere
            parameters = dict.fromkeys(route.parameters, 999_999)
            outcome = Outcome(route.url(parameters))
            _get(client, outcome.url, outcome, data=query)
        data = WRITE_PARAMS | query
        _get(client, outcome.url, outcome, data=data, HTTP_HX_REQUEST="true")
        outcomes[route.name] = outcome
    return outcomes, unfilled


def _rows_the_demo_lacks() -> None:
    """A budget, a citizen's message and a background job, so that their pages (edit, delete,
    moderation, progress) are walked too."""
    from hoptac.portal.models import Message
    from hoptac.support.models import Policy, PolicyBudget

    PolicyBudget.objects.create(
        policy=Policy.objects.order_by("pk").first(),
        year=2019,
        area=_demo_province(),
        source=PolicyBudget._meta.get_field("source").choices[0][0],
        amount=1_000_000,
    )
    Message.objects.create(name="Dân", contact="dan@example.vn", subject="Hỏi", content="?")
    from hoptac.jobs.models import Job

    Job.objects.create(  # a background export that failed: its pages to walk
        kind="registry.export", title="Xuất", owner=None, state="failed", error="Lỗi"
    )


@pytest.fixture
def admin_client(client, admin, settings):
    # The administrator walks the pages themselves, not the second step of sign-in.
    settings.HOPTAC_REQUIRE_2FA = "none"
    client.force_login(admin)
    client.raise_request_exception = False
    return client


@pytest.fixture
def demo_admin(admin_client):
    call_command("demo", stdout=StringIO())
    _rows_the_demo_lacks()
    return admin_client


def test_no_get_writes_to_the_database(demo_admin):
    before = row_counts()
    outcomes, unfilled = walk(demo_admin)
    after = row_counts()

    writes = [f"{name} {o.url}: {w}" for name, o in outcomes.items() for w in o.writes]
    assert writes == [], "a GET wrote to the database:\n" + "\n".join(writes)
    changed = {t: (before[t], after.get(t)) for t in before if before[t] != after.get(t)}
    assert changed == {}
    assert unfilled == [], "\n".join(unfilled)
    unreachable = sorted(
        f"{name} {o.url}"
        for name, o in outcomes.items()
        if 404 in o.statuses[:-1] and set(o.statuses[:-1]) == {404} and name not in NOT_REACHED
    )
    assert unreachable == [], "the administrator cannot reach these (fill them better):\n" + (
        "\n".join(unreachable)
    )
    errors = sorted(f"{name} {o.url} {o.statuses}" for name, o in outcomes.items()
                    if any(s >= 500 for s in o.statuses))  # fmt: skip
    assert errors == [], "\n".join(errors)
    # The walk reached the project: most pages answered the administrator with 200 (the rest
    # are POST-only views, 405, redirects, and the admin's pages of missing rows).
    answered = sum(1 for o in outcomes.values() if 200 in o.statuses)
    assert len(outcomes) >= 250
    assert answered >= 0.7 * len(outcomes), f"only {answered} of {len(outcomes)} answered 200"


def test_the_walk_sees_a_get_that_writes(admin_client, settings):
    """The walk catches the defect it guards against: a view that records on GET."""
    from django.http import HttpResponse
    from django.urls import path

    from hoptac.registry.tests.factories import CooperativeFactory
    from hoptac.reports.models import ReportReminder

    cooperative = CooperativeFactory()

    def writes_on_get(request: Any) -> HttpResponse:
        if request.GET.get("record"):
            ReportReminder.objects.create(cooperative=cooperative, year=2019, channel="letter")
        return HttpResponse("ok")

    urlconf = type("urlconf", (), {"urlpatterns": [path("x/", writes_on_get, name="x")]})
    settings.ROOT_URLCONF = urlconf
    outcomes, unfilled = walk(admin_client)
    assert unfilled == []
    assert outcomes["x"].statuses == [200, 200]
    assert len(outcomes["x"].writes) == 1
    assert "reports_reportreminder" in outcomes["x"].writes[0]


@pytest.mark.parametrize(
    ("sql", "forbidden"),
    [
        ('INSERT INTO "reports_reportreminder" ("year") VALUES (%s)', True),
        ('UPDATE "accounts_user" SET "role" = %s WHERE "id" = %s', True),
        ('UPDATE "accounts_user" SET "last_login" = %s WHERE "id" = %s', False),
        ('DELETE FROM "market_product" WHERE "id" = %s', True),
        ('INSERT OR REPLACE INTO "registry_cooperative" VALUES (%s)', True),
        ('INSERT OR REPLACE INTO "core_cacheversion" VALUES (%s)', False),
        ('INSERT INTO "portal_visitday" ("day") VALUES (%s)', False),
        ('SELECT "id" FROM "reports_reportreminder" WHERE "channel" = \'UPDATE x\'', False),
    ],
)
def test_statements_that_write(sql, forbidden):
    assert (_forbidden_write(sql) is not None) is forbidden
