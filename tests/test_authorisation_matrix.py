"""The authorisation matrix: every URL of the site, by construction (NetBox's ViewTestCases).

How it works:
- `URLS` classifies every named URL the resolver knows (walked recursively, the language
  prefixes included); a URL it does not know fails `test_every_url_is_classified` until it is
  classified here. The admin site (`admin:*`) is one group: staff only.
- For a URL that takes an object, every role (tests/authorisation_world.ROLES: the
  administrator, provincial officers of both trees, the district officer of the old tree,
  commune officers of both trees, an HTX manager, anonymous) asks for an object in its scope
  ("in") and one just outside it ("out"), with GET and with POST (the form a browser would
  send, read from the page, plus the values a valid submission needs). Nested URLs also try a
  container in scope holding a child outside it ("mixed"); forms that place what they create
  also try placing it outside the user's area ("body-out").
- Out of scope answers 404 (anonymous: the sign-in page) and the database does not change
  (INSERT / UPDATE / DELETE seen by `connection.execute_wrapper`, bookkeeping tables aside);
  in scope answers neither 404 nor 5xx; a GET never writes; no redirect leaves the site.
- Lists and exports are read row by row (`LISTS`): every name they show must be in the
  user's scope as worked out from the fixture data's places, and every name of the list's kind
  in scope must be there.

The data (one world, built once for the module): tests/authorisation_world.py.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from django.conf import settings
from django.core.signals import got_request_exception
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from tests.authorisation_world import (
    IN_WORLD,
    NOT_ADMIN,
    OFFICERS,
    ROLES,
    SIGNED_IN,
    World,
    build_world,
    form_values,
    response_rows,
    session_cookies,
)

EVIL = "https://evil.example/x"
LOGIN_PATH = "/accounts/login/"

# Tables that change on any request by design, never as the effect of a user's action on data.
IGNORED_TABLES: Mapping[str, str] = {
    "django_session": "the session of the test client (messages, CSRF, sign-in bookkeeping)",
    "axes_accessattempt": "django-axes counts sign-in attempts",
    "axes_accesslog": "django-axes logs sign-ins",
    "axes_accessfailurelog": "django-axes logs failed sign-ins",
    "portal_visitday": "the portal's visit counter counts every public page view",
    "portal_visitor": "the portal's visit counter counts every public page view",
    "hoptac_ratelimit_cache": "the rate limits of the citizens' forms count in this table",
    "core_cacheversion": "the fragment cache's versions, bumped by writes elsewhere",
    "accounts_auditentry": "the audit log records reads of personal data (Decree 13/2023)",
}

# Known defects being fixed elsewhere are marked in the tables (Spec.xfail, Rows.xfail) with
# pytest.mark.xfail(strict=True), so that the fix makes them fail here until the mark goes.
# None is pending: the course participants' leak, the participant form's units and the
# partner companies (#12 defects 2, 3) and the reminders' open redirect and GET that wrote
# (#12 defects 5, 6) were fixed while the matrix was written; their cases are plain checks.
# With those fixes reverted the matrix fails: 45 cases for the participants (mixed, body-out,
# rows), 12 for the open redirect, 6 for the GET that wrote.


# --- where each role stands -------------------------------------------------------------------


def side(role: str, scope: str) -> str:
    """The HTX world of the object a role asks for: its own ("in"), or just outside."""
    return IN_WORLD if scope in ("in", "body-out") else ROLES[role].out or IN_WORLD


def outside_if(role: str, scope: str) -> str:
    """The world a form's body names: the role's own, or ("body-out") the one outside."""
    return side(role, "out" if scope == "body-out" else "in")


def htx(kind: str = "htx", arg: str = "pk", **extra: Any) -> Callable[..., dict[str, Any]]:
    """An object of the HTX of the role's side (kind "htx": the HTX itself)."""

    def build(w: World, role: str, scope: str) -> dict[str, Any]:
        name = side(role, scope)
        obj = w.htx[name] if kind == "htx" else w.get(kind, name)
        return {arg: obj.pk, **extra}

    return build


def nested(
    container: str, container_arg: str, child: str, child_arg: str = "pk"
) -> Callable[..., dict[str, Any]]:
    """A child inside its container; "mixed": the role's own container, a child outside."""

    def build(w: World, role: str, scope: str) -> dict[str, Any]:
        outer = side(role, "in" if scope == "mixed" else scope)
        inner = side(role, "out" if scope == "mixed" else scope)
        box = w.htx[outer] if container == "htx" else w.get(container, outer)
        return {container_arg: box.pk, child_arg: w.get(child, inner).pk}

    return build


def placed_object(w: World, kind: str, role: str, scope: str) -> Any:
    """An object made for an area: of the role's area (the manager: a nationwide one), or of
    the commune just outside it, in the role's tree."""
    if scope in ("in", "body-out"):
        if role == "htx_manager" and (kind, "national") in w.objects:
            return w.get(kind, "national")
        return w.get(kind, *w.place(role, IN_WORLD))
    return w.get(kind, *w.place(role, side(role, scope)))


def placed(kind: str, arg: str = "pk") -> Callable[..., dict[str, Any]]:
    return lambda w, role, scope: {arg: placed_object(w, kind, role, scope).pk}


def account(w: World, role: str, scope: str) -> dict[str, Any]:
    """A commune officer's account in the role's area; the HTX manager's own account."""
    if scope == "in" and role == "htx_manager":
        return {"pk": w.users[role].pk}
    return {"pk": w.get("account", *w.place(role, side(role, scope))).pk}


def area(w: World, role: str, scope: str) -> dict[str, Any]:
    """The role's own area, or the commune just outside it (ratings of an area, year 2019)."""
    return {"area_pk": area_of(w, role, scope).pk, "year": 2019}


def stored_import(app: str) -> Callable[..., dict[str, Any]]:
    """The role's own stored import, or the administrator's (his: the provincial officer's)."""

    def build(w: World, role: str, scope: str) -> dict[str, Any]:
        if scope == "in":
            owner = role if (app, role) in w.imports else "admin"
        else:
            owner = "province_legacy" if role == "admin" else "admin"
        return {"import_id": w.imports[(app, owner)]}

    return build


def job(w: World, role: str, scope: str) -> dict[str, Any]:
    """The role's own background job, or ("out") another user's: the administrator's (his:
    the provincial officer's, though he sees every job)."""
    others = "province_legacy" if role == "admin" else "admin"
    return {"pk": w.objects[("job", role if scope == "in" else others)].pk}


def notification(w: World, role: str, scope: str) -> dict[str, Any]:
    """The role's own notification, or ("out") another user's: no one sees another's, the
    administrator neither."""
    others = "province_legacy" if role == "admin" else "admin"
    return {"pk": w.objects[("notification", role if scope == "in" else others)].pk}


def participation(w: World, role: str, scope: str) -> dict[str, Any]:
    """At the nationwide event: the role's HTX ("in"), another HTX ("mixed"); "out": an event
    of the area outside the role's, with its HTX."""
    if scope == "out":
        where = w.place(role, side(role, scope))
        return {
            "event_pk": w.get("event", *where).pk,
            "pk": w.get("event_participation", *where).pk,
        }
    name = side(role, "out" if scope == "mixed" else "in")
    return {"event_pk": w.get("event", "national").pk, "pk": w.get("participation", name).pk}


