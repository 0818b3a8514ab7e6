"""Fuzz test of issue #12 (robust input everywhere): malformed values in every GET parameter a
view reads, and in every segment of its path, never give a server error (5xx), whoever asks.

How it covers every view by construction:
- It walks the URL resolver (Django's own admin left out), so a new URL is fuzzed as soon as
  it exists.
- A valid URL of each route comes from crawling the pages of a small data set
  (tests/input/sample.py) as the administrator, then as the provincial officer for the routes
  still unseen: every link, form action, HTMX URL and redirect found is resolved. A route none
  of them reaches takes the values of a route whose path starts its own (`bao-cao/<id:pk>/`
  gives `bao-cao/<id:pk>/nop/` its report). A route that takes an object and is reached
  neither way fails the test until it is listed in NO_SAMPLE or SAME_OBJECT_AS.
- The GET parameters of a view are read from its source and the source of the helpers of its
  module that it calls: `request.GET.get("…")`, `request.GET["…"]`, `core.params.query_*(
  request, "…")`, the fields of the forms it fills from `request.GET`, the keys a function
  given the whole query reads; each with a kind (date, number, text) from the form field or
  the name. A fixed list of common names is added.

Then, as each role (administrator, provincial officer, commune officer, anonymous), for each
route whose plain GET answers 200 to that role:
- each parameter the view reads takes two malformed values of its kind (the roles take
  different ones, so that every value of the kind is sent): far and impossible dates for a
  date; zero, negative, 25-digit and non-finite numbers for a number; NUL, very long strings,
  unicode, SQL and HTML payloads and foreign URLs for text;
- hypothesis draws EXAMPLES_PER_ROUTE query strings that set several of the view's and the
  common parameters at once to malformed values or random text (derandomised: every run sends
  the same requests);
and for every route, each parameter of its path takes malformed segments (0, -1, 25 digits,
2019-02-30, NUL, long, unicode, SQL, HTML, years out of range): the segments its converter
lets through to the view with GET and POST, and one the resolver turns away.

Each request runs in a savepoint rolled back at once, so the data stays as built and a failed
query on PostgreSQL does not poison the next one. The test prints how many requests it sent.
"""

from __future__ import annotations

import inspect
import re
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html import unescape
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from django import forms
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.input.sample import build_sample

pytestmark = pytest.mark.django_db

ROLES = ("admin", "province_officer", "commune_officer", "anonymous")
COMMON_PARAMS = (
    "date", "year", "area", "page", "q", "sort", "status", "sector", "format", "next", "cursor",
    "fields",
)  # fmt: skip
# Malformed values by kind; each kind has eight, two for each role.
BAD = {
    "date": (
        "0001-01-01",
        "9999-12-31",
        "2019-02-30",
        "2019-13-01",
        "1899-12-31",
        "2101-01-01",
        "2019-1-1",
        "２０１９-01-01",
    ),
    "number": ("0", "-1", "1" * 25, "9223372036854775808", "1e309", "NaN", "0x10", "١٢"),
    "numbers": (  # a list of numbers, such as a map's box "south,west,north,east"
        "nan,nan,nan,nan",
        "inf,0,1,1",
        "1e309,0,0,0",
        "-91,-181,91,181",
        "0,0",
        "1,2,3,4,5",
        "x,y,z,w",
        "1,,2,3",
    ),
    "text": (
        "\x00",
        "a\x00b",
        "x" * 5000,
        "Hợp tác xã ✓ 𝕳",
        "' OR '1'='1' --",
        "<script>alert(1)</script>",
        "//evil.example/",
        "[]",
    ),
}
BAD_SEGMENTS = (
    "0",
    "-1",
    "1" * 25,
    "9223372036854775808",
    "2019-02-30",
    "%00",
    "x" * 300,
    "H%E1%BB%A3p-t%C3%A1c",
    "%27%20OR%201%3D1--",
    "%3Cscript%3E",
    "1899",
    "2101",
    "9999",
)
EXAMPLES_PER_ROUTE = 1  # query strings drawn by hypothesis, per route and role
VISITS_PER_ROUTE = 10  # URLs of one route the crawl opens (a page's tabs)
# Routes that take an object no page of the sample links to; their path segments are still
# fuzzed, with a made-up value for the other segments.
API = "the REST API: schemathesis sends every operation malformed input (hoptac/api/tests)"
JOB = "a background job's id (none in the sample data; the matrix and hoptac/jobs/tests)"
NO_SAMPLE = {
    "registry:cooperative_import_detail": "an import run's id (a stored job)",
    "registry:cooperative_import_progress": "an import run's id (a stored job)",
    "registry:cooperative_import_fix_list": "an import run's id (a stored job)",
    "reports:report_import_detail": "an import run's id (a stored job)",
    "reports:report_import_fix_list": "an import run's id (a stored job)",
    "support:grant_import_detail": "an import run's id (a stored job)",
    "support:grant_import_fix_list": "an import run's id (a stored job)",
    "support:participant_import_detail": "an import run's id (a stored job)",
    "support:participant_import_fix_list": "an import run's id (a stored job)",
    "market:product_import_detail": "an import run's id (a stored job)",
    "market:product_import_fix_list": "an import run's id (a stored job)",
    "notifications:open": "a POST only (opening marks it read); its GET answers 405",
    "api-v1:area_detail": API,
    "api-v1:cooperative_detail": API,
    "api-v1:cooperative_history": API,
    "api-v1:cooperative_members": API,
    "api-v1:cooperative_status": API,
    "api-v1:cooperative_update": API,
    "api-v1:job_detail": API,
    "api-v1:national_forms": API,
    "api-v1:plan_detail": API,
    "api-v1:product_detail": API,
    "api-v1:rating_detail": API,
    "api-v1:report_approve": API,
    "api-v1:report_detail": API,
    "api-v1:report_return": API,
    "api-v1:report_submit": API,
    "api-v1:report_update": API,
    "api_not_found": API,
    "api:token_revoke": "an API token's id (none in the sample data; its page is in the matrix)",
    "jobs:detail": JOB,
    "jobs:cancel": JOB,
    "jobs:retry": JOB,
    "jobs:file": JOB,
    "registry:member_edit": "a member's id (the sample HTX has none; the matrix posts to it)",
}
# Routes whose object no link names and whose path does not start with another route's: the
# route whose values they take.
SAME_OBJECT_AS = {"accounts:user_two_factor_reset": "accounts:user_detail"}

