"""The rule files and their loader: both documents load and match the domain files; a bad
file fails loudly with the file and the key; choosing the rules for a year and sector."""

import ast
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from hoptac.ratings.rules import (
    DATA_DIR,
    AmbiguousRulesError,
    RulesError,
    available,
    load_all,
    load_file,
    load_rules,
    operated_months,
    parse,
    rules_for,
)

MINIMAL = """
schema: 1
id: mini
document: {number: "99/2099/TT-X", title_vi: "Thử", issuer: "Bộ X", source: "test"}
validity:
  {valid_from: 2030-01-01, repealed_on: NOT_FOUND, evaluation_years: [2030, 2031], source: "test"}
scope: {kinds: [htx], sectors: [nong_nghiep], source: "test"}
rating_date: {month: 12, day: 31, source: "test"}
total_max: 10
sum_over_max: error
indicators:
  von: {name_vi: "Vốn", unit: VND, source: "test"}
groups:
  - id: A
    name_vi: "Nhóm A"
    max: 10
    article: "Điều 1"
    source: "test"
    criteria:
      - id: "1"
        name_vi: "Tiêu chí 1"
        max: 5
        article: "Điều 1"
        source: "test"
        sub_items:
          - {id: 1a, name_vi: "Một a", max: 2, source: "test", rule: NOT_FOUND}
          - id: 1b
            name_vi: "Một b"
            max: NOT_FOUND
            source: "test"
            rule:
              confidence: low
              source: "test"
              value: {change: von}
              cases:
                - {above: 0, points: 1, label_vi: "tăng"}
      - {id: "2", name_vi: "Tiêu chí 2", max: 5, article: "Điều 1", source: "test", rule: NOT_FOUND}
ranks:
  - {code: tot, name_vi: "Tốt", from: 5, to: 10, article: "Điều 2", source: "test"}
  - {code: yeu, name_vi: "Yếu", from: 0, below: 5, article: "Điều 2", source: "test"}
extra_conditions: {found: false, source: "test"}
exclusions:
  - {id: moi, when: {operated_months_below: 12}, reason_vi: "Mới", article: "Điều 3",
     source: "test"}
overrides: []
"""


def _minimal():
    return yaml.safe_load(MINIMAL)


def test_every_rule_file_loads():
    assert available() == ["tt01-2020", "tt09-2017"]
    assert [rules.id for rules in load_all()] == available()


def test_tt01_matches_the_domain_file():
    rules = load_rules("tt01-2020")
    # Domain checksums: group I 7+6+11+6 = 30, II 8+6+6+6+4 = 30, III 40 (split NOT_FOUND).
    assert [(g.id, g.max_points) for g in rules.groups] == [("I", 30), ("II", 30), ("III", 40)]
    assert [c.max_points for c in rules.groups[0].criteria] == [7, 6, 11, 6]
    assert [c.max_points for c in rules.groups[1].criteria] == [8, 6, 6, 6, 4]
    assert [c.max_points for c in rules.groups[2].criteria] == [None] * 6
    assert [c.id for c in rules.criteria()] == [str(n) for n in range(1, 16)]
    assert len(rules.item_ids()) == 23
    assert [i.id for i in rules.items() if i.rule] == ["1b", "2b"]
    assert (rules.valid_from, rules.repealed_on) == (date(2020, 4, 1), date(2025, 9, 18))
    assert (rules.first_year, rules.last_year, rules.rating_date(2021)) == (
        2020, 2024, date(2021, 12, 15),
    )  # fmt: skip
    assert [e.id for e in rules.exclusions] == ["qtdnd_nhnn", "moi_thanh_lap", "ngung_hoat_dong"]
    assert rules.overrides == ()


def test_tt09_matches_the_domain_file():
    rules = load_rules("tt09-2017")
    criterion_1 = rules.groups[0].criteria[0]
    # 8 + 10 + 10 + 5 + 5 = 38; criteria 2–6 share 100 − 38 = 62.
    assert [i.max_points for i in criterion_1.items] == [8, 10, 10, 5, 5]
    assert [g.max_points for g in rules.groups] == [38, 62]
    assert rules.item_ids() == (
        "1.1", "1.2", "1.3", "1.4", "1.5", "2.1", "2.x", "3", "4", "5", "6",
    )  # fmt: skip
    assert (rules.valid_from, rules.repealed_on, rules.issued) == (None, None, date(2017, 4, 17))
    assert [(o.id, o.rank) for o in rules.overrides] == [("xu_phat_hanh_chinh", "yeu")]
    assert rules.kinds == {"htx"}
    assert rules.sectors == {"nong_nghiep"}


