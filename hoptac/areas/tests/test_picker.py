"""The area picker's pure parts: roots and the config carried in the endpoint's URL."""

from urllib.parse import parse_qsl, urlsplit

import pytest

from hoptac.areas.picker import PickerConfig, common_root, narrower_root, root_contains


@pytest.mark.parametrize(
    ("first", "last", "root"),
    [
        ("legacy/06/058/01840", "legacy/06/066/02164", "legacy/06"),
        ("legacy/06/064/02062", "legacy/06/064/02062", "legacy/06/064/02062"),
        ("2025/01/00004", "legacy/96/973/32248", ""),
        ("legacy/01", "legacy/96", "legacy"),
        (None, None, ""),
    ],
)
def test_common_root(first, last, root):
    assert common_root(first, last) == root


def test_root_contains_works_on_whole_codes():
    assert root_contains("legacy/06", "legacy/06/064")
    assert root_contains("", "2025/19")
    assert root_contains("legacy", "legacy/06")
    assert not root_contains("legacy/06", "legacy/060")
    assert not root_contains("legacy", "2025/19")


@pytest.mark.parametrize(
    ("a", "b", "narrower"),
    [
        ("", "legacy/06", "legacy/06"),
        ("legacy/06/064", "legacy/06", "legacy/06/064"),
        ("2025", "legacy/06", None),
    ],
)
def test_narrower_root(a, b, narrower):
    assert narrower_root(a, b) == narrower


def test_config_round_trips_through_its_url():
    config = PickerConfig(name="area", id="id_area", levels=(1, 3), era="legacy", root="legacy/06")
    params = dict(parse_qsl(urlsplit(config.url()).query, keep_blank_values=True))
    assert PickerConfig.from_params(params) == config


@pytest.mark.parametrize(
    "params",
    [
        {"name": "area", "id": "id_area", "levels": "4"},
        {"name": "a b", "id": "id_area"},
        {"name": "area", "id": "id_area", "root": "legacy/06' OR 1"},
        {"name": "area", "id": "id_area", "era": "2025", "root": "legacy/06"},
        {"name": "area", "id": "id_area", "levels": "x"},
    ],
)
def test_malformed_config_is_refused(params):
    with pytest.raises(ValueError):  # noqa: PT011  (all malformations raise the same)
        PickerConfig.from_params(params)
