"""Backup and restore of the database and the uploaded files (`manage.py backup` / `restore`).

A backup is a directory:

    manifest.json     what it holds, written last (a directory without it is no backup)
    database.dump     PostgreSQL: pg_dump's custom format (-Fc)
    database.sqlite3  SQLite: a copy made with SQLite's online backup API
    media.tar         the uploaded files (MEDIA_ROOT)

The manifest names hoptac's version, the time, the engine, the applied migrations, and for
every table its row count and a checksum of its rows (`table_summary`), so a restore can prove
that it gave back what was saved. On PostgreSQL the counts and checksums are read in the very
snapshot pg_dump dumps (`pg_export_snapshot` / `pg_dump --snapshot`), and on SQLite from the
copy, so writes made while the backup runs cannot make them disagree.

A table's checksum is independent of row order: each row's values are normalised
(`normalise`) and hashed, and the row hashes are added up modulo 2**256. No ORDER BY is
needed, so nothing depends on the collation of the server a backup is restored to, and a
table without a primary key (or with duplicate rows) is summed as the multiset it is.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tomllib
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.db.utils import load_backend
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
DUMP = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
MEDIA = "media.tar"
# Tables `migrate` fills by itself: a database holding rows only there still counts as empty.
WRITTEN_BY_MIGRATE = frozenset({"django_migrations", "django_content_type", "auth_permission"})
CHUNK = 5000
MODULUS = 2**256


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why."""


# --- checksums -------------------------------------------------------------------------------


def normalise(value: Any) -> Any:
    """A row value as plain JSON, the same before a backup and after its restore."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value.hex()  # exact
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return str(value)  # UUID, network addresses, ranges…


def row_digest(row: tuple[Any, ...]) -> int:
    encoded = json.dumps([normalise(v) for v in row], ensure_ascii=False, separators=(",", ":"))
    return int.from_bytes(hashlib.sha256(encoded.encode()).digest(), "big")


def table_summary(connection: BaseDatabaseWrapper, table: str) -> dict[str, Any]:
    """{"rows": n, "sha256": checksum} of `table`: the sum of its rows' digests, hashed with
    the count. Reads through a server-side cursor on PostgreSQL (memory stays flat)."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        columns = [c.name for c in connection.introspection.get_table_description(cursor, table)]
    select = f"SELECT {', '.join(quote(c) for c in columns)} FROM {quote(table)}"  # noqa: S608
    rows, total = 0, 0
    cursor = connection.chunked_cursor()
    try:
        cursor.execute(select)
        while batch := cursor.fetchmany(CHUNK):
            rows += len(batch)
            for row in batch:
                total = (total + row_digest(row)) % MODULUS
    finally:
        cursor.close()
    checksum = hashlib.sha256(f"{rows}:{total:064x}".encode()).hexdigest()
    return {"rows": rows, "sha256": checksum}


def table_names(connection: BaseDatabaseWrapper) -> list[str]:
    with connection.cursor() as cursor:
        return sorted(connection.introspection.table_names(cursor))


def database_summary(connection: BaseDatabaseWrapper) -> dict[str, dict[str, Any]]:
    """`table_summary` of every table of the database."""
    return {table: table_summary(connection, table) for table in table_names(connection)}


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


# --- the pieces of a backup --------------------------------------------------------------------


def engine_of(connection: BaseDatabaseWrapper) -> str:
    if connection.vendor not in DUMP:
        raise BackupError(f"backups support PostgreSQL and SQLite, not {connection.vendor}")
    return connection.vendor


def applied_migrations(connection: BaseDatabaseWrapper) -> dict[str, list[str]]:
    """The migrations recorded in the database, by app."""
    found: dict[str, list[str]] = {}
    if MigrationRecorder.Migration._meta.db_table not in table_names(connection):
        return found
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        found.setdefault(app, []).append(name)
    return found


def hoptac_version() -> str:
    with (Path(settings.BASE_DIR) / "pyproject.toml").open("rb") as handle:
        return str(tomllib.load(handle)["project"]["version"])


