"""The fixture data of the authorisation matrix (tests/test_authorisation_matrix.py): one
"world" of HTX in places chosen so that every role has one HTX in its scope and one just
outside it, each HTX with one of everything an HTX has (report, rating, support, training,
remediation, products, marks, links, events); the objects placed in an area (policies,
budgets, courses, events, plans, accounts) in each HTX's commune of both trees and nationwide;
the portal's articles and messages; the accounts of every role; and what each role must see,
worked out from the places alone (unit paths), independently of hoptac.accounts.access.

Every name carries a marker (the world's NATO word and the kind of object), so that a list,
a page or an export can be read row by row for what it shows.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

# --- places and roles -----------------------------------------------------------------------

# Each HTX of the world: its commune in the old tree (None: recorded in the 2025 tree only) and,
# for the 2025-only one, its 2025 commune. The 2025 communes of the others follow from the old
# ones by the default succession (registry.services._place).
WORLDS: dict[str, tuple[str | None, str | None]] = {
    "Alpha": ("02062", None),  # Xã Lương Bằng, Chợ Đồn, Bắc Kạn → Xã Nghĩa Tá, Thái Nguyên
    "Bravo": ("02071", None),  # Xã Nghĩa Tá (old), Chợ Đồn, Bắc Kạn → Xã Nghĩa Tá (2025)
    "Charlie": ("01927", None),  # a commune of Ba Bể, Bắc Kạn → Xã Thượng Minh, Thái Nguyên
    "Delta": ("00001", None),  # Phường Phúc Xá, Hà Nội (another province in both trees)
    "Echo": (None, "01840"),  # Phường Đức Xuân, Thái Nguyên: recorded in the 2025 tree only
}
# The worlds whose objects placed in an area exist (Echo has no old commune to place them in).
PLACED_WORLDS = ("Alpha", "Bravo", "Charlie", "Delta")
ERAS = ("legacy", "2025")


@dataclass(frozen=True)
class Role:
    """One actor of the matrix: its role, area (era, code) and the HTX world in its scope."""

    key: str
    role: str | None  # None: anonymous
    area: tuple[str, str] | None = None
    out: str | None = None  # the HTX world just outside its scope

    @property
    def era(self) -> str | None:
        return self.area[0] if self.area else None


ROLES: dict[str, Role] = {
    role.key: role
    for role in (
        Role("admin", "admin"),
        Role("province_legacy", "province_officer", ("legacy", "06"), out="Delta"),
        Role("province_2025", "province_officer", ("2025", "19"), out="Delta"),
        Role("district_legacy", "district_officer", ("legacy", "064"), out="Charlie"),
        Role("commune_legacy", "commune_officer", ("legacy", "02062"), out="Bravo"),
        Role("commune_2025", "commune_officer", ("2025", "02071"), out="Charlie"),
        Role("htx_manager", "coop_manager", ("legacy", "02062"), out="Bravo"),
        Role("anonymous", None, out="Alpha"),
    )
}
SIGNED_IN = tuple(key for key in ROLES if key != "anonymous")
OFFICERS = ("province_legacy", "province_2025", "district_legacy", "commune_legacy", "commune_2025")
NOT_ADMIN = tuple(key for key in ROLES if key != "admin")
IN_WORLD = "Alpha"  # the HTX in every signed-in role's scope (the manager's own)


def png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (0, 120, 0)).save(buffer, "PNG")
    return buffer.getvalue()


# --- markers --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Marker:
    """A text that names one object in the pages and exports; `kind` says how its visibility
    is decided: "htx" (the HTX's), "applies" (an area, seen at, above and below it; None:
    national), "placed" (an area, seen at and below it), "officer" (a participant officer of
    an area), "account" (a user account of an area), "public" (published, seen by all)."""

    text: str
    kind: str
    family: str = ""  # what it names: "htx", "product", "grant", "course"…
    world: str | None = None
    path: str | None = None  # the unit's path, for area kinds; None: nationwide
    public: bool = False


@dataclass
class World:
    """The objects the matrix reaches, by (kind, world) or (kind, world, era)."""

    users: dict[str, Any] = field(default_factory=dict)
    clients: dict[str, Client] = field(default_factory=dict)
    htx: dict[str, Any] = field(default_factory=dict)
    objects: dict[tuple[str, ...], Any] = field(default_factory=dict)
    units: dict[tuple[str, str], Any] = field(default_factory=dict)  # (world, era) → commune
    markers: list[Marker] = field(default_factory=list)
    imports: dict[tuple[str, str], str] = field(default_factory=dict)  # (app, role) → import id
    files: dict[Any, bytes] = field(default_factory=dict)  # path → content of uploaded files

    def keep_files(self) -> None:
        """Remember the files the world uploaded (deleting an object deletes its file, and no
        rollback brings it back: restore_files does)."""
        from pathlib import Path

        from hoptac.market.models import Product
        from hoptac.plans.models import Plan
        from hoptac.support.models import GrantAttachment

        for model, name in ((GrantAttachment, "file"), (Product, "photo"), (Plan, "document")):
            for obj in model.objects.all():
                value = getattr(obj, name)
                if value:
                    path = Path(value.path)
                    self.files[path] = path.read_bytes()

    def restore_files(self) -> None:
        for path, content in self.files.items():
            if not path.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(content)

    def get(self, *key: str) -> Any:
        return self.objects[key]

    def put(self, obj: Any, *key: str) -> Any:
        self.objects[key] = obj
        return obj

    def mark(self, text: str, kind: str, **fields: Any) -> str:
        self.markers.append(Marker(text, kind, **fields))
        return text

    # Where each role stands ----------------------------------------------------------------

    def area_of(self, role: str) -> Any:
        return self.users[role].area if role != "anonymous" else None

    def place(self, role: str, world: str) -> tuple[str, str]:
        """The (world, era) key of an object placed in `world`'s commune of the role's tree."""
        return (world, ROLES[role].era or "legacy")

    def unit(self, role: str, world: str) -> Any:
        return self.units[self.place(role, world)]

    # What each role must see, from the places alone --------------------------------------------

    def htx_visible(self, role: str, world: str) -> bool:
        if role == "admin":
            return True
        if role == "htx_manager":
            return world == IN_WORLD
        area = self.area_of(role)
        if area is None:
            return False
        cooperative = self.htx[world]
        paths = [u.path for u in (cooperative.commune_legacy, cooperative.commune) if u]
        return any(path.startswith(area.path + "/") or path == area.path for path in paths)

    def htx_within(self, marker: Marker, area: Any) -> bool:
        """Does the HTX a marker names lie in `area` (by its commune of the area's tree)?"""
        cooperative = self.htx[marker.world or ""]
        unit = cooperative.commune_legacy if area.era == "legacy" else cooperative.commune
        return unit is not None and _under(unit.path, area.path)

    def marker_visible(self, role: str, marker: Marker) -> bool:
        if marker.public:
            return True
        if role == "admin":
            return True
        if marker.kind == "htx":
            return self.htx_visible(role, marker.world or "")
        area = self.area_of(role)
        if marker.kind == "applies":
            if marker.path is None:
                return role != "anonymous"
            if area is None or role == "htx_manager":
                return False
            return _under(marker.path, area.path) or _under(area.path, marker.path)
        if marker.kind in ("placed", "officer"):
            if area is None or role == "htx_manager" or marker.path is None:
                return False
            return _under(marker.path, area.path)
        if marker.kind == "account":
            if role == "htx_manager" or area is None:
                return False
            return marker.path is not None and _under(marker.path, area.path)
        raise AssertionError(f"unknown marker kind {marker.kind}")


def _under(path: str, top: str) -> bool:
    return path == top or path.startswith(top + "/")


# --- building it ----------------------------------------------------------------------------


def build_world(*, media_root: Any) -> World:
    """Create the world (inside the caller's transaction)."""
    from hoptac.areas.models import AdminUnit

    world = World()
    _users(world)
    for name, (legacy, current) in WORLDS.items():
        _cooperative(world, name, legacy, current)
    for name in PLACED_WORLDS:
        cooperative = world.htx[name]
        world.units[(name, "legacy")] = cooperative.commune_legacy
        world.units[(name, "2025")] = cooperative.commune
    world.units[("Echo", "2025")] = world.htx["Echo"].commune
    world.objects[("bac_kan",)] = AdminUnit.objects.get(era="legacy", code="06")
    _shared(world)
    for name in WORLDS:
        _of_cooperative(world, name)
    for name in PLACED_WORLDS:
        for era in ERAS:
            _placed(world, name, era)
    _accounts(world)
    _portal(world)
    _imports(world, media_root)
    _jobs(world)
    _notifications(world)
    _sign_in(world)
    world.keep_files()
    return world


def _users(world: World) -> None:
    from hoptac.accounts.models import User
    from hoptac.areas.models import AdminUnit

    for key, role in ROLES.items():
        if role.role is None:
            continue
        area = AdminUnit.objects.get(era=role.area[0], code=role.area[1]) if role.area else None
        user = User(
            username=f"mtx.{key}",
            role=role.role,
            area=area,
            full_name=f"Người dùng {key}",
            is_staff=key == "admin",
            is_superuser=key == "admin",
        )
        user.set_password("Mtx-secret-pw-1")
        user.save()
        world.users[key] = user


def _cooperative(world: World, name: str, legacy: str | None, current: str | None) -> None:
    from hoptac.areas.models import AdminUnit
    from hoptac.registry import services

    place: dict[str, Any] = {}
    if legacy:
        place["commune_legacy"] = AdminUnit.objects.get(era="legacy", code=legacy)
    if current:
        place["commune"] = AdminUnit.objects.get(era="2025", code=current)
    index = list(WORLDS).index(name)
    cooperative = services.cooperative_create(
        by=None,
        name=world.mark(f"HTX {name}", "htx", family="htx", world=name),
        tax_code=f"470000{index:04d}",
        sector="nong_nghiep",
        sub_sector="trong_trot",
        founded_on=date(2015, 3, 1),
        email=f"htx.{name.lower()}@example.com",
        is_published=name == IN_WORLD,
        **place,
    )
    if name == IN_WORLD:
        cooperative.managers.add(world.users["htx_manager"])
    world.htx[name] = cooperative


def _shared(world: World) -> None:
    """National objects every officer sees: a policy without criteria, a course, an event, and
    a partner company per world (linked to that world's HTX only)."""
    from hoptac.market import services as market
    from hoptac.support import services as support
    from hoptac.support.models import Policy

    policy = Policy.objects.create(
        code="mtx-national",
        name=world.mark("Chính sách Omega", "applies", family="national-policy"),
        kind="other",
        area=None,
    )
    world.put(policy, "policy", "national")
    course = support.course_save(
        by=None,
        title=world.mark("Khóa Omega", "applies", family="course"),
        topic="cooperative_law",
        starts_on=date(2019, 3, 1),
        ends_on=date(2019, 3, 2),
        organiser="Bộ",
        area=None,
    )
    world.put(course, "course", "national")
    event = market.event_save(
        by=None,
        name=world.mark("Hội chợ Omega", "applies", family="event"),
        kind="fair",
        starts_on=date(2019, 11, 2),
        area=None,
    )
    world.put(event, "event", "national")
    world.put(
        market.company_save(by=None, name="Công ty Omega", tax_code="4800009999"),
        "company",
        "shared",
    )
    for name in WORLDS:
        cooperative = world.htx[name]
        company = market.company_save(
            by=None,
            name=f"Công ty {name}",
            tax_code=f"480000{list(WORLDS).index(name):04d}",
            province=cooperative.province_legacy or cooperative.province,  # keeps it
        )
        world.put(company, "company", name)


def _of_cooperative(world: World, name: str) -> None:
    """Everything one HTX has."""
    from hoptac.accounts import access
    from hoptac.market import services as market
    from hoptac.ratings import services as ratings
    from hoptac.registry import services as registry
    from hoptac.reports import services as reports
    from hoptac.reports.tests.factories import approved_report, make_report
    from hoptac.support import services as support

    cooperative = world.htx[name]
    member = registry.member_add(cooperative=cooperative, by=None, name=f"Thành viên {name}")
    world.put(member, "member", name)
    approved_report(cooperative, 2018)
    world.put(approved_report(cooperative, 2019), "report", name)
    world.put(make_report(cooperative, 2017), "draft_report", name)
    submitted = reports.report_submit(report=make_report(cooperative, 2016), by=access.SYSTEM)
    world.put(submitted, "submitted_report", name)
    world.put(
        ratings.rating_start(cooperative=cooperative, year=2019, by=access.SYSTEM), "rating", name
    )
    attachment = SimpleUploadedFile(f"qd-{name}.pdf", b"%PDF-1.4 mtx", "application/pdf")
    grant = support.grant_record(
        by=None,
        cooperative=cooperative,
        policy=world.get("policy", "national"),
        granted_on=date(2019, 5, 2),
        source="province",
        amount=Decimal(12_000_000),
        note=world.mark(f"Hỗ trợ {name}", "htx", family="grant", world=name),
        files=[attachment],
    )
    world.put(grant, "grant", name)
    world.put(grant.attachments.get(), "attachment", name)
    case = support.remediation_open(cooperative=cooperative, year=2019, by=None, causes="Vốn")
    world.put(case, "case", name)
    world.put(
        support.action_save(case=case, by=None, description="Tập huấn", deadline=date(2019, 9, 1)),
        "action",
        name,
    )
    photo = SimpleUploadedFile(f"{name}.png", png(), "image/png")
    product = market.product_save(
        by=None,
        cooperative=cooperative,
        name=world.mark(f"Chè {name}", "htx", family="product", world=name),
        category="tea",
        unit="kg",
        photo=photo,
    )
    world.put(product, "product", name)
    world.put(
        market.certification_save(by=None, product=product, kind="vietgap", year=2018),
        "certification",
        name,
    )
    world.put(
        market.trademark_save(
            by=None,
            cooperative=cooperative,
            product=product,
            name=world.mark(f"Nhãn {name}", "htx", family="trademark", world=name),
            kind="collective",
        ),
        "trademark",
        name,
    )
    world.put(
        market.link_save(
            by=None,
            cooperative=cooperative,
            company=world.get("company", "shared"),
            kind="output",
            product_name=world.mark(f"Bao tiêu {name}", "htx", family="link", world=name),
            starts_on=date(2019, 1, 1),
            ends_on=date(2019, 12, 31),  # so that the HTX is idle in 2020-2021 (dissolution)
        ),
        "link",
        name,
    )
    world.put(
        market.participation_save(
            by=None,
            event=world.get("event", "national"),
            cooperative=cooperative,
            contracts=1,
            note=world.mark(f"Gian hàng {name}", "htx", family="participation", world=name),
        ),
        "participation",
        name,
    )
    world.put(
        support.participant_save(
            by=None,
            course=world.get("course", "national"),
            name=world.mark(f"Học viên {name}", "htx", family="participant", world=name),
            role="manager",
            cooperative=cooperative,
        ),
        "participant",
        name,
    )


def _placed(world: World, name: str, era: str) -> None:
    """The objects made for one area: `name`'s commune in the tree `era`."""
    from hoptac.market import services as market
    from hoptac.plans import services as plans
    from hoptac.support import services as support
    from hoptac.support.models import Policy, PolicyBudget

    unit = world.units[(name, era)]
    tag = f"{name}-{era}"
    policy = Policy.objects.create(
        code=f"mtx-{tag}".lower(),
        name=world.mark(f"Chính sách {tag}", "applies", family="policy", path=unit.path),
        kind="branding",
        area=unit,
    )
    world.put(policy, "policy", name, era)
    budget = PolicyBudget.objects.create(
        policy=policy,
        year=2019,
        area=unit,
        source="province",
        amount=Decimal(50_000_000),
        note=world.mark(f"Ngân sách {tag}", "placed", family="budget", path=unit.path),
    )
    world.put(budget, "budget", name, era)
    course = support.course_save(
        by=None,
        title=world.mark(f"Khóa {tag}", "applies", family="course", path=unit.path),
        topic="accounting",
        starts_on=date(2019, 4, 1),
        ends_on=date(2019, 4, 2),
        organiser="UBND",
        area=unit,
    )
    world.put(course, "course", name, era)
    # Its people: an officer of the area, the manager of the world's HTX, and one of Delta
    # (or, for Delta, of Alpha): a course may hold people of HTX outside its area.
    world.put(
        support.participant_save(
            by=None,
            course=course,
            name=world.mark(f"Cán bộ học {tag}", "officer", family=f"member:{tag}", path=unit.path),
            role="officer",
            area=unit,
        ),
        "officer_participant",
        name,
        era,
    )
    for other in (name, "Alpha" if name == "Delta" else "Delta"):
        world.put(
            support.participant_save(
                by=None,
                course=course,
                name=world.mark(
                    f"Thành viên {other} ở {tag}", "htx", family=f"member:{tag}", world=other
                ),
                role="member",
                cooperative=world.htx[other],
            ),
            "course_participant",
            name,
            era,
            other,
        )
    event = market.event_save(
        by=None,
        name=world.mark(f"Hội chợ {tag}", "applies", family="event", path=unit.path),
        kind="market",
        starts_on=date(2019, 10, 1),
        area=unit,
    )
    world.put(event, "event", name, era)
    world.put(
        market.participation_save(by=None, event=event, cooperative=world.htx[name], contracts=2),
        "event_participation",
        name,
        era,
    )
    empty = market.event_save(
        by=None,
        name=world.mark(f"Phiên chợ {tag}", "applies", family="event", path=unit.path),
        kind="online",
        starts_on=date(2019, 9, 1),
        area=unit,
    )
    world.put(empty, "event_empty", name, era)  # where an HTX of the area is recorded anew
    document = SimpleUploadedFile(f"kh-{tag}.pdf", b"%PDF-1.4 plan", "application/pdf")
    plan = plans.plan_create(
        by=None,
        kind="ke_hoach",
        number=f"01/KH-{tag}",
        title=world.mark(f"Kế hoạch {tag}", "placed", family="plan", path=unit.path),
        issuer="UBND",
        area=unit,
        start_year=2016,
        end_year=2020,
        document=document,
    )
    world.put(plan, "plan", name, era)
    world.put(
        plans.target_create(
            plan=plan,
            by=None,
            indicator="so_htx",
            comparison=">=",
            value=Decimal(4),
            due_on=date(2020, 12, 31),
            milestones=[(2019, Decimal(3))],
        ),
        "target",
        name,
        era,
    )


def _accounts(world: World) -> None:
    """A commune officer's account in each commune of the world, for the account pages."""
    from hoptac.accounts.models import User

    for (name, era), unit in world.units.items():
        tag = f"{name}-{era}"
        user = User(
            username=f"mtx.account.{tag}".lower(),
            role="commune_officer",
            area=unit,
            full_name=world.mark(f"Tài khoản {tag}", "account", family="account", path=unit.path),
        )
        user.set_password("Mtx-secret-pw-1")
        user.save()
        world.put(user, "account", name, era)


def _portal(world: World) -> None:
    from hoptac.portal import services as portal
    from hoptac.portal.models import Message
    from hoptac.portal.selectors import portal_province

    province = portal_province()
    for status in ("published", "draft"):
        article = portal.article_save(
            by=world.users["admin"],
            province=province,
            title=f"Tin {status}",
            summary="Tóm tắt",
            body="<p>Nội dung</p>",
            status=status,
        )
        world.put(article, "article", status)
    message = Message.objects.create(
        kind="feedback", name="Công dân", contact="cd@example.com", subject="Góp ý", content="…"
    )
    world.put(message, "message", "new")


def _imports(world: World, media_root: Any) -> None:
    """A stored import of each kind (registry, reports, support given, a course's
    participants: of the course of his area) of each role that may import."""
    from types import SimpleNamespace

    from hoptac.accounts import access
    from hoptac.core.tabular import stored as tabular_stored
    from hoptac.core.tabular.writing import write_columns
    from hoptac.registry import excel as registry_excel
    from hoptac.registry import importing as registry_importing
    from hoptac.reports import excel as reports_excel
    from hoptac.reports import excel_views as report_imports
    from hoptac.support import excel as support_excel
    from hoptac.support import importing as support_importing

    registry_file = registry_excel.template_workbook()
    reports_file = reports_excel.template_workbook()
    grants_file, participants_file = io.BytesIO(), io.BytesIO()
    write_columns(grants_file, [], columns=support_excel.GRANT_COLUMNS)
    write_columns(participants_file, [], columns=support_excel.PARTICIPANT_COLUMNS)
    grants_file, participants_file = grants_file.getvalue(), participants_file.getvalue()
    for key, user in world.users.items():
        if not access.may_create_placed(user):
            continue
        stored = registry_importing.stored_import_create(
            user=user, name="htx.xlsx", chunks=[registry_file], size=len(registry_file)
        )
        stored.fix_list = b"fix"
        stored.save(update_fields=["fix_list"])
        world.imports[("registry", key)] = stored.id.hex
        upload = SimpleUploadedFile("bao-cao.xlsx", reports_file)
        request = SimpleNamespace(user=user)
        upload_ = report_imports._store(request, upload, 2019)
        upload_.fix_list = b"fix"
        upload_.save(update_fields=["fix_list"])
        world.imports[("reports", key)] = upload_.id.hex
        grants = tabular_stored.upload_create(
            kind=support_importing.GRANTS,
            user=user,
            name="ho-tro.xlsx",
            chunks=[grants_file],
            size=len(grants_file),
        )
        grants.fix_list = b"fix"
        grants.save(update_fields=["fix_list"])
        world.imports[("support.grants", key)] = grants.id.hex
        course = world.get("course", *world.place(key, IN_WORLD))  # of his area
        participants = tabular_stored.upload_create(
            kind=support_importing.PARTICIPANTS,
            user=user,
            name="hoc-vien.xlsx",
            chunks=[participants_file],
            size=len(participants_file),
            options={"course": course.pk},
        )
        participants.fix_list = b"fix"
        participants.save(update_fields=["fix_list"])
        world.imports[("support.participants", key)] = f"{course.pk}:{participants.id.hex}"
    _product_imports(world)


def _product_imports(world: World) -> None:
    """A stored products import of each signed-in role (an HTX manager imports his own
    HTX's products)."""
    import io

    from hoptac.core.tabular import stored as tabular_stored
    from hoptac.core.tabular.writing import write_columns
    from hoptac.market import importing as market_importing

    buffer = io.BytesIO()
    write_columns(buffer, [], columns=market_importing.COLUMNS)
    data = buffer.getvalue()
    for key, user in world.users.items():
        products = tabular_stored.upload_create(
            kind=market_importing.PRODUCTS,
            user=user,
            name="san-pham.xlsx",
            chunks=[data],
            size=len(data),
        )
        products.fix_list = b"fix"
        products.save(update_fields=["fix_list"])
        world.imports[("market.products", key)] = products.id.hex


def _notifications(world: World) -> None:
    """A notification of each signed-in role (his own only, whatever his role)."""
    from hoptac.notifications.models import Notification

    for key, user in world.users.items():
        world.objects[("notification", key)] = Notification.objects.create(
            recipient=user, kind="report_approved", title=f"Thông báo của {key}", link="/"
        )


def _jobs(world: World) -> None:
    """A background job of each signed-in role, ended with its file."""
    from hoptac.jobs.models import Job

    for key, user in world.users.items():
        world.objects[("job", key)] = Job.objects.create(
            kind="registry.export",
            title=f"Xuất của {key}",
            owner=user,
            state="succeeded",
            result={"rows": 1},
            file_name="htx.csv",
            file_type="text/csv",
            file_content=b"a\n1\n",
        )


def _sign_in(world: World) -> None:
    """A client signed in for each role, made once (its session row is part of the world)."""
    for key in ROLES:
        client = Client()
        if key != "anonymous":
            client.force_login(world.users[key])
        world.clients[key] = client


def session_cookies(world: World) -> dict[str, dict[str, str]]:
    """The cookies of each role's signed-in client, to give a fresh client per test."""
    return {key: {k: v.value for k, v in c.cookies.items()} for key, c in world.clients.items()}


# --- reading what a response shows ----------------------------------------------------------


class _FormParser(HTMLParser):
    """The <form>s of a page: their method, action and the values a browser would send."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, Any]] = []
        self._form: dict[str, Any] | None = None
        self._select: tuple[str, bool, list[tuple[str, bool]]] | None = None
        self._option: list[Any] | None = None
        self._textarea: list[Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = {"method": a.get("method", "get").lower(), "action": a.get("action")}
            self._form["fields"] = []
            self.forms.append(self._form)
        if self._form is None:
            return
        fields = self._form["fields"]
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "reset", "image", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            fields.append((name, a.get("value", "on" if kind in ("checkbox", "radio") else "")))
        elif tag == "select" and name:
            self._select = (name, "multiple" in a, [])
        elif tag == "option" and self._select is not None:
            self._option = [a.get("value"), "selected" in a, ""]
        elif tag == "textarea" and name:
            self._textarea = [name, ""]

    def handle_data(self, data: str) -> None:
        if self._option is not None:
            self._option[2] += data
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "option" and self._option is not None and self._select is not None:
            value, selected, text = self._option
            self._select[2].append((text.strip() if value is None else value, selected))
            self._option = None
        elif tag == "select" and self._select is not None and self._form is not None:
            name, multiple, options = self._select
            chosen = [v for v, s in options if s]
            if not chosen and not multiple and options:
                chosen = [options[0][0]]
            self._form["fields"].extend((name, value) for value in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            name, text = self._textarea
            self._form["fields"].append((name, text.removeprefix("\n")))
            self._textarea = None
        elif tag == "form":
            self._form = None


def form_values(html: str, *, page_path: str, action_path: str) -> dict[str, Any] | None:
    """What a browser would post from the page's POST form that targets `action_path` (an
    empty action targets the page itself); None when the page has no such form."""
    parser = _FormParser()
    parser.feed(html)
    for form in parser.forms:
        if form["method"] != "post":
            continue
        action = form["action"]
        target = urlsplit(urljoin(page_path, action)).path if action else page_path
        if target != action_path:
            continue
        values: dict[str, Any] = {}
        for name, value in form["fields"]:
            if name == "csrfmiddlewaretoken":
                continue
            if name in values:
                previous = values[name]
                values[name] = (
                    [*previous, value] if isinstance(previous, list) else [previous, value]
                )
            else:
                values[name] = value
        return values
    return None


def response_rows(body: bytes, content_type: str) -> list[str]:
    """The rows of an .xlsx or .csv download (cells joined by tabs), or the page's text as
    one row."""
    if "spreadsheetml" in content_type:
        return ["\t".join(row) for row in xlsx_rows(body)]
    text = body.decode("utf-8-sig", errors="replace")
    if "csv" in content_type:
        return text.splitlines()
    return [text]


def xlsx_rows(body: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(body), read_only=True)
    rows = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            rows.append(["" if v is None else str(v) for v in row])
    return rows
