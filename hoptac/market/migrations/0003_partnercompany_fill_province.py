"""Give each partner company recorded before issue #12 the province that keeps it: the
province of the officer who recorded it; none (the administrator only) when it was recorded by
the administrator, an HTX manager, or an account since deleted."""

from django.db import migrations

# accounts.choices.OFFICER_ROLES when this migration was written (migrations import no app code).
OFFICER_ROLES = ("province_officer", "district_officer", "commune_officer")


def fill_province(apps, schema_editor):
    PartnerCompany = apps.get_model("market", "PartnerCompany")
    companies = PartnerCompany.objects.filter(
        province__isnull=True,
        created_by__role__in=OFFICER_ROLES,
        created_by__is_superuser=False,
        created_by__area__isnull=False,
    ).select_related("created_by__area")
    for company in companies.iterator():
        area = company.created_by.area
        province_id = area.province_id or area.pk  # a province has no province above it
        PartnerCompany.objects.filter(pk=company.pk).update(province_id=province_id)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_user_fill_search_name"),
        ("market", "0002_partnercompany_add_province"),
    ]

    operations = [
        migrations.RunPython(fill_province, migrations.RunPython.noop),
    ]
