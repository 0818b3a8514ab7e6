"""`manage.py backup` / `manage.py restore` (hoptac.core.backup), on the database the tests run
on: SQLite (a second file as the empty target) or PostgreSQL (a second database made with
CREATE DATABASE).

pg_dump and the online backup API read committed data, so these tests commit their rows
(outside the test transaction, as the browser tests' `committed` does) and delete them after.
"""

import io
import json
import uuid
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connections
from django.utils import timezone

from hoptac.core.backup import database_summary, table_summary
from hoptac.indicators.models import TallyMark, TallyState

MEDIA = {
    "plans/2026/nghị-quyết 05.pdf": b"%PDF-1.4 Ngh\xe1\xbb\x8b quy\xe1\xba\xbft",
    "market/products/chè-tân-cương.jpg": bytes(range(256)) * 40,
    "empty.txt": b"",
}


def _write_media(root) -> None:
    for name, content in MEDIA.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)


def _committed_rows():
    """Rows of several column types (date-times, floats, nulls, text, a database default)
    besides the administrative units every test database holds."""
    state = TallyState.objects.create(
        first_year=2006,
        last_year=2026,
        built_at=timezone.now() - timedelta(hours=5),
        refreshed_at=None,
        build_seconds=12.345678,
    )
    marks = [
        TallyMark.objects.create(commune=None, since=0, sources=""),
        TallyMark.objects.create(commune=4242, since=2019, sources="ratings,registry"),
    ]
    return [state, *marks]


@pytest.fixture
def committed_data(django_db_blocker):
    with django_db_blocker.unblock():
        rows = _committed_rows()
    yield rows
    with django_db_blocker.unblock():
        for row in rows:
            row.delete()


@pytest.fixture
def empty_database(django_db_blocker, tmp_path):
    """The alias of a second, empty database of the same engine."""
    alias = f"restored_{uuid.uuid4().hex[:8]}"
    default = connections["default"]
    settings_dict = dict(default.settings_dict)
    with django_db_blocker.unblock():
        if default.vendor == "postgresql":
            settings_dict["NAME"] = f"{default.settings_dict['NAME']}_{alias}"
            with default.cursor() as cursor:
                cursor.execute(f'CREATE DATABASE "{settings_dict["NAME"]}"')
        else:
            settings_dict["NAME"] = str(tmp_path / f"{alias}.sqlite3")
        connections.settings[alias] = settings_dict
        yield alias
        connections[alias].close()
        del connections[alias]
        del connections.settings[alias]
        if default.vendor == "postgresql":
            with default.cursor() as cursor:
                cursor.execute(f'DROP DATABASE "{settings_dict["NAME"]}" WITH (FORCE)')


