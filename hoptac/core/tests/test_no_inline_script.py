"""The Content-Security-Policy allows scripts from our own files only (config/security.py), so
no template may hold code the browser would refuse: an inline <script>, an event-handler
attribute (onclick=…), a javascript: URL, htmx's hx-on, or an htmx attribute htmx would have
to eval (a trigger filter `[…]`, `js:` values). JSON data blocks (json_script, or a <script
type="application/json">) are data, not code, and are allowed."""

import re
from pathlib import Path

import pytest
from django.conf import settings

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")")
EVENT_HANDLER = re.compile(r"<[a-zA-Z][^>]*?\son[a-z]+\s*=", re.DOTALL)
JAVASCRIPT_URL = re.compile(r"javascript:", re.IGNORECASE)
HX_ON = re.compile(r"\shx-on(?::[\w:.-]+|-[\w-]+)?\s*=")
HX_JS_VALUES = re.compile(r"""hx-(?:vals|vars|headers)\s*=\s*["']\s*js:""")
HX_TRIGGER = re.compile(r"""hx-trigger\s*=\s*(?:"([^"]*)"|'([^']*)')""")


class TriggerFilter:
    """An htmx trigger with a filter, `click[ctrlKey]` or `every 1s [cond]`, which htmx evals
    (brackets in a `from:` CSS selector, `from:input[type=search]`, are not filters)."""

    @staticmethod
    def search(text: str) -> bool:
        for match in HX_TRIGGER.finditer(text):
            for spec in (match.group(1) or match.group(2)).split(","):
                words = spec.split()
                event = words[1:3] if words[:1] == ["every"] else words[:1]  # every <time> [filter]
                if any("[" in word for word in event):
                    return True
        return False


RULES = {
    "inline script": INLINE_SCRIPT,
    "event handler attribute": EVENT_HANDLER,
    "javascript: URL": JAVASCRIPT_URL,
    "hx-on": HX_ON,
    "htmx eval": HX_JS_VALUES,
    "htmx trigger filter": TriggerFilter,
}


def template_files() -> list[Path]:
    base = Path(settings.BASE_DIR)
    return sorted([*base.glob("templates/**/*.html"), *base.glob("hoptac/*/templates/**/*.html")])


def offences(text: str) -> list[str]:
    return [name for name, rule in RULES.items() if rule.search(text)]


def test_no_template_holds_code_the_policy_refuses():
    found = [
        f"{path.relative_to(settings.BASE_DIR)}: {name}"
        for path in template_files()
        for name in offences(path.read_text(encoding="utf-8"))
    ]
    assert found == []
    assert len(template_files()) > 100  # the walk found the templates


@pytest.mark.parametrize(
    ("snippet", "offence"),
    [
        ("<script>alert(1)</script>", "inline script"),
        ("<script defer>go()</script>", "inline script"),
        ('<button type="button"\n  onclick="go()">', "event handler attribute"),
        ('<body onload="go()">', "event handler attribute"),
        ('<a href="javascript:go()">', "javascript: URL"),
        ('<button hx-on:click="go()">', "hx-on"),
        ('<div hx-on="click: go()">', "hx-on"),
        ('<div hx-trigger="every 1s [ready()]">', "htmx trigger filter"),
        ("<div hx-trigger='load, click[ctrlKey]'>", "htmx trigger filter"),
        ("<div hx-vals='js:{a: go()}'>", "htmx eval"),
    ],
)
def test_the_guard_catches_each_kind(snippet, offence):
    assert offences(snippet) == [offence]


@pytest.mark.parametrize(
    "snippet",
    [
        '<script src="/static/js/map.js" defer></script>',
        '<script id="chart-data" type="application/json">{"a": 1}</script>',
        '{% blocktranslate with on=on|date:"d" %}on {{ on }}{% endblocktranslate %}',
        '<div hx-trigger="input changed delay:300ms, search" hx-vals=\'{"check": "1"}\'>',
        '<p style="width: 5%">Online</p>',
        '<form hx-trigger="submit, input from:input[type=search] delay:300ms">',
    ],
)
def test_the_guard_lets_data_and_plain_htmx_through(snippet):
    assert offences(snippet) == []
