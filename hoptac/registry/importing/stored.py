"""The import page's uploaded file between requests: hoptac.core.tabular.stored, for the
registry's kind."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from hoptac.core.models import StoredUpload
from hoptac.core.tabular import Progress, Summary, stored
from hoptac.registry.importing.running import KIND

if TYPE_CHECKING:
    from hoptac.accounts.models import User

__all__ = ["StoredUpload", "stored_import_create", "stored_import_get", "stored_import_run"]


def stored_import_create(
    *, user: User, name: str, chunks: Iterable[bytes], size: int
) -> StoredUpload:
    """Keep an uploaded file for the steps of the import page, and read its layout.

    ImportFileError (file too large, unreadable, no header) leaves nothing behind.
    """
    return stored.upload_create(kind=KIND.name, user=user, name=name, chunks=chunks, size=size)


def stored_import_get(*, user: User, import_id: str) -> StoredUpload:
    """The user's own stored import; 404 for anyone else's or a missing one."""
    return stored.upload_get(user=user, upload_id=import_id, kind=KIND.name)


def stored_import_run(
    upload: StoredUpload,
    *,
    user: User,
    keys: Sequence[str | None] | None,
    commit: bool,
    valid_only: bool = False,
    progress: Progress | None = None,
) -> Summary:
    """Check (commit False) or import the stored file with the officer's column choices."""
    return stored.upload_run(
        upload, user=user, keys=keys, commit=commit, valid_only=valid_only, progress=progress
    )
