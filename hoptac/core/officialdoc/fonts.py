"""The PDF's font: Tinos, metrically compatible with Times New Roman (the decree's font, which
hoptac may not embed), with the Vietnamese glyphs, from the npm package @fontsource/tinos
(package.json; SIL OFL 1.1). The package ships each style split by script (latin, latin-ext,
vietnamese) as WOFF files; fontTools (fpdf2's own dependency) joins the three into one TrueType
file per style, once per package version, in a cache folder."""

from __future__ import annotations

import json
import os
import tempfile
from functools import cache
from pathlib import Path

from django.conf import settings

PACKAGE = "@fontsource/tinos"
SUBSETS = ("latin", "latin-ext", "vietnamese")
# fpdf2's style codes → the package's file names
STYLES = {"": "400-normal", "B": "700-normal", "I": "400-italic", "BI": "700-italic"}
FAMILY = "Tinos"


def package_dir() -> Path:
    return Path(settings.NODE_MODULES) / PACKAGE


def _merged(style: str, target: Path) -> None:
    from fontTools.merge import Merger  # type: ignore[import-untyped]
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    files = package_dir() / "files"
    with tempfile.TemporaryDirectory() as work:
        parts = []
        for subset in SUBSETS:
            font = TTFont(files / f"tinos-{subset}-{STYLES[style]}.woff")
            font.flavor = None  # WOFF → plain TrueType
            part = Path(work) / f"{subset}.ttf"
            font.save(part)
            parts.append(str(part))
        merged = Merger().merge(parts)
        partial = target.with_suffix(f".{os.getpid()}.tmp")
        merged.save(partial)
        partial.replace(target)  # atomic: a concurrent writer writes the same bytes


@cache
def font_files() -> dict[str, Path]:
    """The regular, bold, italic and bold italic TrueType files of Tinos (built on first use)."""
    manifest = package_dir() / "package.json"
    if not manifest.exists():
        raise RuntimeError(
            f"The PDF font is missing: {manifest} (install the npm packages: bin/install)"
        )
    version = json.loads(manifest.read_text(encoding="utf-8"))["version"]
    folder = Path(tempfile.gettempdir()) / f"hoptac-fonts-tinos-{version}"
    folder.mkdir(parents=True, exist_ok=True)
    result = {}
    for style in STYLES:
        target = folder / f"Tinos-{style or 'R'}.ttf"
        if not target.exists():
            _merged(style, target)
        result[style] = target
    return result
