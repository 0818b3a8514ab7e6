"""The API's pure rules, without the database."""

import pytest

from hoptac.api import rules


def test_a_token_parses_back_to_its_lookup_and_digest():
    made = rules.token_new()
    assert made.text.startswith("hoptac_")
    assert rules.token_parse(made.text) == (made.lookup, made.digest)


def test_a_token_is_stored_only_as_the_hash_of_its_secret():
    made = rules.token_new()
    secret = made.text.removeprefix(f"hoptac_{made.lookup}_")
    assert secret not in made.digest
    assert made.digest == rules.token_digest(secret)


@pytest.mark.parametrize(
    "text", ["", "hoptac_", "Bearer x", "hoptac_zzzzzzzz_" + "a" * 43, "other_12345678_" + "a" * 43]
)
def test_what_is_not_a_token_does_not_parse(text):
    assert rules.token_parse(text) is None


def test_two_tokens_differ():
    assert rules.token_new().text != rules.token_new().text


@pytest.mark.parametrize("key", ["HTX Chè", None, 12, "2020-01-02"])
def test_a_cursor_gives_back_its_key_and_id(key):
    cursor = rules.cursor_encode(order="name", key=key, pk=42)
    assert rules.cursor_decode(cursor, order="name") == (key, 42)


def test_a_cursor_of_another_order_is_refused():
    cursor = rules.cursor_encode(order="name", key="a", pk=1)
    with pytest.raises(rules.CursorError):
        rules.cursor_decode(cursor, order="-name")


@pytest.mark.parametrize("cursor", ["", "%%%", "bm90IGpzb24", "WzEsMiwzXQ", "WyJuYW1lIiwiYSIsLTFd"])
def test_a_forged_cursor_is_refused(cursor):
    with pytest.raises(rules.CursorError):
        rules.cursor_decode(cursor, order="name")


def test_the_etag_names_the_version_of_the_object():
    tag = rules.etag_of(7, 3)
    assert rules.version_of(tag, 7) == 3
    assert rules.version_of("W/" + tag, 7) == 3
    assert rules.version_of(f'"x", {tag}', 7) == 3
    assert rules.version_of(tag, 8) is None
    assert rules.version_of("garbage", 7) is None


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("", "vi"),
        ("en", "en"),
        ("en-US,en;q=0.9", "en"),
        ("fr, en;q=0.5", "en"),
        ("vi;q=0.4, en;q=0.8", "en"),
        ("en;q=0.5, vi", "vi"),
        ("de", "vi"),
        ("en;q=abc", "vi"),
    ],
)
def test_the_language_follows_accept_language(header, language):
    assert rules.language_of(header) == language


def test_fields_are_chosen_in_the_resources_order():
    assert rules.fields_chosen("b, a", ("a", "b", "c")) == (["a", "b"], [])
    assert rules.fields_chosen("", ("a", "b")) == (["a", "b"], [])
    assert rules.fields_chosen("a,zz", ("a", "b")) == (["a"], ["zz"])


@pytest.mark.parametrize(
    ("limit", "size"), [(1, 1), (3, 1), (39, 1), (40, 2), (60, 3), (1200, 60), (100000, 100)]
)
def test_a_process_claims_a_twentieth_of_the_limit_at_most_100(limit, size):
    assert rules.lease_size(limit) == size


@pytest.mark.parametrize(
    ("total", "claimed", "limit", "granted"),
    [
        (60, 60, 1200, 60),  # the first block
        (1200, 60, 1200, 60),  # the last one that fits
        (1210, 60, 1200, 50),  # crosses the limit: only what is left
        (1260, 60, 1200, 0),  # beyond it
        (4, 1, 3, 0),
    ],
)
def test_the_calls_granted_never_exceed_the_limit(total, claimed, limit, granted):
    assert rules.lease_granted(total=total, claimed=claimed, limit=limit) == granted


def test_processes_claiming_in_turn_are_granted_the_limit_exactly():
    limit, size, total, granted = 1000, rules.lease_size(1000), 0, 0
    for _process_turn in range(40):  # more claims than the limit holds
        total += size
        granted += rules.lease_granted(total=total, claimed=size, limit=limit)
    assert granted == limit