def participant(w: World, role: str, scope: str) -> dict[str, Any]:
    """In a course of the role's area: its own HTX's member ("in"), Delta's or Alpha's member
    ("mixed", one outside the area for every officer); "out": a course outside the area."""
    if role == "htx_manager" and scope == "in":
        return {
            "course_pk": w.get("course", "national").pk,
            "pk": w.get("participant", IN_WORLD).pk,
        }
    where = w.place(role, side(role, "in" if scope == "mixed" else scope))
    member = where[0] if scope != "mixed" else ("Alpha" if where[0] == "Delta" else "Delta")
    return {
        "course_pk": w.get("course", *where).pk,
        "pk": w.get("course_participant", *where, member).pk,
    }


def area_of(w: World, role: str, scope: str) -> Any:
    """The role's own area (the administrator's: Bắc Kạn), or the commune just outside it."""
    if scope == "in":
        return w.area_of(role) or w.get("bac_kan")
    return w.unit(role, side(role, scope))


PICKER = {"name": "place", "id": "id_place", "levels": "1,2,3"}


def company(w: World, role: str, scope: str) -> dict[str, Any]:
    """A partner company kept by the role's province (Bắc Kạn, or Thái Nguyên which took it
    in), or by another province (Hà Nội)."""
    return {"pk": w.get("company", IN_WORLD if scope == "in" else "Delta").pk}


def fixed(**kwargs: Any) -> Callable[..., dict[str, Any]]:
    return lambda w, role, scope: dict(kwargs)


# --- bodies of the forms ----------------------------------------------------------------------


def unit_of(w: World, role: str, scope: str) -> Any:
    """The commune where the role creates something: its own side, or outside ("body-out")."""
    where = "out" if scope == "body-out" else "in"
    return w.unit(role, side(role, where))


def body_cooperative(w: World, role: str, scope: str) -> dict[str, Any]:
    return {
        "kind": "hop_tac_xa",
        "name": "HTX Mới Mtx",
        "sector": "nong_nghiep",
        "sub_sector": "trong_trot",
        "founded_on": "2020-01-02",
        "place": unit_of(w, role, scope).pk,
    }


def body_area(**values: Any) -> Callable[..., dict[str, Any]]:
    return lambda w, role, scope: {"area": unit_of(w, role, scope).pk, **values}


def body_budget(w: World, role: str, scope: str) -> dict[str, Any]:
    policy = placed_object(w, "policy", role, "in")
    return {
        "policy": policy.pk,
        "year": 2020,
        "area": unit_of(w, role, scope).pk,
        "source": "province",
        "amount": "1000000",
    }


def body_user(w: World, role: str, scope: str) -> dict[str, Any]:
    return {
        "username": "mtx.new",
        "full_name": "Mới",
        "role": "commune_officer",
        "area": unit_of(w, role, scope).pk,
        "password": "Mtx-New-pw-12345",
        "password_again": "Mtx-New-pw-12345",
    }


def body_participant(w: World, role: str, scope: str) -> dict[str, Any]:
    """A member of the role's HTX, or (body-out) an officer of the commune outside."""
    if scope == "body-out":
        return {"name": "Mới", "role": "officer", "area": unit_of(w, role, scope).pk}
    return {"name": "Mới", "role": "member", "cooperative_text": w.htx[IN_WORLD].tax_code}


def body_participation(w: World, role: str, scope: str) -> dict[str, Any]:
    return {"cooperative_text": w.htx[outside_if(role, scope)].tax_code}


def body_grant(w: World, role: str, scope: str) -> dict[str, Any]:
    """Support under the nationwide policy, or (body-out) a policy of an area outside."""
    policy = w.get("policy", "national")
    if scope == "body-out":
        policy = placed_object(w, "policy", role, "out")
    return {"policy": policy.pk, "granted_on": "2020-02-03", "source": "province", "amount": "5"}


def moved(name: str) -> Callable[..., dict[str, Any]]:
    """An edit placing the object in Alpha's commune of the role's tree (where it is; for an
    HTX, its commune in the officer's tree), or ("body-out") in the commune outside."""
    return lambda w, role, scope: {name: unit_of(w, role, scope).pk}


EDIT = ("in", "out", "body-out")


def body(**values: Any) -> Callable[..., dict[str, Any]]:
    return lambda w, role, scope: dict(values)


# --- the classification -----------------------------------------------------------------------


@dataclass(frozen=True)
class Spec:
    """How the matrix reaches one URL.

    kind: "object" (takes an object: in and out of scope), "page" (a page or list without an
    object: signed-in users), "public" (anyone, also anonymous), "self" (the user's own
    session: sign-in, sign-out, password, language, health checks);
    args: the URL's arguments for (world, role, scope);
    scopes: which of "in", "out", "mixed", "body-out" it is tried with;
    roles_in: the roles that have something in scope ("in"); the others try "out" only;
    roles_out: the roles that have something out of scope (default: all on a public URL, all
    but the administrator on an object);
    denied: roles for whom the page is not at all (403 or 404 whatever the object);
    body: values of a valid POST on top of the form read from the page (`form_page`: the URL
    whose page holds the form, default the URL itself), for (world, role, scope);
    query: the query string for (world, role, scope), where the object is named there
    (`?area=`, `?pick=`);
    out_status: what out of scope answers (404; 403 where the object is visible to all but
    changed only by its keepers);
    body_out_roles: who tries "body-out" (default: who may submit the form, but the
    administrator, whose area is everywhere);
    get_writes: why a GET of this URL may write (the user's own bookkeeping, never data);
    xfail: {(role, scope, method): reason} of known defects being fixed ("*": any);
    api: a URL of the REST API (hoptac.api): its POST sends `body` as JSON, and anonymous is
    answered 401 where a page would send him to the sign-in page.
    """

    kind: str
    args: Callable[..., dict[str, Any]] | None = None
    scopes: tuple[str, ...] = ("in", "out")
    roles_in: tuple[str, ...] = SIGNED_IN
    roles_out: tuple[str, ...] | None = None
    denied: tuple[str, ...] = ()
    body: Callable[..., dict[str, Any]] | None = None
    form_page: str | None = None
    query: Callable[..., dict[str, Any]] | None = None
    out_status: tuple[int, ...] = (404,)
    body_out_roles: tuple[str, ...] | None = None
    get_writes: str = ""
    xfail: Mapping[tuple[str, str, str], str] = field(default_factory=dict)
    api: bool = False  # /api/…: JSON bodies, and no credentials is 401 (not the sign-in page)


MANAGER = ("htx_manager",)
NOT_OFFICERS = ("htx_manager",)  # may not create placed things nor review
NO_MANAGER = tuple(r for r in SIGNED_IN if r != "htx_manager")
PORTAL_EDITORS = ("admin", "province_legacy")  # HOPTAC_PORTAL_PROVINCE: Bắc Kạn, old tree
NOT_PORTAL = tuple(r for r in SIGNED_IN if r not in PORTAL_EDITORS)
# Who tries a public or "self" URL that names nothing in anyone's scope.
PLAIN_ROLES = ("anonymous", "htx_manager", "commune_legacy", "admin")
USER_MANAGERS = ("province_legacy", "province_2025")
NOT_USER_MANAGERS = ("district_legacy", "commune_legacy", "commune_2025")
NESTED = ("in", "out", "mixed")
CREATE = ("in", "body-out")


def IMPORT(app: str) -> Spec:  # noqa: N802  (reads as a constant in the table)
    """A stored import: the user's own, never another's, whoever he is."""
    return Spec(
        "object", stored_import(app), roles_in=NO_MANAGER, roles_out=tuple(ROLES), denied=MANAGER
    )