def test_minimal_file_loads_and_bounds_unknown_maxima_by_the_parent():
    rules = parse(_minimal(), "mini.yaml")
    item = next(i for i in rules.items() if i.id == "1b")
    assert (item.max_points, item.bound, item.bound_of) == (None, 5, "tiêu chí 1")


def _error(data, file="mini.yaml"):
    with pytest.raises(RulesError) as raised:
        parse(data, file)
    return str(raised.value)


def _edit(path, value):
    """A copy of the minimal file with `value` at `path` (keys and list indexes)."""
    data = _minimal()
    node = data
    for key in path[:-1]:
        node = node[key]
    if value is KeyError:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return data


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("ranks",), KeyError, "mini.yaml: ranks: missing"),
        (("schema",), 2, "mini.yaml: schema: this loader reads schema 1, got 2"),
        (("id",), "other", "mini.yaml: id: must equal the file name without .yaml ('mini')"),
        (
            ("groups", 0, "criteria", 0, "sub_items", 0, "max"), "six",
            "mini.yaml: groups[0].criteria[0].sub_items[0].max: expected a number or NOT_FOUND,"
            " got 'six'",
        ),
        (
            ("groups", 0, "criteria", 0, "sub_items", 0, "max"), 6,
            "mini.yaml: groups[0].criteria[0].sub_items[0].max: above the max 5 of tiêu chí 1",
        ),
        (
            ("groups", 0, "criteria", 1, "max"), 6,
            "mini.yaml: groups[0].criteria: the maxima add up to 11, not this node's max 10",
        ),
        (
            ("groups", 0, "max"), 4,
            "mini.yaml: groups[0].criteria[0].max: above the group's max 4",
        ),
        (
            ("groups", 0, "max"), 9,
            "mini.yaml: groups[0].criteria: the maxima add up to 10, not this node's max 9",
        ),
        (
            ("total_max",), 11,
            "mini.yaml: groups: the groups' maxima add up to 10, not total_max 11",
        ),
        (
            ("groups", 0, "criteria", 0, "sub_items", 1, "rule", "cases", 0, "points"), 6,
            "mini.yaml: groups[0].criteria[0].sub_items[1].rule.cases[0].points: 6 points is above"
            " the max 5",
        ),
        (
            ("groups", 0, "criteria", 0, "sub_items", 1, "rule", "value"), {"change": "loi"},
            "mini.yaml: groups[0].criteria[0].sub_items[1].rule.value.change: indicator 'loi' is"
            " not declared under `indicators`",
        ),
        (
            ("groups", 0, "criteria", 0, "sub_items", 0, "id"), 1.1,
            "mini.yaml: groups[0].criteria[0].sub_items[0].id: quote the id (YAML read 1.1 as a"
            " number)",
        ),
        (
            ("groups", 0, "criteria", 0, "sub_items", 0, "id"), "2",
            "mini.yaml: groups: the id '2' appears twice",
        ),
        (
            ("ranks", 0, "from"), 6,
            "mini.yaml: ranks: rank tot must start where the previous band ends (5) without a gap"
            " or an overlap",
        ),
        (("ranks", 0, "to"), 9, "mini.yaml: ranks: the bands must end at `to: 10` (inclusive)"),
        (
            ("exclusions", 0, "when"), {"founded_before": 2},
            "mini.yaml: exclusions[0].when.founded_before: unknown condition",
        ),
        (
            ("scope", "kinds"), ["tht"],
            "mini.yaml: scope.kinds: unknown code 'tht' (expected htx, lien_hiep, qtdnd)",
        ),
        (
            ("rating_date", "day"), 32,
            "mini.yaml: rating_date: not a day of every year: month 12, day 32",
        ),
        (("sum_over_max",), "warn", "mini.yaml: sum_over_max: expected one of error, cap"),
    ],
)  # fmt: skip
def test_malformed_file_names_file_and_key(path, value, message):
    assert _error(_edit(path, value)).startswith(message)


