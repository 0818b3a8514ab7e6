"""Demo portal: the registry's demo HTX of Tỉnh Bắc Kạn are published, and the two seed news
articles become the first two articles, as written.

The articles' text is in demo_data/articles.json, copied unchanged from the seed documents
(shared/seeds/000_… and 004_…); only the pages' navigation chrome and sidebar lines were left
out (listed under "stripped" there), and the dateline "(Cập nhật lúc: …)" became the date.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from django.utils.html import escape

from hoptac.areas.models import AdminUnit
from hoptac.portal import rules
from hoptac.portal.choices import ArticleStatus
from hoptac.portal.models import Article, Category, Tag
from hoptac.registry.models import Cooperative
from hoptac.registry.rules import search_fold

DATA = Path(__file__).resolve().parent / "demo_data" / "articles.json"
PROVINCE = "06"  # Tỉnh Bắc Kạn, old tree: the registry's demo province


def load(out: TextIO) -> None:
    """Publish the demo HTX and write the seed articles once; a second run changes nothing."""
    province = AdminUnit.objects.filter(era="legacy", code=PROVINCE, level=1).first()
    published = 0
    if province is not None:
        published = Cooperative.objects.filter(province_legacy=province, is_published=False).update(
            is_published=True
        )
    created = [item["title"] for item in seed_articles() if _article(item)]
    out.write(
        f"demo portal: {published} HTX newly published, {len(created)} seed articles created\n"
    )


def seed_articles() -> list[dict[str, Any]]:
    return json.loads(DATA.read_text(encoding="utf-8"))["articles"]


def body_html(item: dict[str, Any]) -> str:
    """The article's paragraphs as HTML (the text escaped, a caption marked as such)."""
    parts = []
    for paragraph in item["body"]:
        css = f' class="{paragraph["class"]}"' if paragraph.get("class") else ""
        parts.append(f"<p{css}>{escape(paragraph['text'])}</p>")
    return rules.sanitize_html("".join(parts))


def _article(item: dict[str, Any]) -> bool:
    """Create the seed article unless an article of that title exists; True when created."""
    if Article.objects.filter(title=item["title"]).exists():
        return False
    body = body_html(item)
    article = Article.objects.create(
        title=item["title"],
        slug=rules.slug_for(item["title"], Article.objects.values_list("slug", flat=True)),
        summary=item["summary"],
        body=body,
        author_name=item.get("author_name", ""),
        source=item.get("source", ""),
        status=ArticleStatus.PUBLISHED,
        published_at=(
            datetime.fromisoformat(item["published_at"]) if item.get("published_at") else None
        ),
        search_text=search_fold(item["title"], item["summary"], *(p["text"] for p in item["body"])),
    )
    article.categories.set([_named(Category, name) for name in item.get("categories", [])])
    article.tags.set([_named(Tag, name) for name in item.get("tags", [])])
    return True


def _named(model: type[Category] | type[Tag], name: str) -> Any:
    found = model.objects.filter(name=name).first()
    if found is not None:
        return found
    taken = model.objects.values_list("slug", flat=True)
    return model.objects.create(name=name, slug=rules.slug_for(name, taken))