def stored_participants(w: World, role: str, scope: str) -> dict[str, Any]:
    """The role's own stored list of the participants of his area's course, or another's."""
    course_pk, import_id = stored_import("support.participants")(w, role, scope)["import_id"].split(
        ":"
    )
    return {"pk": int(course_pk), "import_id": import_id}


# A stored list of a course's participants: the user's own, never another's (404 whatever the
# course).
PARTICIPANT_IMPORT = Spec(
    "object", stored_participants, roles_in=NO_MANAGER, roles_out=tuple(ROLES), denied=MANAGER
)


# A stored products import: the user's own (an HTX manager's too), never another's.
PRODUCT_IMPORT = Spec("object", stored_import("market.products"), roles_out=tuple(ROLES))


def INDICATORS(**kwargs: Any) -> Spec:  # noqa: N802
    """An indicators page: of the user's area, or of `?area=` (404 outside his scope); an
    HTX manager has no area (404)."""
    return Spec(
        "object",
        fixed(**kwargs),
        query=lambda w, role, scope: {"area": area_of(w, role, scope).pk},
        roles_in=NO_MANAGER,
        denied=MANAGER,
    )


def API(kind: str, args: Callable[..., dict[str, Any]] | None = None, **kwargs: Any) -> Spec:  # noqa: N802
    """A URL of the REST API."""
    return Spec(kind, args, api=True, **kwargs)


def api_token(w: World, role: str, scope: str) -> dict[str, Any]:
    """A personal API token of the role ("in"), or of someone else ("out"); made here, in the
    test's savepoint (the world has none)."""
    from hoptac.accounts.access import SYSTEM
    from hoptac.api.services import token_create

    owner = role if scope == "in" else ("province_legacy" if role == "admin" else "admin")
    issued = token_create(by=SYSTEM, user=w.users[owner], name="Mtx", scope="read")
    return {"pk": issued.token.pk}


CONVERT = {"address": "Xã Lương Bằng, Huyện Chợ Đồn, Tỉnh Bắc Kạn"}


def _xfail(roles: tuple[str, ...], scopes: tuple[str, ...], reason: str) -> dict[Any, str]:
    return {(r, s, m): reason for r in roles for s in scopes for m in ("GET", "POST")}


