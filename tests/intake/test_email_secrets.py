"""Secrets in mail (passwords, codes) never land: not in the text, the HTML, the headers, the
sender's name, text attachments, nor in the original message the desk keeps."""

import base64
import io
from email import message_from_bytes

import pytest
from django.core.management import call_command

from tests.intake.mailfactory import mail
from unlockdesk.intake.mail import charsets
from unlockdesk.intake.mail.ingest import ingest
from unlockdesk.intake.mail.models import OriginalMail
from unlockdesk.intake.mail.parse import decode_header_value
from unlockdesk.tickets.models import Attachment, Message, Ticket

pytestmark = pytest.mark.django_db

SECRET = "Hunter2024!x"
HTML_ONLY = f"""From: "password: {SECRET}" <careless@example.com>
To: support@okx.com
Subject: login problem
Message-ID: <html-secret@example.com>
MIME-Version: 1.0
Content-Type: text/html; charset=utf-8

<p>我的密码是 {SECRET} 快帮我</p><p>验证码 731942</p>
""".encode()


def test_secret_in_html_only_mail_is_redacted_and_the_html_dropped() -> None:
    result = ingest(HTML_ONLY)
    message = Message.objects.get(external_id="<html-secret@example.com>")
    assert SECRET not in message.body_text and "731942" not in message.body_text
    assert "[REDACTED:password]" in message.body_text
    assert message.body_html == ""
    assert "secret_redacted" in Ticket.objects.get(number=result.ticket).flags
    assert SECRET not in message.contact.display_name and SECRET not in message.headers["from"]


def test_nothing_in_the_database_holds_the_secret() -> None:
    ingest(HTML_ONLY)
    ingest(mail(text=f"password: {SECRET}\n\nOn Mon, 1 Jan 2026, Support <s@okx.com> wrote:\n> hi",
                attachments=(("notes.txt", f"my password is {SECRET}\n".encode(), "text/plain"),)))
    dump = io.StringIO()
    call_command("dumpdata", "tickets", "intake", "intake_mail", stdout=dump)
    assert SECRET not in dump.getvalue()
    for item in Attachment.objects.all():
        with item.file.open("rb") as handle:
            assert SECRET.encode() not in handle.read()
    assert OriginalMail.objects.count() == 2
    for original in OriginalMail.objects.all():
        assert SECRET not in _everything_readable(bytes(original.eml))


def test_quote_boundary_indexes_the_redacted_text() -> None:
    text = f"新的内容，密码是 {SECRET}\n\n在 2026年1月1日 10:00，客服 写道：\n> 旧的内容"
    ingest(mail(text=text, message_id="<quote-secret@example.com>"))
    message = Message.objects.get(external_id="<quote-secret@example.com>")
    offset = int(message.headers["quote_offset"])
    assert message.body_text[:offset].strip() == "新的内容，密码是 [REDACTED:password]"
    assert message.body_text[offset:].startswith("在 2026年1月1日")


PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
       b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99"
       b"=\x1d\x00\x00\x00\x00IEND\xaeB`\x82")
GBK_SECRET = f"我的密码是 {SECRET}，谢谢".encode("gbk")
NAME_WORD = "=?utf-8?b?" + base64.b64encode(f"密码 {SECRET}".encode()).decode() + "?="
EVERYWHERE = (
    f"From: {NAME_WORD} <careless@example.com>\r\n"
    "To: support@okx.com\r\n"
    f"Subject: password: {SECRET}\r\n"
    "Message-ID: <everywhere@example.com>\r\n"
    "Received: from mx.example.net by mx.okx.com; Tue, 24 Nov 2026 10:00:00 +0800\r\n"
    "MIME-Version: 1.0\r\n"
    'Content-Type: multipart/mixed; boundary="B"\r\n\r\n'
    f"password: {SECRET}\r\n"
    "--B\r\n"
    "Content-Type: text/plain; charset=gb2312\r\nContent-Transfer-Encoding: base64\r\n\r\n"
    + base64.encodebytes(GBK_SECRET).decode() +
    "--B\r\n"
    'Content-Type: image/png\r\nContent-Disposition: attachment; filename="id.png"\r\n'
    "Content-Transfer-Encoding: base64\r\n\r\n"
    + base64.encodebytes(PNG).decode() +
    "--B\r\n"
    "Content-Type: message/rfc822\r\n\r\n"
    f"From: careless@example.com\r\nSubject: fwd password: {SECRET}\r\n\r\n"
    f"old mail, password: {SECRET}\r\n"
    "--B--\r\n"
).encode()


def _everything_readable(eml: bytes) -> str:
    """Every header and every part of a stored original, decoded as a mail client would."""
    message = message_from_bytes(eml)
    out = [eml.decode("utf-8", errors="replace")]
    for part in message.walk():
        out += [decode_header_value(value) for _name, value in part.raw_items()]
        out += [part.preamble or "", part.epilogue or ""]
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes):
            out.append(charsets.decode(payload, part.get_content_charset()))
    return "\n".join(out)


def _original(message_id: str) -> bytes:
    return bytes(OriginalMail.objects.get(message__external_id=message_id).eml)


def test_original_keeps_the_headers_and_structure_with_every_secret_redacted() -> None:
    result = ingest(EVERYWHERE)
    assert result.status == "created"
    eml = _original("<everywhere@example.com>")
    readable = _everything_readable(eml)
    assert SECRET not in readable and "[REDACTED:password]" in readable
    kept = message_from_bytes(eml)
    assert kept["Message-ID"] == "<everywhere@example.com>"
    assert kept["Received"].startswith("from mx.example.net")
    assert kept["X-Unlockdesk-Redacted"] == "yes"
    assert [part.get_content_type() for part in kept.walk()] == [
        "multipart/mixed", "text/plain", "image/png", "message/rfc822", "text/plain"]


def test_original_leaves_attachment_contents_to_the_stored_attachment() -> None:
    ingest(EVERYWHERE)
    eml = _original("<everywhere@example.com>")
    [image] = [part for part in message_from_bytes(eml).walk() if part.get_content_type() == "image/png"]
    stored = Attachment.objects.get(content_type="image/png")
    assert decode_header_value(image["X-Unlockdesk-Omitted"]) == f"{len(PNG)} bytes, sha256 {stored.sha256}"
    assert image.get_filename() == "id.png" and PNG not in eml and base64.b64encode(PNG) not in eml


def test_original_of_mail_without_secrets_is_not_marked_and_keeps_its_text() -> None:
    raw = mail(message_id="<clean@example.com>", text="我的账户被锁了，UID 20001234")
    ingest(raw)
    assert _original("<clean@example.com>") == raw  # nothing to redact or leave out: as received
    kept = message_from_bytes(_original("<clean@example.com>"))
    assert kept["X-Unlockdesk-Redacted"] is None
    assert "UID 20001234" in _everything_readable(_original("<clean@example.com>"))


def test_duplicate_and_rejected_mail_keep_no_original() -> None:
    raw = mail(message_id="<once@example.com>")
    ingest(raw)
    ingest(raw)
    ingest(b"Subject: no sender\r\n\r\nhi\r\n")
    assert OriginalMail.objects.count() == 1
