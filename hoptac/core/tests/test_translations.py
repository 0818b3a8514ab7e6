"""The Vietnamese catalogue is complete, and `compile_translations` builds what Django reads."""

import shutil
from io import StringIO
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

PO_FILE = Path(settings.BASE_DIR) / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def _entries() -> list[polib.POEntry]:
    return [entry for entry in polib.pofile(str(PO_FILE)) if not entry.obsolete]


def _report(msgids: list[str], problem: str) -> str:
    shown = "\n  ".join(msgids[:20])
    more = f"\n  … and {len(msgids) - 20} more" if len(msgids) > 20 else ""
    return f"{len(msgids)} entries of {PO_FILE.name} {problem}:\n  {shown}{more}"


def test_vietnamese_catalogue_has_no_untranslated_entry():
    missing = [entry.msgid for entry in _entries() if not entry.translated() and not entry.fuzzy]
    assert not missing, _report(missing, "have no Vietnamese translation")


def test_vietnamese_catalogue_has_no_fuzzy_entry():
    fuzzy = [entry.msgid for entry in _entries() if entry.fuzzy]
    assert not fuzzy, _report(fuzzy, "are fuzzy: check the translation and clear the flag")


def test_vietnamese_catalogue_is_not_empty():
    assert len(_entries()) > 50


@pytest.fixture
def fresh_locale(tmp_path: Path) -> Path:
    """A project folder whose only catalogue is a copy of locale/vi's .po, not yet compiled."""
    target = tmp_path / "locale" / "vi" / "LC_MESSAGES"
    target.mkdir(parents=True)
    shutil.copy(PO_FILE, target / "django.po")
    return tmp_path


def _in(folder: Path) -> override_settings:
    # Entering or leaving the override empties Django's cache of loaded catalogues. The public
    # pages' cache keys a page by the catalogues the process started with (fragments.release),
    # not by one compiled while it runs, as here: it is off for these requests.
    return override_settings(
        BASE_DIR=folder, LOCALE_PATHS=[folder / "locale"], HOPTAC_FRAGMENT_CACHE=False
    )


@pytest.mark.django_db
def test_compiled_catalogue_is_what_django_uses(client, fresh_locale):
    with _in(fresh_locale):
        assert "Đăng nhập" not in client.get("/").content.decode()
    out = StringIO()
    with _in(fresh_locale):
        call_command("compile_translations", stdout=out)
        vietnamese = client.get("/").content.decode()
        english = client.get("/en/").content.decode()
    assert out.getvalue().strip() == "compiled locale/vi/LC_MESSAGES/django.mo"
    assert (fresh_locale / "locale" / "vi" / "LC_MESSAGES" / "django.mo").stat().st_size > 0
    assert "Đăng nhập" in vietnamese
    assert "Sign in" in english
    assert "Đăng nhập" not in english


def test_compile_translations_skips_an_up_to_date_catalogue(fresh_locale):
    with _in(fresh_locale):
        call_command("compile_translations", stdout=StringIO())
        again = StringIO()
        call_command("compile_translations", stdout=again)
    assert again.getvalue() == ""
