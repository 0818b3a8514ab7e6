"""`manage.py check --deploy` is clean with the production environment the README documents
(its "Deployment" section's `export` lines), HSTS included (issue 12, defect 7).

The check runs in a subprocess, since settings are read from the environment at start-up. The
secret key file named in the README is replaced by a temporary one holding a long random key;
every other variable is the README's own value (the check connects to no database or cache).
"""

import os
import re
import secrets
import shlex
import subprocess
import sys
from pathlib import Path

from django.conf import settings

README = Path(settings.BASE_DIR) / "README.md"


def documented_environment() -> dict[str, str]:
    """The variables the README's deployment example exports."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## Deployment", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert block, "the README's Deployment section has no ```sh block"
    variables: dict[str, str] = {}
    for line in block.group(1).splitlines():
        if line.startswith("export "):
            words = shlex.split(line[len("export ") :], comments=True)
            variables.update(word.split("=", 1) for word in words)
    return variables


def run_check(environment: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess:
    secret = tmp_path / "secret_key"
    secret.write_text(secrets.token_urlsafe(50), encoding="utf-8")
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "HOPTAC_"))}
    keep.pop("DATABASE_URL", None)
    keep.pop("REDIS_URL", None)
    env = {**keep, **environment, "DJANGO_SECRET_KEY_FILE": str(secret)}
    env["HOPTAC_VAR_DIR"] = str(tmp_path / "var")  # the settings create it
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_readme_documents_a_production_environment_with_hsts():
    environment = documented_environment()
    assert environment["DJANGO_SETTINGS_MODULE"] == "config.settings.base"
    assert environment["HOPTAC_BEHIND_HTTPS_PROXY"] == "true"
    assert int(environment["HOPTAC_HSTS_SECONDS"]) >= 31_536_000
    assert "DJANGO_DEBUG" not in environment or environment["DJANGO_DEBUG"] == "false"


def test_deploy_check_is_clean_with_the_documented_environment(tmp_path):
    result = run_check(documented_environment(), tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout + result.stderr


def test_deploy_check_still_warns_without_hsts(tmp_path):
    """The check is a real one: turning HSTS off is reported."""
    environment = {**documented_environment(), "HOPTAC_HSTS_SECONDS": "0"}
    result = run_check(environment, tmp_path)
    assert result.returncode != 0
    assert "security.W004" in result.stdout + result.stderr
