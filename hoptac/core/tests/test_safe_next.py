"""No open redirect (issue #12, defect 5): `core.http.safe_next` keeps a "next" address on
this site, and no code redirects to an address read from the request without it.

The second half reads every module of the project (its syntax tree) and fails on a
`redirect(...)` / `HttpResponseRedirect(...)` whose target comes from the request's data
(`request.GET`, `.POST`, `.META`, `.headers`, `.COOKIES`, `.body`), directly or through a
variable of the same function, and on any read of a "next" or a Referer outside core.http.
"""

import ast
from pathlib import Path

import pytest
from django.conf import settings
from django.test import RequestFactory

from hoptac.core.http import safe_next

# --- the helper -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/x",
        "//evil.example/x",
        "///evil.example/x",
        "/\\evil.example/x",
        "\\\\evil.example/x",
        "https:evil.example",
        "http://testserver.evil.example/",
        "javascript:alert(1)",
        " https://evil.example/",
        "",
    ],
)
def test_foreign_or_empty_next_gives_the_default(target):
    request = RequestFactory().post("/", {"next": target})
    assert safe_next(request, "/bao-cao/") == "/bao-cao/"


@pytest.mark.parametrize(
    "target", ["/bao-cao/?year=2019&show=late", "/en/htx/", "http://testserver/bao-cao/"]
)
def test_next_on_this_site_is_kept(target):
    assert safe_next(RequestFactory().post("/", {"next": target}), "/") == target


def test_next_is_read_from_the_query_string_too():
    assert safe_next(RequestFactory().get("/", {"next": "/htx/"}), "/") == "/htx/"


def test_secure_request_refuses_a_plain_http_next():
    request = RequestFactory().post("/", {"next": "http://testserver/htx/"}, secure=True)
    assert safe_next(request, "/") == "/"


def test_default_may_be_a_url_name():
    assert safe_next(RequestFactory().post("/"), "reports:desk") == "/bao-cao/"


# --- no other way to redirect to the request's data -------------------------------------------

REDIRECTS = {"redirect", "HttpResponseRedirect", "HttpResponsePermanentRedirect"}
REQUEST_DATA = {"GET", "POST", "META", "headers", "COOKIES", "body", "data", "query_params"}
# Calls whose result stays on this site whatever their arguments.
SAFE_CALLS = {"safe_next", "reverse"}
# Functions whose result is (a piece of) their text argument.
PASS_THROUGH = {"str", "unquote", "unquote_plus", "urljoin", "iri_to_uri", "format", "join"}
NEXT_KEYS = {"next", "HTTP_REFERER", "Referer", "referer"}
HELPER = Path("hoptac/core/http.py")


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _reads_request(node: ast.AST, tainted: set[str]) -> bool:
    """Does `node` give the request's data, or a variable that holds some of it? A call gives
    it when it is a method of such data (`request.GET.get(…)`, `text.strip()`) or a function
    that passes text through (`str`, `unquote`…); not an arbitrary function of it (a form
    built from `request.POST` gives validated values, a service's result is an object)."""
    if isinstance(node, ast.Call):
        if _name(node.func) in SAFE_CALLS:
            return False
        arguments = [*node.args, *node.keywords] if _name(node.func) in PASS_THROUGH else []
        return any(_reads_request(n, tainted) for n in [node.func, *arguments])
    if isinstance(node, ast.Attribute) and node.attr in REQUEST_DATA:
        base = node.value
        if isinstance(base, ast.Name) and base.id == "request":
            return True
        if isinstance(base, ast.Attribute) and base.attr == "request":
            return True
    if isinstance(node, ast.Name) and node.id in tainted:
        return True
    return any(_reads_request(child, tainted) for child in ast.iter_child_nodes(node))


def _assigned_names(node: ast.AST) -> list[str]:
    targets: list[ast.expr] = []
    if isinstance(node, ast.Assign):
        targets = node.targets
    elif isinstance(node, ast.AnnAssign | ast.AugAssign | ast.NamedExpr):
        targets = [node.target]
    return [n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)]