_PARAM = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
_READ = re.compile(
    r"""(?:request\.GET(?:\.get|\.getlist)?\(\s*|request\.GET\[\s*|query_\w+\(\s*request\s*,\s*)"""
    r"""["']([A-Za-z_]\w*)["']"""
)
_FORM_OF_QUERY = re.compile(r"\b([\w.]*Form)\(\s*(?:request\.GET|data)\b")
_WHOLE_QUERY = re.compile(r"\b([\w.]+)\(\s*request\.GET\.(?:dict|copy)\(\)")
_KEY = re.compile(r"""\.get\(\s*["']([A-Za-z_]\w*)["']|\bfor \w+ in \(([^)]*)\)""")
_CALL = re.compile(r"\b(_?[a-z]\w*)\(")
_LINK = re.compile(r"""(?:href|action|hx-get|hx-post|src)\s*=\s*["']([/?][^"'#]*)""")


@dataclass(frozen=True)
class Route:
    name: str
    pattern: str  # e.g. "bao-cao/htx/<id:cooperative_pk>/<year:year>/"
    callback: Callable[..., Any]

    @property
    def params(self) -> list[str]:
        return [m["name"] for m in _PARAM.finditer(self.pattern)]

    def path(self, values: dict[str, str]) -> str:
        return "/" + _PARAM.sub(lambda m: values[m["name"]], self.pattern)


def all_routes(resolver: URLResolver | None = None, prefix: str = "", ns: str = "") -> list[Route]:
    """Every URL pattern of the site but Django's admin, with its full pattern."""
    routes = []
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # Django's own admin
            namespace = f"{ns}{pattern.namespace}:" if pattern.namespace else ns
            routes += all_routes(pattern, prefix + str(pattern.pattern), namespace)
        elif isinstance(pattern, URLPattern):
            name = f"{ns}{pattern.name}" if pattern.name else prefix + str(pattern.pattern)
            routes.append(Route(name, prefix + str(pattern.pattern), pattern.callback))
    return routes


# --- which GET parameters a view reads -----------------------------------------------------


def _kind_of_name(name: str) -> str:
    if name in ("bbox", "levels"):
        return "numbers"
    if name in ("date", "on") or name.endswith(("_on", "_date")) or name.startswith("date_"):
        return "date"
    if "year" in name or name in ("page", "pick", "area", "id") or name.endswith(("_pk", "_id")):
        return "number"
    return "text"


def _kind_of_field(field_: forms.Field) -> str:
    if isinstance(field_, forms.DateField):
        return "date"
    if isinstance(field_, forms.IntegerField | forms.ModelChoiceField) or (
        isinstance(field_, forms.TypedChoiceField) and field_.coerce is int
    ):
        return "number"
    return "text"


def _lookup(dotted: str, namespace: dict[str, Any]) -> Any:
    head, *rest = dotted.split(".")
    value = namespace.get(head)
    for part in rest:
        value = getattr(value, part, None)
    return value


