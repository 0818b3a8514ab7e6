"""Pure rules of the registry, without a database."""

from datetime import date

import pytest

from hoptac.registry import rules
from hoptac.registry.choices import (
    EXISTING_STATUSES,
    TRANSITIONS,
    Sector,
    Status,
    SubSector,
    sector_of,
)
from hoptac.registry.rules import Dated

HISTORY = [
    Dated(date(2015, 3, 1), Status.ACTIVE),
    Dated(date(2020, 4, 1), Status.SUSPENDED),
    Dated(date(2021, 4, 1), Status.ACTIVE),
    Dated(date(2022, 3, 15), Status.DISSOLVING),
    Dated(date(2023, 1, 10), Status.DISSOLVED),
]


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2015, 2, 28), None),
        (date(2015, 3, 1), Status.ACTIVE),
        (date(2020, 3, 31), Status.ACTIVE),
        (date(2020, 4, 1), Status.SUSPENDED),
        (date(2021, 4, 1), Status.ACTIVE),
        (date(2022, 12, 31), Status.DISSOLVING),
        (date(2030, 1, 1), Status.DISSOLVED),
    ],
)
def test_status_at_is_the_last_change_on_or_before_the_day(on, expected):
    assert rules.status_at(HISTORY, on) == expected


def test_status_at_does_not_need_the_history_sorted():
    assert rules.status_at(list(reversed(HISTORY)), date(2020, 5, 1)) == Status.SUSPENDED


def test_status_at_same_day_the_later_recorded_wins():
    history = [Dated(date(2020, 1, 1), Status.ACTIVE), Dated(date(2020, 1, 1), Status.SUSPENDED)]
    assert rules.status_at(history, date(2020, 1, 1)) == Status.SUSPENDED


@pytest.mark.parametrize(
    ("old", "new", "allowed"),
    [
        pytest.param(Status.ACTIVE, Status.SUSPENDED, True, id="ND92-suspend"),
        pytest.param(Status.SUSPENDED, Status.ACTIVE, True, id="ND92-resume"),
        pytest.param(Status.SUSPENDED, Status.SUSPENDED, True, id="ND92-renew-suspension"),
        pytest.param(Status.ACTIVE, Status.DISSOLVING, True, id="ND92-art50-resolution"),
        pytest.param(Status.DISSOLVING, Status.DISSOLVED, True, id="ND92-art50-final"),
        pytest.param(Status.REVOKED, Status.DISSOLVING, True, id="compulsory-dissolution"),
        pytest.param(Status.ACTIVE, Status.DISSOLVED, False, id="no-dissolution-without-procedure"),
        pytest.param(Status.DISSOLVED, Status.ACTIVE, False, id="dissolved-is-final"),
        pytest.param(Status.BANKRUPT, Status.ACTIVE, False, id="bankrupt-is-final"),
        pytest.param(Status.ACTIVE, Status.ACTIVE, False, id="no-change-to-itself"),
    ],
)
def test_transitions(old, new, allowed):
    assert rules.may_transition(old, new) is allowed


def test_every_status_has_its_transitions_and_only_known_targets():
    assert set(TRANSITIONS) == set(Status.values)
    for targets in TRANSITIONS.values():
        assert targets <= set(Status.values)


def test_dissolved_and_bankrupt_do_not_count_as_existing():
    assert Status.DISSOLVED not in EXISTING_STATUSES
    assert Status.BANKRUPT not in EXISTING_STATUSES
    assert {Status.ACTIVE, Status.SUSPENDED, Status.DISSOLVING} <= EXISTING_STATUSES


@pytest.mark.parametrize(
    ("code", "valid"),
    [
        ("4700123456", True),
        ("0100109106", True),
        ("470012345", False),
        ("47001234567", False),
        ("47001234-5", False),
        ("4700123456-001", False),
        ("", False),
        ("470012345a", False),
        ("４７００１２３４５６", False),  # full-width digits are not the code
    ],
)
def test_tax_code_has_exactly_ten_digits(code, valid):
    assert rules.is_valid_tax_code(code) is valid


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("che my phuong", "HTX Chè Mỹ Phương"),
        ("CHÈ MỸ", "HTX Chè Mỹ Phương"),
        ("hop tac xa che", "HTX Chè Mỹ Phương"),
        ("htx cao phong", "Hợp tác xã Cao Phong"),
        ("to hop tac", "THT Trồng rau Lương Bằng"),
    ],
)
def test_search_fold_matches_without_diacritics_and_abbreviations(query, text):
    stored = rules.search_fold(text)
    assert all(word in stored for word in rules.search_words(query))


def test_search_words_of_an_unrelated_name_do_not_match():
    stored = rules.search_fold("HTX Trần Phú")
    assert not all(word in stored for word in rules.search_words("che my phuong"))


def test_sub_sectors_belong_to_their_sector():
    assert sector_of(SubSector.LIVESTOCK) == Sector.AGRICULTURAL
    assert sector_of(SubSector.AGRI_SERVICES) == Sector.AGRICULTURAL
    assert sector_of(SubSector.TRANSPORT) == Sector.NON_AGRICULTURAL
    assert sector_of(SubSector.CREDIT) == Sector.NON_AGRICULTURAL
