"""Article text: placeholders, Markdown to safe HTML, and plain text for the search index.

Articles never spell a brand: `{{brand}}`, `{{domain}}` and friends are filled in from
settings.BRAND when an article is rendered or indexed. No Django needed here.
"""

import re
from collections.abc import Mapping

import markdown
import nh3

from unlockdesk.brand import Brand
from unlockdesk.chinese import list_of

_PLACEHOLDER = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")
ALLOWED_TAGS = {"p", "h2", "h3", "h4", "ul", "ol", "li", "strong", "em", "a", "code", "pre",
                "blockquote", "table", "thead", "tbody", "tr", "th", "td", "br", "hr"}


def placeholder_values(brand: Brand, language: str, site_url: str = "") -> dict[str, str]:
    """What each placeholder stands for, in `language`."""
    return {
        "brand": brand.name(language),
        "brand_zh": brand.name_zh,
        "brand_en": brand.name_en,
        "domain": brand.official_domains[0] if brand.official_domains else "",
        "domains": list_of(brand.official_domains, language),
        "support_email": brand.support_email,
        "note_phrase": brand.note_phrase,
        "ticket_prefix": brand.ticket_prefix,
        "site_url": site_url.rstrip("/"),
    }


def fill(text: str, values: Mapping[str, str]) -> str:
    """Replace known placeholders; unknown ones stay visible so an editor notices them."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def to_html(text: str) -> str:
    """Markdown to HTML, sanitised: editors' Markdown can never inject script or styles."""
    rendered = markdown.markdown(text, extensions=["tables", "sane_lists"], output_format="html")
    return nh3.clean(rendered, tags=ALLOWED_TAGS, attributes={"a": {"href", "title"}},
                     link_rel="noopener noreferrer")


_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKS = re.compile(r"(^|\s)(#{1,6}|[-*+]|\d+\.|>)\s+", re.MULTILINE)
_EMPHASIS = re.compile(r"[*_`|]+")


def plain_text(text: str) -> str:
    """Markdown without its markup, on one line: what search indexes and snippets show."""
    text = _LINK.sub(r"\1", text)
    text = _MARKS.sub(r"\1", text)
    text = _EMPHASIS.sub("", text)
    return re.sub(r"\s+", " ", text).strip()
