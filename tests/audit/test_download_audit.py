"""Every export and download writes an entry of the audit log (hoptac.accounts.audit).

The URL resolver is walked: a view whose name or path says "file" (export, template, fix list,
document, xuat, mau, tep…) or whose code builds a file response must be listed in DOWNLOADS
(and is then requested here, and must write exactly one entry, with the rows it exported) or
in NOT_DOWNLOADS with the reason. A new download view fails this test until it is classified;
the middleware records it anyway, but the test makes sure its rows are counted.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLResolver, get_resolver, reverse

from hoptac.accounts.choices import AuditAction
from hoptac.accounts.models import AuditEntry
from hoptac.market import services as market_services
from hoptac.market.choices import Category, LinkKind
from hoptac.plans import services as plan_services
from hoptac.registry import importing as registry_importing
from hoptac.registry.models import Cooperative
from hoptac.registry.tests.factories import CooperativeFactory, legacy_unit
from hoptac.registry.tests.files import builders
from hoptac.reports.tests.factories import approved_report
from hoptac.support import services as support_services
from hoptac.support.choices import CourseTopic, FundingSource, ParticipantRole, PolicyKind
from hoptac.support.models import Policy

pytestmark = pytest.mark.django_db

# what in a view's code makes a file (a view that calls one of these is a download)
FILE_MARKERS = (
    "FileResponse(",
    "Content-Disposition",
    "as_attachment",
    "export_response(",
    "template_response(",
    "export_csv(",
    "export_xlsx(",
    "StreamingHttpResponse(",
)
NAME_WORDS = {"export", "download", "template", "fix", "document", "file", "photo", "attachment"}
PATH_WORDS = {"xuat", "tai", "mau", "tep", "van", "xlsx", "docx", "pdf", "csv"}

NOT_DOWNLOADS = {
    "market:product_photo": "a product's picture, shown inline on its page (no personal data)",
    "ratings:area_propose": "'de-xuat' is 'propose' (a POST that proposes ratings)",
    "ratings:rating_repropose": "'de-xuat-lai' is 'propose again' (a POST)",
    "sitemap": "the public sitemap.xml, shown inline",
}


@dataclass(frozen=True)
class World:
    """One object of each kind a download needs, all in Bắc Kạn (old tree)."""

    cooperative: Cooperative
    course_pk: int
    attachment_pk: int
    report_pk: int
    plan_pk: int
    registry_import: str
    report_import: str
    grant_import: str
    participant_import: str
    product_import: str
    area_pk: int
    job_pk: int


@pytest.fixture
def world(settings, tmp_path, admin, luong_bang, bac_kan) -> World:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VAR_DIR = tmp_path
    cooperative = CooperativeFactory(name="HTX Chè Mỹ Phương", tax_code="4700000101")
    CooperativeFactory(name="HTX Nghĩa Tá", commune_legacy=legacy_unit("02071"))
    policy = Policy.objects.create(
        code="bk-test", name="Hỗ trợ nhãn hiệu", kind=PolicyKind.BRANDING, area=bac_kan
    )
    grant = support_services.grant_record(
        by=None, cooperative=cooperative, policy=policy, granted_on=date(2019, 5, 2),
        source=FundingSource.PROVINCE, amount=Decimal(12_000_000),
    )  # fmt: skip
    attachment = support_services.attachment_add(
        grant=grant, file=SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4"), by=None
    )
    support_services.budget_save(
        by=None, policy=policy, year=2019, area=bac_kan, source=FundingSource.PROVINCE,
        amount=Decimal(80_000_000),
    )  # fmt: skip
    course = support_services.course_save(
        by=None, title="Tập huấn Luật HTX", topic=CourseTopic.COOPERATIVE_LAW,
        starts_on=date(2019, 3, 1), ends_on=date(2019, 3, 2), organiser="UBND xã", area=luong_bang,
    )  # fmt: skip
    support_services.participant_save(
        by=None, course=course, name="Lục Văn Phong", role=ParticipantRole.MANAGER,
        cooperative=cooperative,
    )  # fmt: skip
    market_services.product_save(
        by=None, cooperative=cooperative, name="Chè Shan tuyết", category=Category.TEA, unit="kg"
    )
    company = market_services.company_save(
        by=None, name="Công ty TNHH Nông sản Việt Bắc", tax_code="4700900001", address="Bắc Kạn"
    )
    market_services.link_save(
        by=None, cooperative=cooperative, company=company, kind=LinkKind.OUTPUT,
        product_name="Chè", starts_on=date(2019, 1, 1),
    )  # fmt: skip
    report = approved_report(cooperative)
    plan = plan_services.plan_create(
        by=None, kind="nghi_quyet", number="01-NQ/HU", title="Phát triển kinh tế tập thể",
        issuer="Huyện ủy Chợ Đồn", area=bac_kan, start_year=2016, end_year=2020,
        document=SimpleUploadedFile("nq.pdf", b"%PDF-1.4 test"),
    )  # fmt: skip
    return World(
        cooperative=cooperative,
        course_pk=course.pk,
        attachment_pk=attachment.pk,
        report_pk=report.pk,
        plan_pk=plan.pk,
        registry_import=_registry_import(admin),
        report_import=_report_import(admin, tmp_path),
        grant_import=_support_import(admin, "support.grants", {}),
        participant_import=_support_import(admin, "support.participants", {"course": course.pk}),
        product_import=_support_import(admin, "market.products", {}),
        area_pk=luong_bang.pk,
        job_pk=_export_job(admin),
    )


def _export_job(user: Any) -> int:
    """A background export of `user` that ended with its file (of 3 rows)."""
    from hoptac.jobs.models import Job

    job = Job.objects.create(
        kind="registry.export", title="Xuất", owner=user, state="succeeded",
        result={"rows": 3}, file_name="htx.csv", file_type="text/csv", file_content=b"a\n1\n2\n3\n",
    )  # fmt: skip
    return job.pk


def _registry_import(user: Any) -> str:
    """A stored registry import of `user` with a fix list."""
    data = builders.xlsx([builders.HEADER, *builders.sample_rows()])
    stored = registry_importing.stored_import_create(
        user=user, name="ds.xlsx", chunks=[data], size=len(data)
    )
    stored.fix_list = builders.xlsx([builders.HEADER])
    stored.save(update_fields=["fix_list"])
    return stored.id.hex


def _report_import(user: Any, var_dir: Any) -> str:
    """A stored reports import of `user` with a fix list (the row the import page keeps)."""
    from hoptac.core.models import StoredUpload

    upload = StoredUpload.objects.create(
        kind="reports",
        owner=user,
        filename="bao-cao.xlsx",
        content=b"",
        meta={"layout": {"format": "xlsx"}},
        fix_list=builders.xlsx([builders.HEADER]),
    )
    return upload.id.hex


def _support_import(user: Any, kind: str, options: dict[str, Any]) -> str:
    """A stored support (or products) list import of `user` with a fix list (the row the
    import page keeps)."""
    from hoptac.core.models import StoredUpload

    upload = StoredUpload.objects.create(
        kind=kind,
        owner=user,
        filename="ds.xlsx",
        content=b"",
        meta={"layout": {"format": "xlsx"}, "options": options},
        fix_list=builders.xlsx([builders.HEADER]),
    )
    return upload.id.hex


@dataclass(frozen=True)
class Download:
    """How to request one download, and how many rows it must say it exported (None: a file,
    not a list)."""

    url: Callable[[World], str]
    query: dict[str, str]
    rows: Callable[[World], int] | None = None


def _url(name: str, *args: Callable[[World], Any]) -> Callable[[World], str]:
    return lambda w: reverse(name, args=[arg(w) for arg in args])


def _count(model_path: str) -> Callable[[World], int]:
    def count(_w: World) -> int:
        from django.apps import apps

        return apps.get_model(model_path).objects.count()

    return count


DOWNLOADS: dict[str, list[Download]] = {
    "registry:cooperative_export": [
        Download(_url("registry:cooperative_export"), {}, _count("registry.Cooperative")),
        Download(
            _url("registry:cooperative_export"), {"format": "csv", "q": "4700000101"}, lambda w: 1
        ),
    ],
    "registry:cooperative_import_template": [
        Download(_url("registry:cooperative_import_template"), {})
    ],
    "registry:cooperative_import_fix_list": [
        Download(_url("registry:cooperative_import_fix_list", lambda w: w.registry_import), {})
    ],
    "reports:report_import_template": [Download(_url("reports:report_import_template"), {})],
    "reports:report_import_fix_list": [
        Download(_url("reports:report_import_fix_list", lambda w: w.report_import), {})
    ],
    "reports:report_export": [
        Download(_url("reports:report_export"), {"year": "2019"}, _count("reports.AnnualReport"))
    ],
    "reports:national_forms_xlsx": [
        Download(_url("reports:national_forms_xlsx", lambda w: w.report_pk), {})
    ],
    "reports:national_forms_docx": [
        Download(_url("reports:national_forms_docx", lambda w: w.report_pk), {})
    ],
    "support:budget_export": [
        Download(_url("support:budget_export"), {}, _count("support.PolicyBudget"))
    ],
    "support:grant_export": [
        Download(_url("support:grant_export"), {}, _count("support.SupportGrant"))
    ],
    "support:grant_template": [Download(_url("support:grant_template"), {})],
    "support:grant_import_fix_list": [
        Download(_url("support:grant_import_fix_list", lambda w: w.grant_import), {})
    ],
    "support:participant_import_fix_list": [
        Download(
            _url(
                "support:participant_import_fix_list",
                lambda w: w.course_pk,
                lambda w: w.participant_import,
            ),
            {},
        )
    ],
    "support:participant_template": [Download(_url("support:participant_template"), {})],
    "support:participant_export": [
        Download(
            _url("support:participant_export", lambda w: w.course_pk),
            {},
            _count("support.Participant"),
        )
    ],
    "support:attachment_download": [
        Download(_url("support:attachment_download", lambda w: w.attachment_pk), {})
    ],
    "market:product_export": [
        Download(_url("market:product_export"), {}, _count("market.Product"))
    ],
    "market:product_template": [Download(_url("market:product_template"), {})],
    "market:product_import_fix_list": [
        Download(_url("market:product_import_fix_list", lambda w: w.product_import), {})
    ],
    # the reminder letter: a page, and a DOCX or PDF with ?format=
    "reports:reminder_letter": [
        Download(
            _url("reports:reminder_letter", lambda w: w.cooperative.pk, lambda w: 2025),
            {"format": "docx"},
        ),
        Download(
            _url("reports:reminder_letter", lambda w: w.cooperative.pk, lambda w: 2025),
            {"format": "pdf"},
        ),
    ],
    "market:link_export": [
        Download(_url("market:link_export"), {}, _count("market.ValueChainLink"))
    ],
    "plans:plan_document": [Download(_url("plans:plan_document", lambda w: w.plan_pk), {})],
    # the written report: a page, and a file with ?format=
    "indicators:report": [Download(_url("indicators:report"), {"format": "docx"})],
    # the file a background job wrote (a large export: its rows counted when it ran)
    "jobs:file": [Download(_url("jobs:file", lambda w: w.job_pk), {}, lambda w: 3)],
}

CASES = [(name, i) for name, downloads in DOWNLOADS.items() for i in range(len(downloads))]


# --- the resolver: every download view is classified --------------------------------------


def _views() -> Iterator[tuple[str, str, Any]]:
    """(name, path, callback) of every named URL, admin site left out."""

    def walk(patterns: list[Any], namespace: str, prefix: str) -> Iterator[tuple[str, str, Any]]:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, inner, route)
            elif pattern.name:
                yield namespace + pattern.name, route, pattern.callback

    for name, route, callback in walk(get_resolver().url_patterns, "", ""):
        if not name.startswith("admin:"):
            yield name, route, callback


def _source(callback: Any) -> str:
    target = getattr(callback, "view_class", None) or inspect.unwrap(callback)
    try:
        return inspect.getsource(target)
    except (OSError, TypeError):
        return ""


def _looks_like_a_download(name: str, route: str, callback: Any) -> bool:
    words = set(re.split(r"[_:]", name))
    segments = set(re.split(r"[/\-.<>]", route))
    if words & NAME_WORDS or segments & PATH_WORDS:
        return True
    return any(marker in _source(callback) for marker in FILE_MARKERS)


def test_every_download_view_is_classified():
    found = {name for name, route, cb in _views() if _looks_like_a_download(name, route, cb)}
    unknown = found - set(DOWNLOADS) - set(NOT_DOWNLOADS)
    assert not unknown, (
        f"views that look like downloads, neither in DOWNLOADS nor in NOT_DOWNLOADS: {unknown}"
    )


def test_the_lists_name_only_existing_views():
    names = {name for name, _route, _cb in _views()}
    assert set(DOWNLOADS) <= names
    assert set(NOT_DOWNLOADS) <= names


# --- each download writes one entry --------------------------------------------------------


@pytest.mark.parametrize(("name", "index"), CASES, ids=[f"{n}-{i}" for n, i in CASES])
def test_download_writes_one_audit_entry(client, admin, world, name, index):
    download = DOWNLOADS[name][index]
    client.force_login(admin)
    before = AuditEntry.objects.count()
    response = client.get(download.url(world), download.query, REMOTE_ADDR="198.51.100.9")
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Disposition"].startswith("attachment")
    b"".join(response.streaming_content if response.streaming else [response.content])
    assert AuditEntry.objects.count() == before + 1
    entry = AuditEntry.objects.latest("id")
    assert entry.actor == admin
    assert entry.ip_address == "198.51.100.9"
    assert entry.detail["view"] == name
    assert entry.detail["query"] == download.query
    assert entry.detail["file"]
    assert entry.detail["format"] == entry.detail["file"].rsplit(".", 1)[1].lower()
    if download.rows is None:
        assert entry.action == AuditAction.DOWNLOAD
        assert "rows" not in entry.detail
    else:
        assert entry.action == AuditAction.EXPORT
        assert entry.detail["rows"] == download.rows(world) > 0


def test_a_refused_export_writes_nothing(client, outsider, world):
    client.force_login(outsider)
    before = AuditEntry.objects.count()
    url = reverse("support:participant_export", args=[world.course_pk])
    assert client.get(url).status_code == 404
    assert AuditEntry.objects.count() == before


def test_a_page_writes_nothing(client, admin, world):
    client.force_login(admin)
    before = AuditEntry.objects.count()
    assert client.get(reverse("indicators:report")).status_code == 200  # the page, no format
    assert client.get(reverse("registry:cooperative_list")).status_code == 200
    assert AuditEntry.objects.count() == before