def _view_sources(callback: Callable[..., Any]) -> tuple[list[str], dict[str, Any]]:
    """The source of the view and of the functions of its module that it calls (at any
    depth), and the module's namespace."""
    view = getattr(callback, "view_class", None) or inspect.unwrap(callback)
    namespace = vars(sys.modules[view.__module__])
    sources, todo, seen = [], [view], {view}
    while todo:
        try:
            source = inspect.getsource(todo.pop())
        except (OSError, TypeError):
            continue
        sources.append(source)
        for name in _CALL.findall(source):
            helper = namespace.get(name)
            if (
                inspect.isfunction(helper)
                and helper.__module__ == view.__module__
                and helper not in seen
            ):
                seen.add(helper)
                todo.append(helper)
    return sources, namespace


def query_params(callback: Callable[..., Any]) -> dict[str, str]:
    """{name: kind} of the GET parameters the view reads."""
    found: dict[str, str] = {}
    sources, namespace = _view_sources(callback)
    for source in sources:
        for name in _READ.findall(source):
            found.setdefault(name, _kind_of_name(name))
        for dotted in _FORM_OF_QUERY.findall(source):
            form = _lookup(dotted, namespace)
            if isinstance(form, type) and issubclass(form, forms.BaseForm):
                for name, field_ in form.base_fields.items():
                    found.setdefault(name, _kind_of_field(field_))
        for dotted in _WHOLE_QUERY.findall(source):  # e.g. PickerConfig.from_params(...)
            reader = _lookup(dotted, namespace)
            try:
                text = inspect.getsource(reader)
            except (OSError, TypeError):
                continue
            for key, keys in _KEY.findall(text):
                for name in [key, *re.findall(r"""["'](\w+)["']""", keys)]:
                    if name:
                        found.setdefault(name, _kind_of_name(name))
    return found


# --- a valid URL of each route, from a crawl of the sample's pages ---------------------------


def _links(response: Any) -> Iterator[str]:
    """The site's URLs a response links to (path and query), and where it redirects."""
    if response.status_code in (301, 302, 303) and response["Location"].startswith("/"):
        yield response["Location"]
    if response.get("Content-Type", "").split(";")[0] != "text/html":
        return
    here = response.request["PATH_INFO"]
    for match in _LINK.finditer(response.content.decode(errors="replace")):
        link = unescape(match.group(1))
        yield here + link if link.startswith("?") else link  # "?tab=…": this page's tab


def crawl(
    client: Client, routes: list[Route], counter: Counter, found: dict[str, dict[str, str]]
) -> None:
    """Add to `found` {route name: path values} for each route the pages link to, starting
    from the routes without parameters and opening at most VISITS_PER_ROUTE URLs of a route
    (so that a page's tabs `?tab=…` are seen); a route already in `found` is not opened."""
    names = {route.name for route in routes}
    known = set(found)
    visits: dict[str, int] = {}
    queue = [route.path({}) for route in routes if not route.params]
    seen: set[str] = set(queue)
    while queue:
        response = counter.send(client, "get", queue.pop(0))
        for link in _links(response) if response is not None else ():
            try:
                match = resolve(urlsplit(link).path)
            except Resolver404:
                continue
            name = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
            if name not in names or name in known or link in seen:
                continue
            if match.kwargs:
                found.setdefault(name, {key: str(value) for key, value in match.kwargs.items()})
            if visits.get(name, 0) < VISITS_PER_ROUTE:
                visits[name] = visits.get(name, 0) + 1
                seen.add(link)
                queue.append(link)


def borrow_samples(routes: list[Route], found: dict[str, dict[str, str]]) -> None:
    """Routes no page links to take the values of SAME_OBJECT_AS, or of the longest route
    whose pattern starts theirs."""
    for name, other in SAME_OBJECT_AS.items():
        if other in found:
            found.setdefault(name, found[other])
    for route in routes:
        if not route.params or route.name in found:
            continue
        for other in sorted(routes, key=lambda r: -len(r.pattern)):
            donor = found.get(other.name)
            if (
                donor
                and route.pattern.startswith(other.pattern.rstrip("/"))
                and set(route.params) <= set(donor)
            ):
                found[route.name] = {p: donor[p] for p in route.params}
                break


# --- sending requests -----------------------------------------------------------------------


@dataclass
class Counter:
    sent: int = 0
    failures: list[str] = field(default_factory=list)

    def send(self, client: Client, method: str, path: str, data: Any = None) -> Any:
        """The response, or None after recording a server error (the request's writes are
        rolled back either way)."""
        self.sent += 1
        try:
            with transaction.atomic():
                response = getattr(client, method)(path, data or {})
                transaction.set_rollback(True)
        except Exception as error:  # any exception is the finding
            self.failures.append(f"{method.upper()} {path[:120]} {data!r:.200}: {error!r:.300}")
            return None
        if response.status_code >= 500:
            self.failures.append(f"{method.upper()} {path[:120]} {data!r:.200}: {response}")
            return None
        return response


