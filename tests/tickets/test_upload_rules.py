"""Every upload path applies the same rules (safety.files): sniffed type allow-list, pixel limit
before decoding, clean re-encoded images, PDFs without active content, size checked while the
file streams and a cap on the whole request body.

The portal and the request cap are driven over real HTTP (a live server; the ASGI cap on the
real ASGI application under uvicorn), the way a browser or an attacker reaches them.
"""

import io
import re
import threading
import time
import uuid
import zlib
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import uvicorn
from django.core.management import CommandError, call_command
from PIL import Image

from tests.e2e.chat_server import free_port
from tests.factories import make_account
from tests.unlock import images
from unlockdesk.intake.models import OutboxItem
from unlockdesk.safety import files
from unlockdesk.tickets import attachments
from unlockdesk.tickets.exceptions import AttachmentRejected
from unlockdesk.tickets.models import Attachment
from unlockdesk.unlock.uploads import EvidenceRejected, accept

HTML_AS_JPEG = b"<!DOCTYPE html><html><body><script>fetch('/portal/export/')</script></body></html>"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def pdf(*objects: bytes, catalog_extra: bytes = b"") -> bytes:
    body = [b"%PDF-1.7",
            b"1 0 obj << /Type /Catalog /Pages 2 0 R " + catalog_extra + b" >> endobj",
            b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj",
            b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj",
            *objects, b"trailer << /Root 1 0 R >>", b"%%EOF"]
    return b"\n".join(body) + b"\n"


def object_stream(inner: bytes) -> bytes:
    packed = zlib.compress(inner)
    return (b"5 0 obj << /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length "
            + str(len(packed)).encode() + b" >> stream\n" + packed + b"\nendstream endobj")


PDF_OPEN_ACTION_JS = pdf(b"4 0 obj << /S /JavaScript /JS (app.alert(1)) >> endobj",
                         catalog_extra=b"/OpenAction 4 0 R")
PDF_ESCAPED_NAME = pdf(b"4 0 obj << /S /J#61vaScript /J#53 (app.alert(1)) >> endobj",
                       catalog_extra=b"/OpenAction 4 0 R")
PDF_HIDDEN_IN_OBJECT_STREAM = pdf(object_stream(b"4 0 << /S /JavaScript /JS (app.alert(1)) >>"),
                                  catalog_extra=b"/OpenAction 4 0 R")
PDF_LAUNCH = pdf(b"4 0 obj << /S /Launch /F (cmd.exe) >> endobj", catalog_extra=b"/OpenAction 4 0 R")
PDF_OPEN_AT_PAGE = pdf(catalog_extra=b"/OpenAction [3 0 R /Fit]")  # ordinary: open at page 1


@pytest.mark.parametrize(("name", "content", "code"), [
    ("huge.png", images.bomb_png(30000, 30000), "too_many_pixels"),
    ("photo.jpg", HTML_AS_JPEG, "type"),
    ("logo.svg", SVG, "type"),
    ("notes.txt", b"hello <script>alert(1)</script>", "type"),
    ("statement.pdf", PDF_OPEN_ACTION_JS, "active_content"),
    ("statement.pdf", PDF_ESCAPED_NAME, "active_content"),
    ("statement.pdf", PDF_HIDDEN_IN_OBJECT_STREAM, "active_content"),
    ("statement.pdf", PDF_LAUNCH, "active_content"),
])
def test_attachment_rules_refuse_what_evidence_refuses(name: str, content: bytes, code: str) -> None:
    with pytest.raises(AttachmentRejected) as refused:
        attachments.check(name, content)
    assert refused.value.code == code and refused.value.message
    if code != "type":  # evidence has the same rules, from the same checker
        with pytest.raises(EvidenceRejected) as evidence:
            accept(name, content)
        assert evidence.value.code == code


@pytest.mark.parametrize("content", [PDF_OPEN_AT_PAGE, images.statement_pdf()])
def test_ordinary_pdfs_pass(content: bytes) -> None:
    assert attachments.check("statement.pdf", content).content_type == "application/pdf"


def test_plain_text_is_still_accepted() -> None:
    checked = attachments.check("log.txt", "错误代码 50113 at 10:02".encode())
    assert checked.content_type == "text/plain"


def test_images_are_stored_as_a_clean_copy_without_gps() -> None:
    original = images.photo_jpeg("ID", with_gps=True)
    assert Image.open(io.BytesIO(original)).getexif()  # the phone's EXIF and GPS are there
    checked = attachments.check("photo.jpg", original)
    stored = Image.open(io.BytesIO(checked.content))
    assert checked.content_type == "image/jpeg" and not stored.getexif()
    assert stored.size == (320, 200)


def test_heic_is_stored_as_a_jpeg_the_browser_can_show() -> None:
    assert attachments.check("p.heic", images.photo_heic()).content_type == "image/jpeg"


# --- the portal over real HTTP --------------------------------------------------------------

