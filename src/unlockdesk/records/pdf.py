"""The records as a PDF a person can read, print or hand to the police.

WeasyPrint lays out an HTML template with the desk's CJK fonts embedded (Noto Sans CJK from
the system), shows pictures inline and carries every attachment inside the PDF as an embedded
file. Its URL fetcher only accepts data: URLs: nothing a customer wrote can make the desk fetch
a remote resource.
"""

import base64
import functools
import importlib
import io
from types import ModuleType

from django.template.loader import render_to_string
from django.utils import translation
from PIL import ImageFile

from unlockdesk.records.collect import Collected

_INLINE_TYPES = {"image/jpeg", "image/png", "image/webp", "image/gif"}


def _data_url(content_type: str, data: bytes) -> str:
    return f"data:{content_type};base64,{base64.b64encode(data).decode()}"


@functools.cache
def library() -> ModuleType:
    """WeasyPrint, imported on first use: its import takes about 1.4 s (fonts, CSS), which
    every process that loads the URLs (web, mail intake) would otherwise pay for a page few
    open. Task workers load it as they start (apps.py), before any thread runs."""
    weasyprint = importlib.import_module("weasyprint")
    importlib.import_module("weasyprint.urls")
    # Importing WeasyPrint turns on Pillow's LOAD_TRUNCATED_IMAGES for the whole process, which
    # would let damaged pictures through every upload check (safety.files). The PDF embeds only
    # the desk's own re-encoded copies, so it does not need it: off again.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    return weasyprint


def render(collected: Collected, *, json_sha256: str, language: str) -> bytes:
    weasyprint = library()
    fetcher = weasyprint.urls.URLFetcher(allowed_protocols=["data"])
    pictures: dict[tuple[str, int], list[dict[str, str]]] = {}
    embedded = []
    for ref in collected.files:
        item = ref.attachment
        data = item.file.storage.read_bytes(item.file.name)  # type: ignore[attr-defined]
        name = f"{ref.ticket_number}-{ref.seq}-{item.filename}"
        embedded.append(weasyprint.Attachment(file_obj=io.BytesIO(data), name=name, url_fetcher=fetcher,
                                   description=item.filename))
        if item.content_type in _INLINE_TYPES:
            pictures.setdefault((ref.ticket_number, ref.seq), []).append(
                {"src": _data_url(item.content_type, data), "name": item.filename})
    tickets = [
        {**ticket, "messages": [{**m, "pictures": pictures.get((ticket["number"], m["seq"]), [])}
                                for m in ticket["messages"]]}
        for ticket in collected.records["tickets"]
    ]
    with translation.override(language):
        html = render_to_string("records/export.html", {
            "r": collected.records, "tickets": tickets, "json_sha256": json_sha256,
            "language": language, "files": len(embedded),
        })
    document = weasyprint.HTML(string=html, url_fetcher=fetcher, base_url="data:,")
    pdf: bytes = document.write_pdf(attachments=embedded)
    return pdf