def wrapper_for(connection: BaseDatabaseWrapper, **changes: Any) -> BaseDatabaseWrapper:
    """A new, separate connection with the settings of `connection`, changed by `changes`.
    It keeps the alias: Django probes some of a backend's features through the alias."""
    settings_dict = {**connection.settings_dict, **changes}
    backend = load_backend(settings_dict["ENGINE"])
    return backend.DatabaseWrapper(settings_dict, connection.alias)


@dataclass
class Postgres:
    """pg_dump / pg_restore for a Django PostgreSQL connection: the tools of the server's
    major version (Debian's /usr/lib/postgresql/N/bin first, then PATH), the connection's
    host, port, user and database as arguments, and the password as PGPASSWORD."""

    connection: BaseDatabaseWrapper
    env: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        self.settings = self.connection.settings_dict
        self.env = {**os.environ}
        if self.settings.get("PASSWORD"):
            self.env["PGPASSWORD"] = str(self.settings["PASSWORD"])
        for option in ("sslmode", "sslrootcert", "sslcert", "sslkey"):
            if option in self.settings.get("OPTIONS", {}):
                self.env[f"PG{option.upper()}"] = str(self.settings["OPTIONS"][option])

    def server_major(self) -> int:
        self.connection.ensure_connection()
        return int(self.connection.pg_version) // 10000

    def tool(self, name: str) -> str:
        major = self.server_major()
        candidates = [Path(f"/usr/lib/postgresql/{major}/bin/{name}"), shutil.which(name)]
        for candidate in candidates:
            if candidate and Path(candidate).exists():
                version = subprocess.run(  # noqa: S603
                    [str(candidate), "--version"], capture_output=True, text=True, check=True
                ).stdout  # "pg_dump (PostgreSQL) 15.20 (Debian …)"
                tool_major = int(version.split(")")[1].split()[0].split(".")[0])
                if tool_major >= major:
                    return str(candidate)
        raise BackupError(
            f"no {name} of PostgreSQL {major} or later found (apt: postgresql-client)"
        )

    def connection_arguments(self) -> list[str]:
        arguments = []
        for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
            if self.settings.get(key):
                arguments += [option, str(self.settings[key])]
        return [*arguments, "--dbname", str(self.settings["NAME"])]

    def run(self, arguments: list[str]) -> None:
        done = subprocess.run(arguments, env=self.env, capture_output=True, text=True)  # noqa: S603
        if done.returncode != 0:
            raise BackupError(f"{Path(arguments[0]).name} failed: {done.stderr.strip()[-2000:]}")

    def dump(self, path: Path, snapshot: str) -> None:
        self.run(
            [
                self.tool("pg_dump"),
                *self.connection_arguments(),
                "--format=custom",
                f"--snapshot={snapshot}",
                "--no-password",
                f"--file={path}",
            ]
        )

    def restore(self, path: Path) -> None:
        self.run(
            [
                self.tool("pg_restore"),
                *self.connection_arguments(),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                "--no-password",
                str(path),
            ]
        )


def media_files(root: Path) -> Iterator[Path]:
    """The regular files under `root`, sorted (symbolic links are not followed)."""
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path


def media_digest(lines: list[str]) -> str:
    return hashlib.sha256("\n".join(sorted(lines)).encode()).hexdigest()


def media_line(root: Path, name: str) -> str:
    path = root / name
    return f"{name}\t{path.stat().st_size}\t{file_sha256(path)}"


def media_backup(root: Path, archive: Path) -> dict[str, Any]:
    """Archive the files under `root`; their count, size and a digest of their contents."""
    lines, size = [], 0
    with tarfile.open(archive, "w") as tar:
        for path in media_files(root):
            name = path.relative_to(root).as_posix()
            lines.append(media_line(root, name))
            size += path.stat().st_size
            tar.add(path, arcname=name, recursive=False)
    return {
        "file": MEDIA,
        "files": len(lines),
        "bytes": size,
        "content_sha256": media_digest(lines),
    }