def _token(html: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert found is not None
    return found[1]


def portal_client(base_url: str, address: str) -> httpx.Client:
    http = httpx.Client(base_url=base_url, headers={"Accept-Language": "en", "Referer": base_url},
                        timeout=60)
    page = http.get("/portal/signin/")
    assert http.post("/portal/signin/", data={"address": address,
                                              "csrfmiddlewaretoken": _token(page.text)}).status_code == 302
    body = OutboxItem.objects.filter(to=address).order_by("-id").values_list("body", flat=True).first() or ""
    code = re.findall(r"\b\d{6}\b", body)[0]
    page = http.get("/portal/signin/code/")
    signed_in = http.post("/portal/signin/code/",
                          data={"code": code, "csrfmiddlewaretoken": _token(page.text)})
    assert signed_in.status_code == 302
    return http


def new_ticket(http: httpx.Client, uploads: list[tuple[str, bytes]]) -> httpx.Response:
    page = http.get("/portal/tickets/new/")
    return http.post("/portal/tickets/new/", data={
        "subject": "Locked", "text": "My account is locked", "client_id": str(uuid.uuid4()),
        "csrfmiddlewaretoken": _token(page.text),
    }, files=[("files", (name, content, "image/jpeg")) for name, content in uploads],
        follow_redirects=True)


@pytest.fixture
def portal(live_server, settings) -> Iterator[httpx.Client]:  # type: ignore[no-untyped-def]
    settings.EMAIL_BACKEND = "unlockdesk.intake.outbox.OutboxEmailBackend"
    make_account(email="uploader@example.com")
    http = portal_client(live_server.url, "uploader@example.com")
    yield http
    http.close()


@pytest.mark.django_db(transaction=True)
def test_portal_refuses_bombs_markup_and_scripted_pdfs_and_keeps_the_photo(portal: httpx.Client) -> None:
    response = new_ticket(portal, [("huge.png", images.bomb_png(30000, 30000)),
                                   ("photo.jpg", HTML_AS_JPEG), ("logo.svg", SVG),
                                   ("statement.pdf", PDF_OPEN_ACTION_JS),
                                   ("id.jpg", images.photo_jpeg("ID"))])
    assert response.status_code == 200
    for name in ("huge.png", "photo.jpg", "logo.svg", "statement.pdf"):
        assert name in response.text
    assert list(Attachment.objects.values_list("filename", "content_type")) == [("id.jpg", "image/jpeg")]


@pytest.mark.django_db(transaction=True)
def test_portal_refuses_an_oversized_file_by_its_streamed_size(portal: httpx.Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.UNLOCKDESK_ATTACHMENT_MAX_BYTES = 1024 * 1024
    settings.UNLOCKDESK_UPLOAD_FILE_MAX_BYTES = 1024 * 1024
    response = new_ticket(portal, [("big.jpg", images.oversized_jpeg(3 * 1024 * 1024)),
                                   ("id.jpg", images.photo_jpeg("ID"))])
    assert "larger than 1 MB and were not sent: big.jpg" in response.text
    assert list(Attachment.objects.values_list("filename", flat=True)) == ["id.jpg"]


# --- the request body cap on the real ASGI application ------------------------------------

@pytest.fixture
def asgi_url() -> Iterator[str]:
    from unlockdesk.asgi import application

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(application, host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


@pytest.mark.django_db(transaction=True)
def test_a_declared_body_over_the_cap_is_refused_before_it_is_read(asgi_url: str, settings) -> None:  # type: ignore[no-untyped-def]
    settings.UNLOCKDESK_MAX_REQUEST_BYTES = 1024 * 1024
    response = httpx.post(f"{asgi_url}/portal/tickets/new/", content=b"x" * (2 * 1024 * 1024),
                          headers={"Content-Type": "application/octet-stream"}, timeout=60)
    assert response.status_code == 413
    assert "too large (at most 1 MB)" in response.text and "请求内容过大" in response.text


@pytest.mark.django_db(transaction=True)
def test_a_chunked_body_is_cut_off_at_the_cap(asgi_url: str, settings) -> None:  # type: ignore[no-untyped-def]
    settings.UNLOCKDESK_MAX_REQUEST_BYTES = 1024 * 1024
    sent = 0

    def body() -> Iterator[bytes]:
        nonlocal sent
        for _ in range(64):  # 64 MB offered, no Content-Length
            sent += 1
            yield b"x" * (1024 * 1024)

    try:
        response = httpx.post(f"{asgi_url}/portal/tickets/new/", content=body(),
                              headers={"Content-Type": "application/octet-stream"}, timeout=60)
    except httpx.TransportError:  # the server closed before the client had finished sending
        assert sent < 64
        return
    assert response.status_code == 413


@pytest.mark.django_db(transaction=True)
def test_a_body_under_the_cap_reaches_django(asgi_url: str, settings) -> None:  # type: ignore[no-untyped-def]
    settings.UNLOCKDESK_MAX_REQUEST_BYTES = 1024 * 1024
    response = httpx.post(f"{asgi_url}/api/safety/verify", json={"value": "okx.com"}, timeout=60)
    assert response.status_code == 200 and response.json()["verdict"] == "official"


# --- `unlockdesk check` has the same limits ------------------------------------------------

def test_check_command_refuses_a_49_megapixel_png_from_its_header(tmp_path: Any) -> None:
    path = tmp_path / "big.png"
    path.write_bytes(images.bomb_png(7000, 7000))
    with pytest.raises(CommandError) as refused:
        call_command("check", str(path), "--kind", "id_front")
    assert "megapixels" in str(refused.value)


def test_check_command_refuses_a_file_over_the_size_limit_without_reading_it(tmp_path: Any, settings) -> None:  # type: ignore[no-untyped-def]
    settings.UNLOCKDESK_EVIDENCE_MAX_BYTES = 1024 * 1024
    path = tmp_path / "big.jpg"
    path.write_bytes(images.oversized_jpeg(2 * 1024 * 1024))
    with pytest.raises(CommandError) as refused:
        call_command("check", str(path), "--kind", "id_front")
    assert "larger than 1 MB" in str(refused.value)


def test_the_pixel_limit_is_one_setting(settings) -> None:  # type: ignore[no-untyped-def]
    settings.UNLOCKDESK_EVIDENCE_MAX_PIXELS = 1_000_000
    with pytest.raises(files.FileRefused):
        files.check_pixels(images.screenshot_png(size=(1001, 1000)))