def test_rating_date_must_exist_every_year():
    data = _minimal()
    data["rating_date"].update(month=2, day=29)
    assert _error(data) == "mini.yaml: rating_date: not a day of every year: month 2, day 29"


def test_typo_in_a_key_is_refused():
    data = _minimal()
    data["groups"][0]["criteria"][1]["maxx"] = 5
    assert _error(data).startswith("mini.yaml: groups[0].criteria[1].maxx: unknown key")


def test_criterion_needs_sub_items_or_a_rule():
    data = _minimal()
    del data["groups"][0]["criteria"][1]["rule"]
    assert _error(data) == (
        "mini.yaml: groups[0].criteria[1]: give either sub_items or rule (the criterion scored as"
        " a whole)"
    )


def test_bad_yaml_and_unknown_id_name_the_file(tmp_path: Path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(RulesError, match=r"^broken\.yaml: not valid YAML"):
        load_file(broken)
    with pytest.raises(RulesError, match=r"nope\.yaml: no such rule file \(available: broken\)"):
        load_rules("nope", directory=tmp_path)


def test_a_new_circular_is_a_new_file(tmp_path: Path):
    (tmp_path / "mini.yaml").write_text(MINIMAL, encoding="utf-8")
    rules = load_rules("mini", directory=tmp_path)
    assert (rules.id, rules.total_max, rules.path) == ("mini", 10, "mini.yaml")


# ---- which rules apply -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "sector", "expected"),
    [
        pytest.param(2016, "nong_nghiep", None, id="trước TT09"),
        pytest.param(2017, "nong_nghiep", "tt09-2017", id="TT09: 2017 nông nghiệp"),
        pytest.param(2019, "nong_nghiep", "tt09-2017", id="TT09: 2019 nông nghiệp"),
        pytest.param(2019, "phi_nong_nghiep", None, id="2019 phi nông nghiệp: không có"),
        pytest.param(2020, "nong_nghiep", "tt01-2020", id="TT01 từ 2020, cả nông nghiệp"),
        pytest.param(2024, "phi_nong_nghiep", "tt01-2020", id="TT01: 2024"),
        pytest.param(2025, "nong_nghiep", None, id="TT01 bãi bỏ 18/09/2025"),
    ],
)
def test_rules_for_year_and_sector(year, sector, expected):
    chosen = rules_for(load_all(), year=year, sector=sector)
    assert (chosen.id if chosen else None) == expected


def test_narrower_scope_wins_and_equal_scopes_are_ambiguous():
    tt01, tt09 = load_rules("tt01-2020"), load_rules("tt09-2017")
    overlapping = replace(tt09, first_year=2020, last_year=2020)
    assert rules_for([tt01, overlapping], year=2020, sector="nong_nghiep") is overlapping
    twin = replace(tt01, id="twin")
    with pytest.raises(AmbiguousRulesError):
        rules_for([tt01, twin], year=2021, sector="nong_nghiep")


@pytest.mark.parametrize(
    ("founded", "through", "months"),
    [
        (date(2019, 1, 1), date(2019, 12, 31), 12),
        (date(2019, 1, 2), date(2019, 12, 31), 11),
        (date(2020, 12, 16), date(2021, 12, 15), 12),
        (date(2020, 1, 31), date(2020, 2, 28), 1),  # 31/1 + 1 month = 29/2 (leap year)
        (date(2020, 1, 31), date(2020, 2, 27), 0),
        (date(2022, 1, 1), date(2021, 12, 15), 0),
    ],
)
def test_operated_months(founded, through, months):
    assert operated_months(founded, through) == months


def test_rules_package_is_pure():
    """rules/ imports neither Django nor other hoptac apps (STYLE.md §2.2)."""
    package = DATA_DIR.parent
    for path in package.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            for name in names:
                assert not name.startswith(("django", "hoptac")), f"{path.name} imports {name}"


def test_rule_points_are_decimals():
    rules = load_rules("tt09-2017")
    case = rules.groups[0].criteria[0].items[0].rule.cases[1]
    assert case.interval.lower == Decimal("1.00")
    assert isinstance(case.points, Decimal)