def media_restore(archive: Path, root: Path) -> list[str]:
    """Unpack the archive into `root` (files of the same name are replaced, others are left
    alone); the names unpacked. tarfile's "data" filter refuses absolute paths, `..` and links
    that leave `root`."""
    root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive) as tar:
        names = [member.name for member in tar.getmembers() if member.isfile()]
        tar.extractall(root, filter="data")
    return names


# --- backup ------------------------------------------------------------------------------------


def _private_dir(path: Path) -> None:
    """The backup holds personal data: only its owner may read it."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    path.chmod(0o700)


def backup(output: Path, *, using: str = "default") -> dict[str, Any]:
    """Write a backup of database `using` and of MEDIA_ROOT into the directory `output`
    (created; refused if it already holds a backup). Returns the manifest."""
    connection = connections[using]
    engine = engine_of(connection)
    if (output / MANIFEST).exists():
        raise BackupError(f"{output} already holds a backup; give a new directory")
    _private_dir(output)
    old_umask = os.umask(0o077)
    try:
        started = timezone.now()
        dump = output / DUMP[engine]
        if engine == "postgresql":
            tables, migrations, server = _postgres_backup(connection, dump)
        else:
            tables, migrations, server = _sqlite_backup(connection, dump)
        media = media_backup(Path(settings.MEDIA_ROOT), output / MEDIA)
        media["sha256"] = file_sha256(output / MEDIA)
        manifest = {
            "format": FORMAT,
            "hoptac_version": hoptac_version(),
            "created_at": started.isoformat(),
            "seconds": round((timezone.now() - started).total_seconds(), 1),
            "engine": engine,
            "server_version": server,
            "database": {
                "file": dump.name,
                "bytes": dump.stat().st_size,
                "sha256": file_sha256(dump),
            },
            "migrations": migrations,
            "tables": tables,
            "media": media,
        }
        written = output / f".{MANIFEST}.{uuid.uuid4().hex}"
        written.write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
        written.rename(output / MANIFEST)  # last: a directory without a manifest is no backup
    finally:
        os.umask(old_umask)
    return manifest


def _postgres_backup(connection: BaseDatabaseWrapper, dump: Path) -> tuple[dict, dict, str]:
    """pg_dump in a snapshot, and the summaries and migrations read in that same snapshot."""
    tools = Postgres(connection)
    reader = wrapper_for(connection)
    try:
        reader.ensure_connection()
        with reader.cursor() as cursor:
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
            snapshot, server = cursor.fetchone()
        tools.dump(dump, snapshot)
        tables = database_summary(reader)
        migrations = applied_migrations(reader)
        with reader.cursor() as cursor:
            cursor.execute("COMMIT")
    finally:
        reader.close()
    return tables, migrations, server


def read_only_uri(path: Path) -> str:
    return f"{path.resolve().as_uri()}?mode=ro"


def _sqlite_backup(connection: BaseDatabaseWrapper, dump: Path) -> tuple[dict, dict, str]:
    """A copy by SQLite's online backup API; the summaries are read from the copy."""
    connection.ensure_connection()
    copy = sqlite3.connect(dump)
    try:
        connection.connection.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    finally:
        copy.close()
    reader = wrapper_for(connection, NAME=read_only_uri(dump), OPTIONS={})
    try:
        return database_summary(reader), applied_migrations(reader), sqlite3.sqlite_version
    finally:
        reader.close()


# --- restore -----------------------------------------------------------------------------------


@dataclass
class RestoreReport:
    tables: int = 0
    rows: int = 0
    media_files: int = 0
    mismatches: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def read_manifest(source: Path) -> dict[str, Any]:
    path = source / MANIFEST
    if not path.is_file():
        raise BackupError(f"{source} holds no {MANIFEST}: not a (complete) backup")
    manifest = json.loads(path.read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r} (this is {FORMAT})")
    return manifest