URLS: dict[str, Spec] = {
    # --- outside the language prefixes
    "set_language": Spec("self", body=body(language="en")),
    "sitemap": Spec("public"),
    "robots_txt": Spec("public"),
    "healthz": Spec("self"),
    "readyz": Spec("self"),
    # --- accounts
    "accounts:login": Spec("self"),
    "accounts:logout": Spec("self"),
    "accounts:password_change": Spec("self"),
    "accounts:two_factor": Spec("self"),
    "accounts:two_factor_verify": Spec("self"),
    "accounts:two_factor_setup": Spec("self"),  # the secret waits in the session until a POST
    "accounts:two_factor_recovery_codes": Spec("self"),
    "accounts:two_factor_remove": Spec("self"),
    "accounts:user_two_factor_reset": Spec(
        "object", account, denied=tuple(r for r in SIGNED_IN if r != "admin")
    ),
    "accounts:user_list": Spec("page"),
    "accounts:user_create": Spec(
        "page", scopes=CREATE, body=body_user, denied=(*NOT_USER_MANAGERS, "htx_manager")
    ),
    "accounts:user_detail": Spec("object", account),
    "accounts:user_edit": Spec(
        "object", account, scopes=EDIT, body=moved("area"), body_out_roles=USER_MANAGERS
    ),
    "accounts:user_password": Spec("object", account),
    "accounts:user_unlock": Spec("object", account),
    "accounts:audit_entry_list": Spec("page"),
    # --- areas
    "areas:unit_list": Spec("page"),
    "areas:picker": Spec(
        "object",
        fixed(),
        query=lambda w, role, scope: {**PICKER, "pick": area_of(w, role, scope).pk},
        roles_in=NO_MANAGER,
        denied=MANAGER,
    ),
    "areas:picker_search": Spec("page", query=lambda w, role, scope: {**PICKER, "q": "nghia"}),
    "areas:letterhead_edit": Spec(
        "object",
        lambda w, role, scope: {"pk": area_of(w, role, scope).pk},
        roles_in=NO_MANAGER,
        denied=MANAGER,
    ),
    # --- indicators
    "indicators:dashboard": INDICATORS(),
    "indicators:indicator_list": INDICATORS(),
    "indicators:drilldown": INDICATORS(code="so_htx"),
    "indicators:report": INDICATORS(),
    "indicators:map_points": INDICATORS(),
    # --- registry
    "registry:cooperative_list": Spec("page"),
    "registry:cooperative_quick_search": Spec("page", denied=MANAGER),
    "registry:cooperative_create": Spec("page", scopes=CREATE, body=body_cooperative),
    "registry:cooperative_detail": Spec("object", htx()),
    "registry:cooperative_edit": Spec(
        "object", htx(), scopes=EDIT, body=moved("place"), body_out_roles=OFFICERS
    ),
    "registry:cooperative_status": Spec(
        "object", htx(), body=body(status="tam_ngung_kinh_doanh", effective_on="2020-05-01")
    ),
    "registry:cooperative_delete": Spec("object", htx()),
    "registry:member_create": Spec("object", htx(), body=body(name="Thành viên mới")),
    "registry:member_edit": Spec(
        "object", nested("htx", "cooperative_pk", "member"), scopes=NESTED, body=body(name="Đổi")
    ),
    "registry:cooperative_export": Spec("page"),
    "registry:cooperative_import": Spec("page"),
    "registry:cooperative_import_template": Spec("page"),
    # background jobs: the owner's and the administrator's, no one else's
    "jobs:list": Spec("page"),
    "jobs:detail": Spec("object", job, roles_out=NOT_ADMIN),
    "jobs:cancel": Spec("object", job, roles_out=NOT_ADMIN),
    "jobs:retry": Spec("object", job, roles_out=NOT_ADMIN),
    "jobs:file": Spec("object", job, roles_out=NOT_ADMIN),
    # notifications: the user's own, no one else's (the administrator neither)
    "notifications:list": Spec("page"),
    "notifications:open": Spec("object", notification, roles_out=SIGNED_IN),
    "notifications:mark_all_read": Spec("page"),
    "notifications:preferences": Spec("page", body=body(email_kinds="report_returned")),
    "registry:cooperative_import_detail": IMPORT("registry"),
    "registry:cooperative_import_progress": IMPORT("registry"),
    "registry:cooperative_import_fix_list": IMPORT("registry"),
    # --- reports
    "reports:desk": Spec("page"),
    "reports:report_for_year": Spec("object", htx(arg="cooperative_pk", year=2020)),
    "reports:report_detail": Spec("object", htx("report")),
    "reports:report_edit": Spec("object", htx("draft_report")),
    "reports:report_submit": Spec("object", htx("draft_report")),
    "reports:report_approve": Spec("object", htx("submitted_report")),
    "reports:report_return": Spec(
        "object", htx("submitted_report"), body=body(comment="Thiếu số liệu")
    ),
    "reports:report_correct": Spec("object", htx("report")),
    "reports:national_forms_xlsx": Spec("object", htx("report")),
    "reports:national_forms_docx": Spec("object", htx("report")),
    "reports:reminder_email": Spec("object", htx(arg="cooperative_pk", year=2020)),
    "reports:reminder_email_late": Spec("page", body=body(year=2020)),
    "reports:reminder_letter": Spec(
        "object",
        htx(arg="cooperative_pk", year=2020),
        query=lambda w, role, scope: {"record": "1"},  # once recorded on a GET (#12 defect 6)
    ),
    "reports:report_export": Spec("page"),
    "reports:report_import": Spec("page"),
    "reports:report_import_template": Spec("page"),
    "reports:report_import_detail": IMPORT("reports"),
    "reports:report_import_fix_list": IMPORT("reports"),
    # --- ratings
    "ratings:index": Spec("page"),
    "ratings:area": Spec("object", area, roles_in=NO_MANAGER),
    "ratings:area_propose": Spec("object", area, roles_in=NO_MANAGER),
    "ratings:area_publish": Spec("object", area, roles_in=NO_MANAGER),
    "ratings:summary": Spec("object", area, roles_in=NO_MANAGER),
    "ratings:rating_detail": Spec("object", htx("rating")),
    "ratings:rating_scores": Spec(
        "object", htx("rating"), form_page="ratings:rating_detail", body=body(note="Mtx")
    ),
    "ratings:rating_override": Spec(
        "object", htx("rating"), body=body(rank="kha", note="Điều chỉnh")
    ),
    "ratings:rating_approve": Spec("object", htx("rating")),
    "ratings:rating_repropose": Spec("object", htx("rating")),
    "ratings:rating_start": Spec("object", htx(arg="cooperative_pk", year=2018)),
    # --- support
    "support:overview": Spec("page"),
    "support:policy_list": Spec("page"),
    "support:policy_create": Spec(
        "page", scopes=CREATE, body=body_area(name="Chính sách mới", kind="other")
    ),
    "support:policy_detail": Spec("object", placed("policy")),
    "support:policy_edit": Spec(
        "object", placed("policy"), scopes=EDIT, body=moved("area"), body_out_roles=OFFICERS
    ),
    "support:budget_list": Spec("page"),
    "support:budget_create": Spec("page", scopes=CREATE, body=body_budget),
    "support:budget_export": Spec("page"),
    "support:budget_edit": Spec(
        "object",
        placed("budget"),
        scopes=EDIT,
        roles_in=NO_MANAGER,
        denied=MANAGER,
        body=moved("area"),
        body_out_roles=OFFICERS,
    ),
    "support:budget_delete": Spec("object", placed("budget"), roles_in=NO_MANAGER),
    "support:grant_list": Spec("page"),
    "support:totals": Spec("page"),
    "support:grant_export": Spec("page"),
    # the upload starts a job checking the file: its rows' scope is checked when the job runs
    # (support's own tests), the matrix reaches the upload page and the stored import's pages
    "support:grant_import": Spec("page"),
    "support:grant_import_detail": IMPORT("support.grants"),
    "support:grant_import_fix_list": IMPORT("support.grants"),
    "support:grant_template": Spec("page"),
    "support:grant_detail": Spec("object", htx("grant")),
    "support:grant_edit": Spec("object", htx("grant")),
    "support:grant_delete": Spec("object", htx("grant")),
    "support:grant_create": Spec(
        "object",
        htx(arg="cooperative_pk"),
        scopes=("in", "out", "body-out"),
        denied=MANAGER,
        body=body_grant,
    ),
    "support:attachment_download": Spec("object", htx("attachment")),
    "support:course_list": Spec("page"),
    "support:course_create": Spec(
        "page",
        scopes=CREATE,
        body=body_area(
            title="Khóa mới",
            topic="other",
            starts_on="2020-01-02",
            ends_on="2020-01-03",
            organiser="UBND",
        ),
    ),
    "support:trained": Spec("page"),
    "support:participant_template": Spec("page"),
    "support:course_detail": Spec("object", placed("course")),
    "support:course_edit": Spec(
        "object",
        placed("course"),
        scopes=EDIT,
        denied=MANAGER,
        body=moved("area"),
        body_out_roles=OFFICERS,
    ),
    "support:participant_import": Spec(
        "object", placed("course"), scopes=("in", "out"), denied=MANAGER
    ),
    "support:participant_import_detail": PARTICIPANT_IMPORT,
    "support:participant_import_fix_list": PARTICIPANT_IMPORT,
    "support:participant_export": Spec("object", placed("course")),
    "support:participant_create": Spec(
        "object",
        placed("course", "course_pk"),
        scopes=("in", "out", "body-out"),
        denied=MANAGER,
        body=body_participant,
    ),
    "support:participant_edit": Spec(
        "object", participant, scopes=NESTED, denied=MANAGER, body=body(name="Đổi tên")
    ),
    "support:participant_delete": Spec("object", participant, scopes=NESTED, denied=MANAGER),
    "support:case_list": Spec("page"),
    "support:dissolution_list": Spec("page"),
    "support:case_create": Spec(
        "object",
        htx(arg="cooperative_pk"),
        scopes=("in", "out", "body-out"),
        denied=MANAGER,
        body=lambda w, role, scope: {
            "year": 2020,
            # the officer responsible: one of the role's area, or ("body-out") outside it
            "responsible": w.get("account", *w.place(role, outside_if(role, scope))).pk,
        },
        body_out_roles=OFFICERS,
    ),
    "support:case_detail": Spec("object", htx("case")),
    "support:case_edit": Spec("object", htx("case")),
    "support:case_close": Spec(
        "object", htx("case"), body=body(outcome="improved", closed_on="2020-06-01")
    ),
    "support:note_add": Spec(
        "object", htx("case"), body=body(text="Đã làm", written_on="2020-06-01")
    ),
    "support:action_create": Spec("object", htx("case"), body=body(description="Việc mới")),
    "support:action_edit": Spec(
        "object", nested("case", "pk", "action", "action_pk"), scopes=NESTED, denied=MANAGER
    ),
    # --- market
    "market:product_list": Spec("page"),
    "market:product_export": Spec("page"),
    # the upload starts a job checking the file: each row's HTX is checked when the job runs
    # (market's own tests); every signed-in role imports, an HTX manager for his own HTX
    "market:product_import": Spec("page"),
    "market:product_template": Spec("page"),
    "market:product_import_detail": PRODUCT_IMPORT,
    "market:product_import_fix_list": PRODUCT_IMPORT,
    "market:product_create": Spec(
        "object", htx(arg="cooperative_pk"), body=body(name="Mật ong", category="other", unit="lít")
    ),
    "market:product_detail": Spec("object", htx("product")),
    "market:product_edit": Spec("object", htx("product")),
    "market:product_photo": Spec("object", htx("product")),
    "market:certification_create": Spec(
        "object", htx("product", "product_pk"), body=body(kind="organic", year=2020)
    ),
    "market:certification_edit": Spec(
        "object", nested("product", "product_pk", "certification"), scopes=NESTED
    ),
    "market:trademark_create": Spec(
        "object",
        htx(arg="cooperative_pk"),
        scopes=("in", "out", "body-out"),
        denied=(),
        body=lambda w, role, scope: {
            "name": "Nhãn mới",
            "kind": "trademark",
            "product": w.get("product", outside_if(role, scope)).pk,
        },
        body_out_roles=(*OFFICERS, "htx_manager"),
    ),
    "market:trademark_edit": Spec(
        "object", nested("htx", "cooperative_pk", "trademark"), scopes=NESTED
    ),
    "market:event_list": Spec("page"),
    "market:event_create": Spec(
        "page",
        scopes=CREATE,
        body=body_area(name="Hội chợ mới", kind="fair", starts_on="2020-03-04"),
    ),
    "market:event_detail": Spec("object", placed("event")),
    "market:event_edit": Spec(
        "object",
        placed("event"),
        scopes=EDIT,
        denied=MANAGER,
        body=moved("area"),
        body_out_roles=OFFICERS,
    ),
    "market:participation_create": Spec(
        "object",
        placed("event_empty", "event_pk"),
        scopes=("in", "out", "body-out"),
        denied=MANAGER,
        body=body_participation,
    ),
    "market:participation_edit": Spec("object", participation, scopes=NESTED, denied=MANAGER),
    "market:company_list": Spec("page"),
    "market:company_create": Spec("page", body=body(name="Công ty mới")),
    "market:company_detail": Spec("object", htx("company"), scopes=("in",)),  # national list
    "market:company_edit": Spec(
        "object",
        company,
        denied=MANAGER,
        out_status=(403,),  # every officer sees the directory; another province's: may not change
        body=body(name="Công ty đổi tên"),
    ),
    "market:link_list": Spec("page"),
    "market:link_export": Spec("page"),
    "market:link_create": Spec(
        "object",
        htx(arg="cooperative_pk"),
        scopes=("in", "out", "body-out"),
        body=lambda w, role, scope: {
            "company": w.get("company", IN_WORLD).pk,
            "kind": "input",
            "product": w.get("product", outside_if(role, scope)).pk,
            "starts_on": "2020-01-01",
            "status": "active",
        },
        body_out_roles=(*OFFICERS, "htx_manager"),
    ),
    "market:link_edit": Spec("object", nested("htx", "cooperative_pk", "link"), scopes=NESTED),
    # --- plans
    "plans:plan_list": Spec("page"),
    "plans:plan_create": Spec(
        "page",
        scopes=CREATE,
        body=body_area(
            kind="ke_hoach",
            number="9/KH",
            title="Kế hoạch mới",
            issuer="UBND",
            start_year=2021,
            end_year=2025,
        ),
    ),
    "plans:plan_detail": Spec("object", placed("plan"), roles_in=NO_MANAGER),
    "plans:plan_edit": Spec(
        "object",
        placed("plan"),
        scopes=EDIT,
        roles_in=NO_MANAGER,
        body=moved("area"),
        body_out_roles=OFFICERS,
    ),
    "plans:plan_delete": Spec("object", placed("plan"), roles_in=NO_MANAGER),
    "plans:plan_document": Spec("object", placed("plan"), roles_in=NO_MANAGER),
    "plans:target_create": Spec(
        "object",
        placed("plan"),
        roles_in=NO_MANAGER,
        body=body(indicator="so_htx", comparison=">=", value="5", due_on="2020-12-31"),
    ),
    "plans:target_edit": Spec("object", placed("target"), roles_in=NO_MANAGER),
    "plans:target_delete": Spec("object", placed("target"), roles_in=NO_MANAGER),
    # --- portal (public pages: in = published, out = not published)
    "portal:home": Spec("public"),
    "portal:work": Spec("page"),  # the signed-in user's tasks, each read within his scope
    "portal:search": Spec("public"),
    "portal:cooperative_list": Spec("public"),
    "portal:cooperative_detail": Spec(
        "public", lambda w, role, scope: {"pk": w.htx["Alpha" if scope == "in" else "Bravo"].pk}
    ),
    "portal:product_list": Spec("public"),
    "portal:product_detail": Spec(
        "public",
        lambda w, role, scope: {"pk": w.get("product", "Alpha" if scope == "in" else "Bravo").pk},
    ),
    "portal:map": Spec("public"),
    "portal:article_list": Spec("public"),
    "portal:article_detail": Spec(
        "public",
        lambda w, role, scope: {
            "slug": w.get("article", "published" if scope == "in" else "draft").slug
        },
        roles_out=tuple(r for r in ROLES if r not in PORTAL_EDITORS),  # editors preview drafts
    ),
    "portal:feedback": Spec("public"),
    "portal:site_map": Spec("public"),
    "portal:contact": Spec("public"),
    "portal:manage": Spec("page", denied=NOT_PORTAL),
    "portal:article_manage_list": Spec("page", denied=NOT_PORTAL),
    "portal:article_create": Spec("page", denied=NOT_PORTAL, body=body(title="Tin mới")),
    "portal:article_edit": Spec(
        "object",
        lambda w, role, scope: {"pk": w.get("article", "draft").pk},
        scopes=("in",),
        denied=NOT_PORTAL,
    ),
    "portal:message_queue": Spec("page", denied=NOT_PORTAL),
    "portal:message_detail": Spec(
        "object",
        lambda w, role, scope: {"pk": w.get("message", "new").pk},
        scopes=("in",),
        denied=NOT_PORTAL,
        body=body(answer="Cảm ơn"),
    ),
    "portal:message_status": Spec(
        "object",
        lambda w, role, scope: {"pk": w.get("message", "new").pk},
        scopes=("in",),
        denied=NOT_PORTAL,
        body=body(status="rejected"),
    ),
    "portal:publication_settings": Spec("page", denied=NOT_PORTAL),
    # --- the REST API (/api/v1/, hoptac.api) and its tokens page
    "api:token_list": Spec("page", body=body(name="Mtx", scope="read", days="30")),
    "api:token_revoke": Spec("object", api_token),
    # any other path under /api/: a problem 404, whoever asks
    "api_not_found": API("public", fixed(rest="v1/nothing-here"), scopes=("out",)),
    "api-v1:api-root": API("public"),  # ninja's own root, shadowed by api_index
    "api-v1:api_index": API("public"),  # GET /api/v1/: where the schema and docs are
    "api-v1:openapi-json": API("public"),
    "api-v1:openapi-view": API("public"),
    "api-v1:area_convert": API("public", query=lambda w, role, scope: CONVERT),
    "api-v1:area_list": API("page"),
    "api-v1:area_detail": API(
        "object",
        lambda w, role, scope: {"area_pk": area_of(w, role, scope).pk},
        roles_in=NO_MANAGER,
        denied=MANAGER,
    ),
    "api-v1:cooperative_list": API("page"),
    "api-v1:cooperative_create": API("page", scopes=CREATE, body=body_cooperative),
    "api-v1:cooperative_detail": API("object", htx()),
    "api-v1:cooperative_update": API("object", htx()),  # PATCH: test_cooperatives.py
    "api-v1:cooperative_status": API(
        "object", htx(), body=body(status="tam_ngung_kinh_doanh", effective_on="2020-05-01")
    ),
    "api-v1:cooperative_members": API("object", htx()),
    "api-v1:cooperative_history": API("object", htx()),
    "api-v1:report_list": API("page"),
    "api-v1:report_create": API(
        "page",
        scopes=CREATE,
        body=lambda w, role, scope: {
            "cooperative": w.htx[outside_if(role, scope)].pk,
            "year": 2020,
        },
    ),
    "api-v1:report_detail": API("object", htx("report")),
    "api-v1:report_update": API("object", htx("draft_report")),  # PATCH: test_reports.py
    "api-v1:report_submit": API("object", htx("draft_report")),
    "api-v1:report_approve": API("object", htx("submitted_report")),
    "api-v1:report_return": API(
        "object", htx("submitted_report"), body=body(comment="Thiếu số liệu")
    ),
    "api-v1:rating_list": API("page"),
    "api-v1:rating_detail": API("object", htx("rating")),
    # rates the posted cases, reads and stores nothing: every signed-in role alike
    "api-v1:rating_evaluate": API("page", body=body(rules="tt01-2020", cases=[])),
    "api-v1:indicator_values": API(
        "object",
        query=lambda w, role, scope: {"area": area_of(w, role, scope).pk},
        roles_in=NO_MANAGER,
        denied=MANAGER,
    ),
    "api-v1:plan_list": API("page"),
    "api-v1:plan_detail": API("object", placed("plan"), roles_in=NO_MANAGER),
    "api-v1:grant_list": API("page"),
    # the HTX (in or out of scope) and the policy (body-out: one of an area outside) in the body
    "api-v1:grant_create": API(
        "page",
        scopes=("in", "out", "body-out"),  # a manager's POST: 403 (its GET is the list's)
        body=lambda w, role, scope: {
            **body_grant(w, role, scope),
            "cooperative": w.htx[side(role, scope)].pk,
            "amount": 5,
        },
    ),
    "api-v1:product_list": API("page"),
    "api-v1:product_detail": API("object", htx("product")),
    "api-v1:portal_directory": API("public"),
    # bulk exchange: an import starts a job (its rows' scope is checked by the job:
    # hoptac/api/tests/test_exchange.py); the job is its starter's (and the administrator's)
    "api-v1:cooperative_import": API("page", denied=MANAGER),
    "api-v1:report_import": API("page", denied=MANAGER),
    # the forms of the caller's own area (an HTX manager has none: 404); ?area= outside is a
    # 404 too (hoptac/api/tests/test_exchange.py)
    "api-v1:national_forms": API(
        "page", fixed(form="VII-1"), query=lambda w, role, scope: {"year": 2019}, denied=MANAGER
    ),
    "api-v1:job_detail": API(
        "object", lambda w, role, scope: {"job_id": job(w, role, scope)["pk"]}, roles_out=NOT_ADMIN
    ),
}


