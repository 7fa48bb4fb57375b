"""HTML from strangers, made safe to show an agent, and plain text derived from it.

Guarantees: no script, style or event-handler attribute survives; no image loads anything
from outside (every `src` but `cid:`, an image that came with the mail, is dropped; `data:` too);
links open without a referrer. The text is what a person would read, plus the target of each
link whose text does not show where it goes.
"""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import nh3

_IMAGE_SCHEMES = ("cid:",)
_BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
           "table", "ul", "ol", "pre", "hr"}
_SKIP = {"script", "style", "head", "title"}
_LINK = re.compile(r"https?://", re.IGNORECASE)


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def _no_remote_resources(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        return value if value.lower().startswith(_IMAGE_SCHEMES) else None
    return value


def clean_html(html: str) -> str:
    """Sanitised HTML (nh3's allowlist, minus anything that fetches from the network)."""
    if not html.strip():
        return ""
    return nh3.clean(
        html,
        url_schemes={"http", "https", "mailto", "cid"},
        attribute_filter=_no_remote_resources,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    ).strip()


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0
        self._link: tuple[str, int] | None = None  # (href, index in parts where its text starts)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self._skipping += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")
        elif tag == "a":
            href = (dict(attrs).get("href") or "").strip()
            self._link = (href, len(self.parts)) if _LINK.match(href) else None

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self._skipping = max(0, self._skipping - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")
        elif tag == "a" and self._link is not None:
            href, first = self._link
            self._link = None
            shown = "".join(self.parts[first:])
            if _host(href) not in shown.lower():
                # Where the link really goes, as the reader of the text must see it (and the
                # lookalike-link check with them): "okx.com" can point at 0kx.com.
                self.parts.append(f" <{href}>")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(re.sub(r"[ \t\r\n]+", " ", data))


def html_to_text(html: str) -> str:
    """Readable plain text of an HTML body: blocks become lines, entities are decoded."""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    lines = [line.strip() for line in "".join(parser.parts).splitlines()]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()
