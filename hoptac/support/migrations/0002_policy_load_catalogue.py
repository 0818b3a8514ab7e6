"""Load the State's support policies (hoptac/support/data/policies.yaml) into Policy.

Reads the data file itself (no hoptac import, as migrations must not); `manage.py
support_catalogue` refreshes the same rows later, matched by code.
"""

from pathlib import Path

import yaml
from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "policies.yaml"


def load(apps, schema_editor):
    Policy = apps.get_model("support", "Policy")
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    eligibility = data["eligibility"]
    sources = "\n".join([*data["sources"], *eligibility["sources"]])
    for item in data["policies"]:
        Policy.objects.update_or_create(
            code=item["code"],
            defaults={
                "name": item["name"],
                "kind": item["kind"],
                "legal_basis": data["legal_basis"],
                "content": item.get("content", ""),
                "criteria": list(eligibility["criteria"]),
                "criteria_basis": eligibility["basis"],
                "criteria_from": eligibility["in_force_from"],
                "valid_from": data["valid_from"],
                "source": sources,
                "area": None,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("support", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
