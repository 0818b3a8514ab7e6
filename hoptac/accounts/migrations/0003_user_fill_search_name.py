"""Fill User.search_name for accounts created before the column existed."""

import re

from django.db import migrations
from unidecode import unidecode


def fill_search_name(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    for user in User.objects.only("pk", "username", "full_name").iterator():
        folded = re.sub(r"\s+", " ", unidecode(f"{user.username} {user.full_name}").lower()).strip()
        User.objects.filter(pk=user.pk).update(search_name=folded)


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0002_user_add_search_name"),
    ]

    operations = [
        migrations.RunPython(fill_search_name, migrations.RunPython.noop),
    ]
