"""Template helpers for the two languages."""

from django import template
from django.urls import translate_url

register = template.Library()


@register.simple_tag(takes_context=True)
def url_in_language(context: template.Context, language: str) -> str:
    """The current page's URL in `language` (/gop-y/ <-> /en/gop-y/), for the language switch.

    Computed while the page's own language is active: Django's set_language view runs in
    the default language, so it cannot translate an /en/… URL back by itself.
    """
    return translate_url(context["request"].get_full_path(), language)
