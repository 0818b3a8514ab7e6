"""Numbers are localised in templates (USE_THOUSAND_SEPARATOR): a primary key printed raw
becomes "5.951" in Vietnamese, which breaks links, form values and test ids. Every key
printed into a template must go through |unlocalize (or stringformat)."""

import re
from pathlib import Path

from django.conf import settings

RAW_KEY = re.compile(r"\{\{\s*[\w.]*(?:\.pk|\.id|_id|_pk)\s*\}\}")
NOT_NUMBERS = {"{{ field.auto_id }}", "{{ cfg.id }}", "{{ step.id }}", "{{ picker.config.id }}",
               "{{ criterion.id }}", "{{ item.id }}", "{{ chart_id }}", "{{ data_id }}",
               "{{ map_id }}"}  # fmt: skip


def test_no_template_prints_a_raw_primary_key():
    offending = []
    for path in sorted(Path(settings.BASE_DIR).glob("templates/**/*.html")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            offending += [
                f"{path.relative_to(settings.BASE_DIR)}:{number}: {m}"
                for m in RAW_KEY.findall(line)
                if re.sub(r"\s+", " ", m) not in NOT_NUMBERS
            ]
    assert offending == []