@pytest.fixture
def made_backup(tmp_path, settings, committed_data, django_db_blocker):
    """A backup of the test database and of an uploads folder; the path of its directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
    _write_media(settings.MEDIA_ROOT)
    output = tmp_path / "backup"
    with django_db_blocker.unblock():
        call_command("backup", "--output", str(output), stdout=io.StringIO())
    settings.MEDIA_ROOT = tmp_path / "restored-media"
    return output


def _restore(directory, alias, *extra) -> str:
    out = io.StringIO()
    call_command("restore", str(directory), "--database", alias, *extra, stdout=out)
    return out.getvalue()


def test_a_backup_restores_into_an_empty_database_with_every_table_equal(
    made_backup, empty_database, settings, django_db_blocker
):
    manifest = json.loads((made_backup / "manifest.json").read_text())
    with django_db_blocker.unblock():
        output = _restore(made_backup, empty_database)
        source = database_summary(connections["default"])
        restored = database_summary(connections[empty_database])
    assert "restored and verified" in output
    assert sorted(restored) == sorted(source) == sorted(manifest["tables"])
    assert restored == source  # every table: the same row count and checksum
    assert source["areas_adminunit"]["rows"] > 14_000  # both trees of units
    assert source["areas_succession"]["rows"] > 10_000
    assert source["indicators_tallystate"]["rows"] == 1
    assert source["indicators_tallymark"]["rows"] == 2
    assert manifest["engine"] == connections["default"].vendor
    assert manifest["migrations"]["indicators"][:2] == [
        "0001_tally",
        "0002_tally_marked_at_refreshed_at",
    ]
    for name, content in MEDIA.items():
        assert (settings.MEDIA_ROOT / name).read_bytes() == content
    assert manifest["media"]["files"] == len(MEDIA)


def test_restore_refuses_a_database_that_holds_data(made_backup, django_db_blocker):
    with django_db_blocker.unblock(), pytest.raises(CommandError, match="not empty"):
        _restore(made_backup, "default")


def test_restore_refuses_a_backup_of_another_engine(made_backup, empty_database, django_db_blocker):
    manifest_path = made_backup / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["engine"] = "sqlite" if manifest["engine"] == "postgresql" else "postgresql"
    manifest_path.write_text(json.dumps(manifest))
    with django_db_blocker.unblock(), pytest.raises(CommandError, match="backup is of"):
        _restore(made_backup, empty_database)
    with django_db_blocker.unblock():
        assert database_summary(connections[empty_database]) == {}  # nothing was restored


def test_restore_refuses_a_backup_made_by_a_later_version(
    made_backup, empty_database, django_db_blocker
):
    manifest_path = made_backup / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["migrations"]["indicators"].append("0999_from_the_future")
    manifest_path.write_text(json.dumps(manifest))
    with django_db_blocker.unblock(), pytest.raises(CommandError, match="0999_from_the_future"):
        _restore(made_backup, empty_database)


def test_restore_refuses_a_damaged_dump(made_backup, empty_database, django_db_blocker):
    manifest = json.loads((made_backup / "manifest.json").read_text())
    dump = made_backup / manifest["database"]["file"]
    data = bytearray(dump.read_bytes())
    data[len(data) // 2] ^= 0xFF
    dump.write_bytes(bytes(data))
    with django_db_blocker.unblock(), pytest.raises(CommandError, match="damaged"):
        _restore(made_backup, empty_database)


def test_restore_fails_when_a_table_differs_from_the_manifest(
    made_backup, empty_database, django_db_blocker
):
    manifest_path = made_backup / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["tables"]["indicators_tallymark"]["rows"] = 3
    manifest["tables"]["areas_adminunit"]["sha256"] = "0" * 64
    manifest_path.write_text(json.dumps(manifest))
    errors = io.StringIO()
    with django_db_blocker.unblock(), pytest.raises(CommandError, match="2 checks differ"):
        call_command(
            "restore",
            str(made_backup),
            "--database",
            empty_database,
            stdout=io.StringIO(),
            stderr=errors,
        )
    assert errors.getvalue().splitlines() == [
        f"areas_adminunit: checksum differs ({manifest['tables']['areas_adminunit']['rows']} rows)",
        "indicators_tallymark: 2 rows (backup 3)",
    ]


def test_restore_with_force_replaces_the_contents(made_backup, empty_database, django_db_blocker):
    with django_db_blocker.unblock():
        _restore(made_backup, empty_database)
        TallyMark.objects.using(empty_database).all().delete()  # a change after the backup
        with pytest.raises(CommandError, match="not empty"):
            _restore(made_backup, empty_database)
        output = _restore(made_backup, empty_database, "--force")
        assert "restored and verified" in output
        assert TallyMark.objects.using(empty_database).count() == 2


def test_backup_refuses_a_directory_that_holds_a_backup(made_backup, django_db_blocker):
    with django_db_blocker.unblock(), pytest.raises(CommandError, match="already holds a backup"):
        call_command("backup", "--output", str(made_backup))


@pytest.mark.django_db
def test_a_table_checksum_sees_every_value_but_not_the_row_order():
    table = TallyMark._meta.db_table
    connection = connections["default"]
    first = TallyMark.objects.create(commune=1, since=2020, sources="registry")
    TallyMark.objects.create(commune=2, since=2021, sources="ratings")
    before = table_summary(connection, table)
    assert before["rows"] == 2

    TallyMark.objects.filter(pk=first.pk).update(sources="registrY")
    assert table_summary(connection, table)["sha256"] != before["sha256"]
    TallyMark.objects.filter(pk=first.pk).update(sources="registry", commune=None)
    assert table_summary(connection, table)["sha256"] != before["sha256"]
    TallyMark.objects.filter(pk=first.pk).update(commune=1)
    assert table_summary(connection, table) == before

    rows = list(TallyMark.objects.order_by("-pk").values())
    TallyMark.objects.all().delete()
    for row in rows:  # written again in the other order
        TallyMark.objects.create(**row)
    assert table_summary(connection, table) == before
