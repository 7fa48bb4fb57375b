"""The articles shipped with Unlockdesk: Markdown files with a small front matter.

    content/categories.json             slug, position and names of each category
    content/<language>/<slug>.md        ---\ntitle: ...\ncategory: ...\nposition: 10\n---\nMarkdown

Both translations of an article share the slug. Reading them needs no Django, so the
benchmark can index them as they are.
"""

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from unlockdesk.brand import brand
from unlockdesk.helpcenter import markup
from unlockdesk.helpcenter.search import Document

CONTENT_DIR = Path(__file__).resolve().parent / "content"
LANGUAGES = ("zh-hans", "en")


class ContentError(ValueError):
    """A shipped file is malformed; the message names the file."""


@dataclass(frozen=True)
class ShippedCategory:
    slug: str
    position: int
    name_zh: str
    name_en: str


@dataclass(frozen=True)
class ShippedArticle:
    slug: str
    language: str
    category: str
    position: int
    title: str
    body: str

    @property
    def digest(self) -> str:
        return hashlib.sha256(f"{self.title}\n{self.body}".encode()).hexdigest()


def categories(content_dir: Path = CONTENT_DIR) -> list[ShippedCategory]:
    raw = json.loads((content_dir / "categories.json").read_text(encoding="utf-8"))
    return [ShippedCategory(c["slug"], int(c["position"]), c["name_zh"], c["name_en"]) for c in raw]


def articles(content_dir: Path = CONTENT_DIR) -> list[ShippedArticle]:
    """Every shipped article in every language, sorted by language and slug."""
    found = []
    for language in LANGUAGES:
        for path in sorted((content_dir / language).glob("*.md")):
            found.append(parse(path.read_text(encoding="utf-8"), slug=path.stem, language=language,
                               source=str(path)))
    return found


def parse(text: str, *, slug: str, language: str, source: str = "<text>") -> ShippedArticle:
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or lines[0].strip() != "---" or "---" not in (line.strip() for line in lines[1:]):
        raise ContentError(f"{source}: front matter (--- ... ---) missing")
    end = next(i for i, line in enumerate(lines[1:], 1) if line.strip() == "---")
    meta: dict[str, str] = {}
    for line in lines[1:end]:
        key, sep, value = line.partition(":")
        if not sep:
            raise ContentError(f"{source}: bad front-matter line {line!r}")
        meta[key.strip()] = value.strip()
    for required in ("title", "category"):
        if not meta.get(required):
            raise ContentError(f"{source}: front matter needs {required!r}")
    return ShippedArticle(
        slug=slug,
        language=language,
        category=meta["category"],
        position=int(meta.get("position", "100")),
        title=meta["title"],
        body="\n".join(lines[end + 1:]).strip() + "\n",
    )


def search_documents(language: str, site_url: str = "https://support.example") -> list[Document]:
    """The shipped articles of one language as the search index sees them (placeholders
    filled from the environment's brand, Markdown stripped): for the benchmark and tests."""
    values = markup.placeholder_values(brand(), language, site_url)
    return [Document(key=a.slug, title=markup.fill(a.title, values),
                     body=markup.plain_text(markup.fill(a.body, values)), category=a.category)
            for a in articles() if a.language == language]