def _tainted(function: ast.AST) -> set[str]:
    """The names a function assigns from the request's data (to a fixed point)."""
    tainted: set[str] = set()
    while True:
        before = len(tainted)
        for node in ast.walk(function):
            value = getattr(node, "value", None)
            names = _assigned_names(node)
            if names and value is not None and _reads_request(value, tainted):
                tainted.update(names)
        if len(tainted) == before:
            return tainted


def _reads_a_next(node: ast.AST) -> bool:
    """`request.<data>.get("next")` or `request.<data>["next"]` (or a Referer)."""
    key, source = None, None
    if isinstance(node, ast.Call) and _name(node.func) == "get" and node.args:
        key, source = node.args[0], getattr(node.func, "value", None)
    elif isinstance(node, ast.Subscript):
        key, source = node.slice, node.value
    return (
        isinstance(key, ast.Constant)
        and key.value in NEXT_KEYS
        and source is not None
        and _reads_request(source, set())
    )


def offences(source: str, filename: str = "<source>") -> list[str]:
    """Where `source` redirects to the request's data, or reads a "next" itself."""
    tree = ast.parse(source, filename)
    found = []
    functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    for function in [tree, *functions]:
        tainted = _tainted(function) if function is not tree else set()
        for node in ast.walk(function):
            if (
                isinstance(node, ast.Call)
                and _name(node.func) in REDIRECTS
                and any(_reads_request(a, tainted) for a in [*node.args, *node.keywords])
            ):
                found.append(f"{filename}:{node.lineno}: redirect to the request's data")
            if function is tree and _reads_a_next(node):
                found.append(f"{filename}:{node.lineno}: reads a next/Referer (use safe_next)")
    return sorted(set(found))


def _project_modules() -> list[Path]:
    base = Path(settings.BASE_DIR)
    paths = [*base.glob("hoptac/**/*.py"), *base.glob("config/**/*.py")]
    return sorted(
        p.relative_to(base) for p in paths if "tests" not in p.parts and "migrations" not in p.parts
    )


def test_no_module_redirects_to_the_requests_data():
    base = Path(settings.BASE_DIR)
    modules = _project_modules()
    assert len(modules) > 100  # the walk really reads the project
    found = [
        offence
        for path in modules
        if path != HELPER
        for offence in offences((base / path).read_text(encoding="utf-8"), str(path))
    ]
    assert found == [], "redirect through hoptac.core.http.safe_next:\n" + "\n".join(found)


@pytest.mark.parametrize(
    "source",
    [
        # the defect as it was in reports/views.py
        'def v(request):\n    return redirect(request.POST.get("next") or "reports:desk")\n',
        'def v(request):\n    return HttpResponseRedirect(request.META["HTTP_REFERER"])\n',
        'def v(request):\n    target = request.GET.get("to", "/")\n    return redirect(target)\n',
        'def v(request):\n    t = request.GET["u"]\n    u = t.strip()\n    return redirect(u)\n',
        "class V:\n    def get(self):\n        return redirect(self.request.GET['go'])\n",
        "def v(request):\n    return redirect(f\"{request.headers.get('X-Back')}\")\n",
        'def v(request):\n    url = request.POST.get("next")\n    return redirect("/")\n',
    ],
)
def test_the_check_finds_redirects_to_the_requests_data(source):
    assert offences(source) != []


@pytest.mark.parametrize(
    "source",
    [
        'def v(request):\n    return redirect(safe_next(request, "reports:desk"))\n',
        'def v(request):\n    return redirect(reverse("x", args=[request.GET["pk"]]))\n',
        "def v(request):\n    return redirect(request.path)\n",
        'def v(request):\n    page = request.GET.get("page")\n    return redirect(plan)\n',
    ],
)
def test_the_check_lets_safe_redirects_pass(source):
    assert offences(source) == []
