"""Cooperative.name_key: the name folded (rules.name_key), by which an import matches a row to
an organisation of the same commune, with an index per tree's commune. Existing rows are filled
in batches of BATCH (ordered by pk), before the indexes are built."""

from django.conf import settings
from django.db import migrations, models

BATCH = 5000


def fill_name_keys(apps, schema_editor):
    """One UPDATE … FROM (VALUES …) per batch (a join, where bulk_update's CASE would compare
    every row of the batch with every other); the same SQL on PostgreSQL and SQLite."""
    from hoptac.registry.rules import name_key  # a pure function: the key's definition

    cooperative = apps.get_model("registry", "Cooperative")
    connection = schema_editor.connection
    table = connection.ops.quote_name(cooperative._meta.db_table)
    rows = cooperative.objects.using(connection.alias).order_by("pk")
    last = 0
    while True:
        batch = list(rows.filter(pk__gt=last).values_list("pk", "name")[:BATCH])
        if not batch:
            return
        last = batch[-1][0]
        values = ", ".join(["(%s, %s)"] * len(batch))
        params = [item for pk, name in batch for item in (pk, name_key(name))]
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET name_key = v.column2 FROM (VALUES {values}) AS v "  # noqa: S608
                f"WHERE {table}.id = v.column1",
                params,
            )


class Migration(migrations.Migration):
    dependencies = [
        ("areas", "0001_initial"),
        ("registry", "0002_cooperative_search_trigram_index_postgresql"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="cooperative",
            name="name_key",
            field=models.TextField(blank=True, editable=False, verbose_name="name key"),
        ),
        migrations.AddField(
            model_name="historicalcooperative",
            name="name_key",
            field=models.TextField(blank=True, editable=False, verbose_name="name key"),
        ),
        migrations.RunPython(fill_name_keys, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="cooperative",
            index=models.Index(fields=["commune", "name_key"], name="coop_commune_name_key"),
        ),
        migrations.AddIndex(
            model_name="cooperative",
            index=models.Index(
                fields=["commune_legacy", "name_key"], name="coop_communel_name_key"
            ),
        ),
    ]