def tables_with_rows(connection: BaseDatabaseWrapper) -> list[str]:
    """The tables holding rows, besides those `migrate` fills by itself."""
    quote = connection.ops.quote_name
    found = []
    with connection.cursor() as cursor:
        for table in table_names(connection):
            if table in WRITTEN_BY_MIGRATE:
                continue
            cursor.execute(f"SELECT 1 FROM {quote(table)} LIMIT 1")  # noqa: S608
            if cursor.fetchone():
                found.append(table)
    return found


def check_migrations(manifest: dict[str, Any]) -> list[str]:
    """Refuse a backup made by a later hoptac (migrations this code does not have); the notes
    name the migrations the code has beyond the backup's (to run `migrate` after)."""
    saved = {(app, name) for app, names in manifest["migrations"].items() for name in names}
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = sorted(saved - known)
    if unknown:
        listed = ", ".join(f"{app}.{name}" for app, name in unknown[:10])
        raise BackupError(
            f"the backup has migrations this code does not know ({listed}): it was made by a "
            f"later hoptac ({manifest['hoptac_version']}); restore it with that version"
        )
    newer = sorted(known - saved)
    if newer:
        return [f"{len(newer)} migrations of this code are not in the backup: run `migrate`"]
    return []


def verify(connection: BaseDatabaseWrapper, manifest: dict[str, Any]) -> list[str]:
    """The tables whose row count or checksum differ from the manifest's."""
    present = set(table_names(connection))
    mismatches = []
    for table, expected in manifest["tables"].items():
        if table not in present:
            mismatches.append(f"{table}: missing")
            continue
        found = table_summary(connection, table)
        if found != expected:
            mismatches.append(
                f"{table}: {found['rows']} rows (backup {expected['rows']})"
                if found["rows"] != expected["rows"]
                else f"{table}: checksum differs ({found['rows']} rows)"
            )
    return mismatches


def restore(source: Path, *, using: str = "default", force: bool = False) -> RestoreReport:
    """Restore the backup in `source` into database `using` and MEDIA_ROOT, then compare every
    table with the manifest. Refuses a database that holds data unless `force`."""
    connection = connections[using]
    manifest = read_manifest(source)
    engine = engine_of(connection)
    if manifest["engine"] != engine:
        raise BackupError(f"the backup is of {manifest['engine']}, this database is {engine}")
    report = RestoreReport(notes=check_migrations(manifest))
    holding = tables_with_rows(connection)
    if holding and not force:
        raise BackupError(
            f"the database is not empty ({len(holding)} tables hold rows, e.g. {holding[0]}); "
            "restore into an empty database, or pass --force to replace its contents"
        )
    dump = source / manifest["database"]["file"]
    archive = source / manifest["media"]["file"]
    for path, expected in ((dump, manifest["database"]), (archive, manifest["media"])):
        if not path.is_file() or file_sha256(path) != expected["sha256"]:
            raise BackupError(f"{path.name} is missing or damaged (its checksum differs)")

    if engine == "postgresql":
        Postgres(connection).restore(dump)
        connection.close()  # the tables it knew were dropped and made again
    else:
        connection.ensure_connection()
        saved = sqlite3.connect(read_only_uri(dump), uri=True)
        try:
            saved.backup(connection.connection)
        finally:
            saved.close()
        connection.close()

    media_root = Path(settings.MEDIA_ROOT)
    names = media_restore(archive, media_root)
    report.media_files = len(names)
    report.mismatches = verify(connection, manifest)
    lines = [media_line(media_root, name) for name in names]
    if (len(lines), media_digest(lines)) != (
        manifest["media"]["files"],
        manifest["media"]["content_sha256"],
    ):
        report.mismatches.append("media: the restored files differ from the backup's")
    report.tables = len(manifest["tables"])
    report.rows = sum(t["rows"] for t in manifest["tables"].values())
    extra = set(table_names(connection)) - set(manifest["tables"])
    if extra:
        report.notes.append(
            f"tables not in the backup, left as they were: {', '.join(sorted(extra))}"
        )
    return report
