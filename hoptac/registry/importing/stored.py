"""The page: the uploaded file and its state between requests, and the progress of a run."""

from __future__ import annotations

import json
import shutil
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache
from django.http import Http404
from django.utils import timezone

from hoptac.registry.excel import ImportFileError
from hoptac.registry.importing.layout import ColumnMap, Layout, check_size, read_layout
from hoptac.registry.importing.rows import RowPlan, Summary
from hoptac.registry.importing.running import run_import

if TYPE_CHECKING:
    from hoptac.accounts.models import User

# --- the page: the uploaded file and its state between requests -----------------------


def imports_root() -> Path:
    """Where uploaded files wait between the page's steps (never under MEDIA_ROOT)."""
    return Path(settings.VAR_DIR) / "imports"


@dataclass
class StoredImport:
    """An uploaded file waiting for the officer: its folder holds the file, meta.json (owner,
    name, layout, mapping), plans.jsonl (the last check or import) and the fix-list."""

    id: str
    folder: Path
    meta: dict[str, Any]

    @property
    def source(self) -> Path:
        return self.folder / self.meta["stored_name"]

    @property
    def filename(self) -> str:
        return str(self.meta["filename"])

    @property
    def layout(self) -> Layout | None:
        data = self.meta.get("layout")
        return Layout.from_dict(data) if data else None

    @property
    def mapping(self) -> ColumnMap | None:
        layout = self.layout
        if layout is None:
            return None
        keys = self.meta.get("mapping")
        return ColumnMap.chosen(layout, keys) if keys else ColumnMap.proposed(layout)

    @property
    def summary(self) -> dict[str, Any] | None:
        return self.meta.get("summary")

    @property
    def plans_path(self) -> Path:
        return self.folder / "plans.jsonl"

    @property
    def fix_list_path(self) -> Path:
        layout = self.layout
        suffix = ".csv" if layout is not None and layout.format == "csv" else ".xlsx"
        return self.folder / f"fix-list{suffix}"

    def save(self) -> None:
        (self.folder / "meta.json").write_text(json.dumps(self.meta, ensure_ascii=False))

    def plans(self, action: str = "", offset: int = 0, limit: int = 100) -> tuple[list[Any], int]:
        """Stored plans of the last run (filtered by action), a page of them and the count."""
        if not self.plans_path.exists():
            return [], 0
        page: list[Any] = []
        count = 0
        with self.plans_path.open(encoding="utf-8") as handle:
            for line in handle:
                plan = json.loads(line)
                if action and plan["action"] != action:
                    continue
                if offset <= count < offset + limit:
                    page.append(plan)
                count += 1
        return page, count


def _owner_id(user: User | None) -> int | None:
    return user.pk if user is not None else None


def stored_import_create(
    *, user: User, name: str, chunks: Iterable[bytes], size: int
) -> StoredImport:
    """Keep an uploaded file for the steps of the import page, and read its layout.

    ImportFileError (file too large, unreadable, no header) leaves nothing behind.
    """
    check_size(size)
    _sweep()
    import_id = uuid.uuid4().hex
    folder = imports_root() / import_id
    folder.mkdir(parents=True)
    suffix = Path(name).suffix.lower()[:8]
    stored_name = "source" + (suffix if suffix.isascii() else "")
    with (folder / stored_name).open("wb") as handle:
        for chunk in chunks:
            handle.write(chunk)
    stored = StoredImport(
        import_id,
        folder,
        {"owner": user.pk, "filename": Path(name).name[:200], "stored_name": stored_name},
    )
    try:
        stored.meta["layout"] = read_layout(stored.source).as_dict()
    except ImportFileError:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    stored.save()
    return stored


def stored_import_get(*, user: User, import_id: str) -> StoredImport:
    """The user's own stored import; 404 for anyone else's or a missing one."""
    if not import_id.isalnum():
        raise Http404
    folder = imports_root() / import_id
    try:
        meta = json.loads((folder / "meta.json").read_text())
    except (OSError, ValueError) as error:
        raise Http404 from error
    if meta.get("owner") != user.pk:
        raise Http404
    return StoredImport(import_id, folder, meta)


def _sweep(max_age: timedelta = timedelta(days=1)) -> None:
    """Remove stored imports older than a day."""
    root = imports_root()
    if not root.exists():
        return
    limit = (timezone.now() - max_age).timestamp()
    for folder in root.iterdir():
        try:
            if folder.is_dir() and folder.stat().st_mtime < limit:
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue


def progress_key(import_id: str) -> str:
    return f"registry-import-progress:{import_id}"


def progress_of(import_id: str) -> dict[str, Any] | None:
    """The last progress an import reported: {"phase", "done", "total"}."""
    return cache.get(progress_key(import_id))


def stored_import_run(
    stored: StoredImport,
    *,
    user: User,
    keys: Sequence[str | None] | None,
    commit: bool,
    valid_only: bool = False,
) -> Summary:
    """Check (commit False) or import the stored file with the officer's column choices,
    recording progress in the cache and each row's plan for the preview."""
    layout = stored.layout
    assert layout is not None  # noqa: S101  (stored_import_create always reads one)
    if keys is not None:
        stored.meta["mapping"] = list(keys)
    mapping = stored.mapping
    assert mapping is not None  # noqa: S101
    key = progress_key(stored.id)

    def progress(phase: str, done: int, total: int) -> None:
        cache.set(key, {"phase": phase, "done": done, "total": total}, timeout=3600)

    progress("check", 0, 1)
    fix_list = stored.fix_list_path if valid_only else None
    with stored.plans_path.open("w", encoding="utf-8") as plans:

        def keep(plan: RowPlan) -> None:
            plans.write(json.dumps(plan.as_dict(), ensure_ascii=False) + "\n")

        try:
            summary = run_import(
                stored.source,
                user=user,
                layout=layout,
                mapping=mapping,
                dry_run=not commit,
                valid_only=valid_only,
                fix_list=fix_list,
                filename=stored.filename,
                progress=progress,
                on_plan=keep,
            )
        finally:
            cache.delete(key)
    stored.meta["summary"] = {**summary.as_dict(), "errors": []}
    stored.meta["committed"] = commit and summary.written
    stored.save()
    return summary