# --- walking the resolver ---------------------------------------------------------------------


def resolver_urls() -> list[tuple[str | None, str]]:
    """(qualified name, route) of every URL pattern, the language-prefixed ones included."""
    found: list[tuple[str | None, str]] = []

    def walk(patterns: Any, namespace: str | None, prefix: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern.url_patterns, inner, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                name = pattern.name and (
                    f"{namespace}:{pattern.name}" if namespace else pattern.name
                )
                found.append((name, prefix + str(pattern.pattern)))

    walk(get_resolver().url_patterns, None, "")
    return found


def is_admin_site(name: str | None, route: str) -> bool:
    return (name or "").startswith("admin:") or route.startswith("admin/")


# --- the cases --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    name: str
    role: str
    scope: str
    method: str

    @property
    def id(self) -> str:
        return f"{self.name}-{self.role}-{self.scope}-{self.method}"


def cases() -> list[Any]:
    params = []
    for name, spec in URLS.items():
        scopes = spec.scopes
        if spec.args is None or spec.kind not in ("object", "public"):
            scopes = tuple(s for s in scopes if s in ("in", "body-out"))
        for scope in scopes:
            for role in roles_for(spec, scope):
                for method in ("GET", "POST"):
                    if scope == "body-out" and method == "GET":
                        continue
                    case = Case(name, role, scope, method)
                    reason = _xfail_reason(spec, case)
                    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
                    params.append(pytest.param(case, id=case.id, marks=marks))
    return params


def creators(spec: Spec) -> tuple[str, ...]:
    """Who may submit the URL's form with what it places inside his area (and so tries to
    place it outside, "body-out")."""
    if spec.body_out_roles is not None:
        return spec.body_out_roles
    roles = (r for r in spec.roles_in if r not in spec.denied and r != "admin")
    return tuple(r for r in roles if r != "htx_manager" or spec.kind == "object")


def roles_for(spec: Spec, scope: str) -> tuple[str, ...]:
    """Who tries `scope`: on a page or a public URL everyone; on an object, the roles with
    an object in scope ("in"; anonymous too when there is no "out" case) or outside it."""
    if scope == "body-out":
        return creators(spec)
    if spec.kind == "public" and scope == "out":
        return spec.roles_out or tuple(ROLES)
    if spec.kind in ("public", "self") and spec.args is None:
        return PLAIN_ROLES  # nothing of anyone's scope: one of each kind of visitor
    if spec.kind in ("public", "self", "page"):
        return tuple(ROLES)
    if scope == "in":
        anonymous = ("anonymous",) if "out" not in spec.scopes else ()
        return tuple(r for r in spec.roles_in if r != "anonymous") + anonymous
    if scope == "mixed":
        return tuple(r for r in SIGNED_IN if r != "admin")
    return spec.roles_out or NOT_ADMIN


def _xfail_reason(spec: Spec, case: Case) -> str | None:
    for key in ((case.role, case.scope, case.method), (case.role, case.scope, "*")):
        if key in spec.xfail:
            return spec.xfail[key]
    return None


# --- the module's world and the request machinery ---------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world, built once for the module inside a transaction rolled back at its end (the
    database stays open to the module's tests meanwhile: each runs in a savepoint of its own,
    `rolled_back`, which is much cheaper than pytest-django's test case per test)."""
    root = tmp_path_factory.mktemp("matrix")
    overrides = override_settings(
        MEDIA_ROOT=root / "media",
        VAR_DIR=root / "var",
        HOPTAC_FRAGMENT_CACHE=False,
        HOPTAC_REQUIRE_2FA="none",
        # Speed, not behaviour: sessions in signed cookies (no session rows to read and write),
        # bare 403 / 404 pages (tests/authorisation_urls.py).
        SESSION_ENGINE="django.contrib.sessions.backends.signed_cookies",
        ROOT_URLCONF="tests.authorisation_urls",
    )
    quiet = logging.getLogger("django.request")
    level = quiet.level
    quiet.setLevel(logging.ERROR)  # 404s and 403s by the thousand; 5xx are still logged
    with django_db_blocker.unblock(), overrides:
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            built = build_world(media_root=root)
            built.cookies = session_cookies(built)  # type: ignore[attr-defined]
            built.forms = {}  # type: ignore[attr-defined]
            built.exports = {}  # type: ignore[attr-defined]
            yield built
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            quiet.setLevel(level)


@pytest.fixture
def rolled_back(world):
    """A savepoint around one test, rolled back after it; fresh caches (rate limits)."""
    from django.core.cache import caches

    for alias in settings.CACHES:
        caches[alias].clear()
    savepoint = transaction.savepoint()
    try:
        yield world
    finally:
        transaction.savepoint_rollback(savepoint)
        world.restore_files()  # a delete removes its files, which no rollback brings back


class MatrixClient(Client):
    """Django's test client without its record of every template rendered and its context (a
    copy of each, the larger part of a request's cost here): the matrix reads statuses, writes
    and bodies only. A view's exception is raised in the test, as with Client."""

    def request(self, **request: Any) -> Any:
        environ = self._base_environ(**request)
        uid = f"matrix-exception-{id(request)}"
        got_request_exception.connect(self.store_exc_info, dispatch_uid=uid)
        try:
            response = self.handler(environ)
        finally:
            got_request_exception.disconnect(dispatch_uid=uid)
        self.check_exception(response)
        if response.cookies:
            self.cookies.update(response.cookies)
        return response


def client_for(world: World, role: str) -> Client:
    client = MatrixClient()
    for name, value in world.cookies[role].items():  # type: ignore[attr-defined]
        client.cookies[name] = value
    return client


_WRITE = re.compile(
    r"^\s*(?:INSERT\b.*?\bINTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM|REPLACE\s+INTO)\s+[\"`]?([\w.]+)",
    re.IGNORECASE | re.DOTALL,
)


class WriteLog:
    """The INSERT / UPDATE / DELETE statements run, except on IGNORED_TABLES."""

    def __init__(self) -> None:
        self.writes: list[str] = []

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        match = _WRITE.match(sql)
        if match and match.group(1).strip('"') not in IGNORED_TABLES:
            self.writes.append(sql[:160])
        return execute(sql, params, many, context)


def request(
    client: Client, method: str, path: str, data: dict[str, Any] | None = None, *, api: bool = False
) -> Any:
    """One request, and the writes it made (`api`: the body as JSON)."""
    log = WriteLog()
    with connection.execute_wrapper(log):
        if method == "GET":
            response = client.get(path)
        elif api:
            response = client.post(path, data or {}, content_type="application/json")
        else:
            response = client.post(path, data or {})
        response.body = (
            b"".join(response.streaming_content) if response.streaming else response.content
        )
    response.writes = log.writes
    return response


def read_form(response: Any, page: str, action: str) -> dict[str, Any] | None:
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return None
    return form_values(response.body.decode(), page_path=page, action_path=action)


def keep_form(world: World, role: str, page: str, response: Any) -> None:
    """Keep the form of a page the role has just read (None: it has none), for its POST."""
    world.forms[(role, page, page)] = read_form(response, page, page)  # type: ignore[attr-defined]


def post_data(world: World, spec: Spec, name: str, case: Case) -> dict[str, Any]:
    """The form a browser would post: read from the role's own page of the object in his scope
    (the administrator's where the role has none or may not open it), once per role and page;
    the values a valid submission needs for the case; and a `next` that points off the site."""
    role = case.role if case.role in spec.roles_in and case.role != "anonymous" else "admin"
    kwargs = spec.args(world, role, "in") if spec.args else {}
    path = reverse(name, kwargs=kwargs)
    page = reverse(spec.form_page, kwargs=kwargs) if spec.form_page else path
    cache = world.forms  # type: ignore[attr-defined]
    values = None
    for reader in dict.fromkeys((role, "admin")):
        if (reader, page, path) not in cache:
            response = request(client_for(world, reader), "GET", page)
            cache[(reader, page, path)] = read_form(response, page, path)
        values = cache[(reader, page, path)]
        if values is not None:
            break
    data = dict(values or {})
    if spec.body is not None:
        data.update(spec.body(world, case.role, case.scope))
    data["next"] = EVIL
    return data


def is_login_redirect(response: Any) -> bool:
    return response.status_code == 302 and urlsplit(response["Location"]).path.endswith(LOGIN_PATH)


# --- the tests --------------------------------------------------------------------------------


def test_every_url_is_classified():
    """A URL the matrix does not know fails here until URLS classifies it (and a name URLS
    still lists but the site lost fails too)."""
    names = set()
    unnamed = []
    for name, route in resolver_urls():
        if is_admin_site(name, route):
            continue
        if name is None:
            unnamed.append(route)
            continue
        names.add(name)
    assert not unnamed, f"URLs without a name cannot be classified: {unnamed}"
    assert sorted(names - set(URLS)) == [], "classify these URLs in URLS"
    assert sorted(set(URLS) - names) == [], "these URLs are gone: remove them from URLS"


@pytest.mark.parametrize("case", cases())
def test_url(rolled_back, case):
    world = rolled_back
    spec = URLS[case.name]
    kwargs = spec.args(world, case.role, case.scope) if spec.args else {}
    path = reverse(case.name, kwargs=kwargs)
    if spec.query is not None:
        path += "?" + urlencode(spec.query(world, case.role, case.scope))
    data = post_data(world, spec, case.name, case) if case.method == "POST" else None
    if data is not None and spec.api:  # the API's JSON body: the values it needs, no `next`
        data = spec.body(world, case.role, case.scope) if spec.body else {}
    response = request(client_for(world, case.role), case.method, path, data, api=spec.api)
    status = response.status_code
    context = f"{case.method} {path} as {case.role} ({case.scope}) → {status}"
    if case.method == "GET" and case.scope == "in" and not spec.form_page and not spec.query:
        keep_form(world, case.role, path, response)  # the POST case that follows reads it

    assert status < 500, context
    if status in (301, 302, 303, 307, 308):
        target = urlsplit(response["Location"])
        assert target.netloc in ("", "testserver"), f"{context}: redirect off the site"
    anonymous_denied = case.role == "anonymous" and spec.kind in ("object", "page")
    if anonymous_denied and spec.api:
        assert status in (401, 405), context  # 405: a method the URL has not, before auth
    elif anonymous_denied:
        assert is_login_redirect(response), context
    elif case.role in spec.denied:
        assert status in (403, 404, 405), context
    elif case.scope in ("out", "mixed"):
        assert status in (*spec.out_status, 405), context  # 405: by the method alone
    elif case.scope == "in":
        assert status != 404, context
        if case.method == "POST" and "body-out" in spec.scopes and case.role in creators(spec):
            # the body is valid, so that the same body placed outside ("body-out") is a test
            assert response.writes, f"{context}: the valid body was refused"
    reads_only = (
        (case.method == "GET" and not spec.get_writes)
        or case.scope in ("out", "mixed", "body-out")
        or anonymous_denied
        or status in (403, 404, 405)
    )
    if reads_only:
        assert response.writes == [], f"{context}: wrote {response.writes}"


# --- lists and exports, row by row ----------------------------------------------------------


@dataclass(frozen=True)
class Rows:
    """A list or export read row by row.

    args / query: the URL's arguments and query for (world, role);
    complete: the kinds of name (Marker.family; or (world, role) → them) whose every name in
    the role's scope must be there (the rest of the check: no name outside the scope anywhere);
    widen: the list takes `?area=`; it is also asked for an area outside the role's;
    within: (world, role) → the area the list is of, when narrower than the role's scope;
    roles: who reads it (default: the administrator, the officers, the HTX manager);
    public: the portal's lists (what is published, for everyone);
    denied: roles that get 403 (nothing to read);
    xfail: {role: reason} of known defects being fixed.
    """

    url: str
    args: Callable[..., dict[str, Any]] | None = None
    query: Callable[..., dict[str, Any]] | None = None
    complete: tuple[str, ...] | Callable[..., tuple[str, ...]] = ("htx",)
    widen: bool = False
    public: bool = False
    within: Callable[..., Any] | None = None
    roles: tuple[str, ...] | None = None
    denied: tuple[str, ...] = ()
    xfail: Mapping[str, str] = field(default_factory=dict)


LIST_ROLES = ("admin", *OFFICERS, "htx_manager")
YEAR_2019 = lambda w, role: {"year": 2019}  # noqa: E731


def own_area(w: World, role: str) -> dict[str, Any]:
    unit = w.area_of(role)
    return {"area": unit.pk} if unit is not None and role != "htx_manager" else {}


def OWN_MEMBERS(w: World, role: str) -> tuple[str, ...]:  # noqa: N802
    """The people of the course made for Alpha's commune in the role's tree."""
    name, era = w.place(role, IN_WORLD)
    return (f"member:{name}-{era}",)


def national(kind: str, arg: str = "pk") -> Callable[..., dict[str, Any]]:
    return lambda w, role: {arg: w.get(kind, "national").pk}


def of_own_area(kind: str) -> Callable[..., dict[str, Any]]:
    """The object made for Alpha's commune in the role's tree (it holds people from outside)."""
    return lambda w, role: {"pk": w.get(kind, *w.place(role, IN_WORLD)).pk}


LISTS: dict[str, Rows] = {
    "registry": Rows("registry:cooperative_list", widen=True),
    "registry-quick-search": Rows(
        "registry:cooperative_quick_search", query=lambda w, r: {"q": "htx"}, denied=MANAGER
    ),
    "registry.xlsx": Rows("registry:cooperative_export", widen=True),
    "registry.csv": Rows("registry:cooperative_export", query=lambda w, r: {"format": "csv"}),
    "desk": Rows("reports:desk", query=YEAR_2019, widen=True),
    "reports.xlsx": Rows("reports:report_export", query=YEAR_2019, widen=True),
    "ratings-area": Rows(
        "ratings:area",
        args=lambda w, role: {"area_pk": area_of(w, role, "in").pk, "year": 2019},
        within=lambda w, role: area_of(w, role, "in"),
        denied=MANAGER,
    ),
    "ratings-own": Rows("ratings:index", roles=MANAGER),
    "grants": Rows("support:grant_list", complete=("htx",), widen=True),
    "grants.xlsx": Rows("support:grant_export", widen=True),
    "budgets": Rows("support:budget_list", complete=("policy",)),
    "budgets.xlsx": Rows("support:budget_export", complete=("policy",)),
    "policies": Rows("support:policy_list", complete=("policy", "national-policy")),
    "policy-grants": Rows("support:policy_detail", args=national("policy"), complete=("htx",)),
    "courses": Rows("support:course_list", complete=("course",)),
    "course-people": Rows(
        "support:course_detail", args=national("course"), complete=("participant",)
    ),
    "course-people.xlsx": Rows(
        "support:participant_export", args=national("course"), complete=("participant",)
    ),
    "area-course-people": Rows(
        "support:course_detail", args=of_own_area("course"), complete=OWN_MEMBERS, denied=MANAGER
    ),
    "area-course-people.xlsx": Rows(
        "support:participant_export",
        args=of_own_area("course"),
        complete=OWN_MEMBERS,
        denied=MANAGER,
    ),
    "cases": Rows("support:case_list", widen=True),
    "dissolution": Rows("support:dissolution_list", query=lambda w, r: {"year": 2022}, widen=True),
    "products": Rows("market:product_list", complete=("product",), widen=True),
    "products.xlsx": Rows("market:product_export", complete=("product",), widen=True),
    "events": Rows("market:event_list", complete=("event",)),
    "event-stands": Rows("market:event_detail", args=national("event")),
    "links": Rows("market:link_list", complete=("link",), widen=True),
    "links.xlsx": Rows("market:link_export", complete=("link",), widen=True),
    "company-links": Rows(
        "market:company_detail",
        args=lambda w, role: {"pk": w.get("company", "shared").pk},
        complete=("link",),
    ),
    "indicator-htx": Rows(
        "indicators:drilldown", args=lambda w, r: {"code": "so_htx"}, denied=MANAGER
    ),
    "plans": Rows("plans:plan_list", complete=("plan",)),
    "accounts": Rows("accounts:user_list", complete=("account",)),
    "portal-directory": Rows("portal:cooperative_list", public=True),
    "portal-products": Rows("portal:product_list", complete=("product",), public=True),
    "portal-search": Rows("portal:search", query=lambda w, r: {"q": "Alpha"}, public=True),
}


def row_cases() -> list[Any]:
    params = []
    for key, rows in LISTS.items():
        roles = rows.roles or ((*LIST_ROLES, "anonymous") if rows.public else LIST_ROLES)
        for role in roles:
            for widen in (False, True) if rows.widen and role in OFFICERS else (False,):
                reason = rows.xfail.get(role)
                marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
                name = f"{key}-{role}" + ("-widened" if widen else "")
                params.append(pytest.param(key, role, widen, id=name, marks=marks))
    return params


def public_visible(marker: Any) -> bool:
    """What the portal shows: the published HTX (Alpha) and its products."""
    return marker.world == IN_WORLD and marker.family in ("htx", "product")


@pytest.mark.parametrize(("key", "role", "widen"), row_cases())
def test_rows(rolled_back, key, role, widen):
    """Every name a list or export shows is in the role's scope, and every name of its kind in
    scope is there (with `?area=` outside the role's area: still nothing outside)."""
    world = rolled_back
    rows = LISTS[key]
    path = reverse(rows.url, kwargs=rows.args(world, role) if rows.args else {})
    query = rows.query(world, role) if rows.query else {}
    if widen:
        query["area"] = world.unit(role, side(role, "out")).pk
    if query:
        path += "?" + urlencode(query)
    response = request(client_for(world, role), "GET", path)
    context = f"GET {path} as {role} → {response.status_code}"
    if role in rows.denied:
        assert response.status_code in (403, 404), context
        return
    assert response.status_code == (200 if not widen else response.status_code), context
    assert response.status_code in (200, 404), context
    if response.status_code == 404:
        return
    lines = response_rows(response.body, response.get("Content-Type", ""))
    visible = public_visible if rows.public else (lambda m: world.marker_visible(role, m))
    if rows.within is not None:
        within = rows.within(world, role)
        in_area = visible
        visible = lambda m: in_area(m) and world.htx_within(m, within)  # noqa: E731
    leaked = sorted(
        {m.text for line in lines for m in world.markers if m.text in line and not visible(m)}
    )
    assert leaked == [], f"{context}: shows what is outside the scope"
    if widen:
        return
    text = "\n".join(lines)
    families = rows.complete(world, role) if callable(rows.complete) else rows.complete
    missing = sorted(
        m.text for m in world.markers if m.family in families and visible(m) and m.text not in text
    )
    assert missing == [], f"{context}: misses what is in the scope"


# --- the admin site, as a group ---------------------------------------------------------------


def admin_paths() -> list[str]:
    """A path for every URL of the admin site (arguments filled with "1", app labels with
    "accounts"); the catch-all and the object redirect without a name by hand."""
    paths = []
    for name, route in resolver_urls():
        if not is_admin_site(name, route):
            continue
        if name is None or name == "admin:None":
            continue
        pattern = next(p for n, r, p in _admin_patterns() if n == name and r == route)
        keys = list(pattern.pattern.converters) or list(pattern.pattern.regex.groupindex)
        for guess in ("1", "accounts"):
            try:
                paths.append(reverse(name, kwargs=dict.fromkeys(keys, guess)))
                break
            except NoReverseMatch:
                continue
    return sorted({*paths, "/admin/accounts/user/1/", "/admin/no-such-page/"})


def _admin_patterns() -> list[tuple[str | None, str, Any]]:
    found = []

    def walk(patterns: Any, namespace: str | None, prefix: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern.url_patterns, inner, prefix + str(pattern.pattern))
            else:
                name = pattern.name and (
                    f"{namespace}:{pattern.name}" if namespace else pattern.name
                )
                found.append((name, prefix + str(pattern.pattern), pattern))

    walk(get_resolver().url_patterns, None, "")
    return found


ADMIN_SELF = ("/admin/login/", "/admin/logout/")


@pytest.mark.parametrize("role", NOT_ADMIN)
def test_admin_site_is_staff_only(rolled_back, role):
    """Every page of the admin site, with GET and POST: everyone but the administrator is
    sent to a sign-in page (or refused), and nothing is written. (The administrator's own
    use of it is not a matter of scope: he sees everything.)"""
    world = rolled_back
    client = client_for(world, role)
    problems = []
    for path in admin_paths():
        for method in ("GET", "POST"):
            response = request(client, method, path, {"next": EVIL} if method == "POST" else None)
            status = response.status_code
            sign_in = urlsplit(response.get("Location", "")).path in ("/admin/login/", LOGIN_PATH)
            refused = status in (403, 404, 405) or (status == 302 and sign_in)
            if path in ADMIN_SELF:
                refused = status < 500  # the admin's own sign-in and sign-out pages
            if status >= 500 or response.writes or not refused:
                problems.append(f"{method} {path} → {status} {response.writes}")
    assert problems == [], f"as {role}: " + "\n".join(problems[:20])
