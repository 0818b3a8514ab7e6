"""On PostgreSQL, finer statistics of the folded search text (1,000 histogram entries instead
of 100), so that the planner's estimate of a search's matches, which the list shows above
HOPTAC_EXACT_COUNT_LIMIT and takes instead of counting far above it, is close for a word:
"hop tac xa che" at 1,000,000 organisations 44,383 expected for 35,542 found before, 35,070
after (bench/README.md, "Search"). Other databases: nothing."""

from django.db import migrations


def finer_statistics(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE registry_cooperative ALTER COLUMN search_text SET STATISTICS 1000"
    )
    schema_editor.execute("ANALYZE registry_cooperative (search_text)")


def default_statistics(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE registry_cooperative ALTER COLUMN search_text SET STATISTICS -1"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0004_covering_indexes_for_indicators"),
    ]

    operations = [
        migrations.RunPython(finer_statistics, default_statistics),
    ]