def _any_bad_value() -> st.SearchStrategy[str]:
    every = [value for values in BAD.values() for value in values]
    return st.one_of(
        st.sampled_from(every),
        st.text(max_size=40),
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
    )


def fuzz_query(
    client: Client, path: str, reads: dict[str, str], counter: Counter, turn: int
) -> None:
    """Each parameter the view reads with two malformed values of its kind (which two
    depends on `turn`, the role), then EXAMPLES_PER_ROUTE query strings drawn by hypothesis."""
    for name, kind in reads.items():
        for value in BAD[kind][2 * turn : 2 * turn + 2]:
            counter.send(client, "get", path, {name: value})
    names = sorted({*reads, *COMMON_PARAMS})

    @settings(
        max_examples=EXAMPLES_PER_ROUTE,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(st.dictionaries(st.sampled_from(names), _any_bad_value(), min_size=1, max_size=6))
    def run(query: dict[str, str]) -> None:
        counter.send(client, "get", path, query)

    run()


def _reaches_a_view(path: str) -> bool:
    try:
        resolve(unquote(path))
    except Resolver404:
        return False
    return True


def fuzz_path(
    client: Client, route: Route, sample: dict[str, str], counter: Counter, turn: int
) -> None:
    """The malformed segments that the converter of a path parameter lets through to the view,
    with GET and POST, shared among the roles by `turn`; and one it turns away (404 before any
    view runs), GET or POST in turn."""
    for name in route.params:
        paths = [route.path({**sample, name: segment}) for segment in BAD_SEGMENTS]
        reaching = [path for path in paths if _reaches_a_view(path)]
        turned_away = [path for path in paths if path not in reaching]
        for path in reaching[turn % len(ROLES) :: len(ROLES)]:
            counter.send(client, "get", path)
            counter.send(client, "post", path)
        if turned_away:
            spin = turn + len(route.pattern)  # a different one for each role and route
            method = "post" if spin % 2 else "get"
            counter.send(client, method, turned_away[spin % len(turned_away)])


# --- the tests ------------------------------------------------------------------------------


def test_every_id_and_year_of_a_path_goes_through_core_params():
    """<int:…> would let a 25-digit id or year 0 through to the view."""
    plain = [r.name for r in all_routes() if re.search(r"<int:", r.pattern)]
    assert not plain, f"use <id:…> or <year:…> (hoptac.core.params): {plain}"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def clients(admin, province_officer, commune_officer) -> dict[str, Client]:
    result = {"anonymous": Client()}
    for role, user in (
        ("admin", admin),
        ("province_officer", province_officer),
        ("commune_officer", commune_officer),
    ):
        result[role] = Client()
        result[role].force_login(user)
    return result


def test_no_malformed_input_gives_a_server_error(clients, admin, make_user, media):
    started, cpu = time.monotonic(), time.process_time()
    build_sample(admin=admin, manager=make_user("htx.fuzz", "coop_manager"))
    routes = all_routes()
    counter = Counter()
    samples: dict[str, dict[str, str]] = {}
    crawl(clients["admin"], routes, counter, samples)
    crawl(clients["province_officer"], routes, counter, samples)  # his ratings open his area
    borrow_samples(routes, samples)
    crawled, queries = counter.sent, 0
    missing = [
        r.name for r in routes if r.params and r.name not in samples and r.name not in NO_SAMPLE
    ]
    for role_index, role in enumerate(ROLES):
        client = clients[role]
        for route in routes:
            sample = samples.get(route.name) or dict.fromkeys(route.params, "1")
            path = route.path(sample)
            before = counter.sent
            probe = counter.send(client, "get", path)
            if probe is not None and probe.status_code == 200:
                fuzz_query(client, path, query_params(route.callback), counter, role_index)
            queries += counter.sent - before
            fuzz_path(client, route, sample, counter, role_index)
    paths = counter.sent - crawled - queries
    print(
        f"\nfuzz: {counter.sent} requests ({crawled} to crawl, {queries} with malformed query "
        f"strings, {paths} with malformed paths) on {len(routes)} routes as {len(ROLES)} roles "
        f"in {time.monotonic() - started:.0f} s ({time.process_time() - cpu:.0f} s of CPU); "
        f"{len(counter.failures)} server errors"
    )
    problems = [f"server error: {failure}" for failure in counter.failures[:60]]
    problems += [
        f"no page links to {name}: add a sample or list it in NO_SAMPLE" for name in missing
    ]
    assert not problems, "\n".join(problems)
