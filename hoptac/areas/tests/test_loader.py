"""The loader copies both trees and the old -> new mapping from vietnamadminunits, once."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, Q

from hoptac.areas.choices import Era, Level
from hoptac.areas.loader import areas_load, unit_counts
from hoptac.areas.models import AdminUnit, Succession

pytestmark = pytest.mark.django_db

EXPECTED = {
    "legacy": {"province": 63, "district": 696, "commune": 10035},
    "2025": {"province": 34, "commune": 3321},
}


def test_both_trees_are_loaded_with_the_official_counts():
    assert unit_counts() == EXPECTED


def test_every_old_commune_has_a_successor_and_exactly_one_default():
    communes = AdminUnit.objects.filter(era=Era.LEGACY, level=Level.COMMUNE).annotate(
        n=Count("successions"),
        defaults=Count("successions", filter=Q(successions__is_default=True)),
    )
    assert not communes.filter(n=0).exists()
    assert not communes.exclude(defaults=1).exists()
    assert communes.filter(n__gt=1).count() == 471  # divided among several new communes


def test_successors_are_communes_of_the_2025_tree():
    assert not Succession.objects.exclude(new__era=Era.CURRENT, new__level=Level.COMMUNE).exists()
    assert not Succession.objects.exclude(old__era=Era.LEGACY).exists()


def test_a_second_load_skips_and_a_forced_one_does_not_duplicate():
    units, links = AdminUnit.objects.count(), Succession.objects.count()
    assert areas_load().skipped
    result = areas_load(force=True)
    assert not result.skipped
    assert result.successions == links == 10602
    assert (AdminUnit.objects.count(), Succession.objects.count()) == (units, links)


def test_stats_json_prints_the_counts():
    out = StringIO()
    call_command("areas", "stats", "--format", "json", stdout=out)
    assert json.loads(out.getvalue()) == EXPECTED


def test_stats_text_prints_one_line_per_tree():
    out = StringIO()
    call_command("areas", "stats", stdout=out)
    assert out.getvalue().splitlines() == [
        "legacy: province 63, district 696, commune 10035",
        "2025: province 34, commune 3321",
    ]
