"""Pictures and files on Telegram, Messenger and X, end to end over real HTTP: the platform's
signed webhook reaches a live server, the desk fetches the file from a local fake of the
platform's file API (its own live HTTP server), checks it like every upload, stores it once,
and the console shows it; a file that fails the checks is not stored and the customer is told
why on the same channel; agents' replies with files reach each platform's API."""

import io
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from django.core import mail
from PIL import Image

from tests.factories import make_agent
from tests.helpers import console_login
from tests.intake import fake_social
from tests.intake import webhook_signing as hooks
from unlockdesk.tickets.exceptions import AttachmentRejected
from unlockdesk.tickets.models import (
    Attachment,
    Delivery,
    Message,
    Queue,
    RemoteAttachment,
    RemoteFileState,
    Ticket,
)
from unlockdesk.tickets.services import reply
from unlockdesk.tickets.types import Channel

pytestmark = pytest.mark.django_db(transaction=True)

PDF = (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
       b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")
FAKE_IMAGE = b"<html><script>alert(1)</script></html>"


def picture(fmt: str = "PNG", size: tuple[int, int] = (64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format=fmt)
    return out.getvalue()


@pytest.fixture
def fake(settings: Any) -> Iterator[fake_social.FakeSocial]:
    hooks.configure(settings)
    with fake_social.running() as platform:
        platform.configure(settings)
        yield platform


def deliver(live_server: Any, channel: str, data: Any) -> httpx.Response:
    body = hooks.encode(data)
    response = httpx.post(live_server.url + hooks.PATHS[channel], content=body, timeout=30,
                          headers={"Content-Type": "application/json", **hooks.proof(channel, body)})
    assert response.status_code == 200, response.text
    return response


def telegram_photo(file_id: str, *, message_id: int = 31, caption: str = "") -> dict[str, Any]:
    message: dict[str, Any] = {
        "message_id": message_id, "chat": {"id": 4242, "type": "private"},
        "from": {"id": 4242, "first_name": "Li"},
        "photo": [{"file_id": f"{file_id}-small", "file_unique_id": "s", "width": 90, "height": 67},
                  {"file_id": file_id, "file_unique_id": "b", "width": 64, "height": 48}]}
    if caption:
        message["caption"] = caption
    return {"update_id": 5000 + message_id, "message": message}


def telegram_document(file_id: str, name: str, *, message_id: int = 32, caption: str = "") -> dict[str, Any]:
    return {"update_id": 6000 + message_id, "message": {
        "message_id": message_id, "chat": {"id": 4242, "type": "private"}, "from": {"id": 4242},
        "caption": caption,
        "document": {"file_id": file_id, "file_unique_id": "d", "file_name": name,
                     "mime_type": "image/jpeg"}}}


def messenger_file(url: str, *, mid: str = "m_file_1", kind: str = "file") -> dict[str, Any]:
    return {"object": "page", "entry": [{"messaging": [
        {"sender": {"id": "551"}, "recipient": {"id": "page"},
         "message": {"mid": mid, "attachments": [{"type": kind, "payload": {"url": url}}]}}]}]}


def x_media(url: str, *, dm_id: str = "dm-media-1") -> dict[str, Any]:
    return {"for_user_id": "1", "direct_message_events": [
        {"type": "message_create", "id": dm_id, "message_create": {
            "sender_id": "77", "message_data": {
                "text": "my screenshot https://t.co/abc",
                "attachment": {"type": "media", "media": {
                    "id_str": "991", "media_url_https": url, "url": "https://t.co/abc", "type": "photo"}}}}}],
        "users": {"77": {"screen_name": "whale77"}}}


def test_telegram_photo_is_fetched_stored_once_and_shown_in_the_console(
        live_server: Any, fake: fake_social.FakeSocial, client: Any) -> None:
    fake.files["ph1"] = picture("JPEG")
    first = deliver(live_server, "telegram", telegram_photo("ph1", caption="这是报错截图"))
    again = deliver(live_server, "telegram", telegram_photo("ph1", caption="这是报错截图"))

    assert first.json()["status"] == ["created"] and again.json()["status"] == ["duplicate"]
    [item] = Attachment.objects.all()
    assert item.content_type == "image/jpeg" and item.message.body_text == "这是报错截图"
    assert fake.downloads == {"ph1": 1}  # the largest size only, fetched once
    assert RemoteAttachment.objects.get().state == RemoteFileState.STORED

    console_login(client, make_agent())
    page = client.get(f"/console/tickets/{item.message.ticket.number}/").content.decode()
    assert f"/console/attachments/{item.pk}/thumbnail/" in page
    thumb = client.get(f"/console/attachments/{item.pk}/thumbnail/")
    assert thumb.status_code == 200 and thumb["Content-Type"] == "image/jpeg"
    assert Image.open(io.BytesIO(thumb.content)).size == (64, 48)


def test_messenger_pdf_is_stored_once_and_downloads_from_the_console(
        live_server: Any, fake: fake_social.FakeSocial, client: Any) -> None:
    fake.files["statement.pdf"] = PDF
    url = f"{fake.url}/fbcdn/statement.pdf"
    deliver(live_server, "facebook", messenger_file(url))
    deliver(live_server, "facebook", messenger_file(url))

    [item] = Attachment.objects.all()
    assert (item.content_type, item.filename) == ("application/pdf", "statement.pdf")
    assert Message.objects.filter(direction="in").count() == 1
    console_login(client, make_agent())
    page = client.get(f"/console/tickets/{item.message.ticket.number}/").content.decode()
    assert f'href="/console/attachments/{item.pk}/"' in page and "statement.pdf" in page
    download = client.get(f"/console/attachments/{item.pk}/")
    assert download["Content-Type"] == "application/pdf" and download.content == PDF


def test_x_image_is_fetched_with_the_token_and_stored_once(
        live_server: Any, fake: fake_social.FakeSocial) -> None:
    fake.files["dm.png"] = picture("PNG")
    url = f"{fake.url}/ton/dm.png"
    deliver(live_server, "x", x_media(url))
    deliver(live_server, "x", x_media(url))

    [item] = Attachment.objects.all()
    assert item.content_type == "image/png"
    assert item.message.body_text == "my screenshot"  # X's t.co link for the media is dropped
    assert fake.downloads == {"dm.png": 1}
    [download] = [c for c in fake.calls if c.path == "/ton/dm.png"]
    assert download.auth == f"Bearer {fake_social.X_TOKEN}"


def test_a_fake_image_is_refused_and_the_customer_told_why_in_their_language(
        live_server: Any, fake: fake_social.FakeSocial) -> None:
    fake.files["fake"] = FAKE_IMAGE
    deliver(live_server, "telegram", telegram_document("fake", "passport.jpg", caption="这是我的护照照片"))

    assert Attachment.objects.count() == 0
    assert RemoteAttachment.objects.get().state == RemoteFileState.REFUSED
    notice = Message.objects.get(headers__auto="file_refused")
    assert notice.channel == Channel.TELEGRAM and notice.delivery == Delivery.SENT
    assert notice.body_text.startswith("我们无法接收 passport.jpg：") and "PDF" in notice.body_text
    texts = [c.json["text"] for c in fake.sent(f"/tg/bot{fake_social.TELEGRAM_TOKEN}/sendMessage")]
    assert any(notice.body_text in text for text in texts)
    ticket = notice.ticket
    flags = [e.data.get("attachment_rejected", "") for e in ticket.events.filter(kind="flag")]
    assert flags == ["passport.jpg: type"]


def test_an_english_customer_is_told_in_english(live_server: Any, fake: fake_social.FakeSocial) -> None:
    fake.files["x.jpg"] = FAKE_IMAGE
    event = messenger_file(f"{fake.url}/fbcdn/x.jpg", mid="m_en", kind="image")
    event["entry"][0]["messaging"][0]["message"]["text"] = "Here is my ID photo"
    deliver(live_server, "facebook", event)
    notice = Message.objects.get(headers__auto="file_refused")
    assert notice.body_text == ("We could not accept your picture: "
                                "Only images (JPEG, PNG, HEIC) and PDF files are accepted.")


def test_a_platform_failure_is_retried_and_the_file_stored_once(
        live_server: Any, fake: fake_social.FakeSocial) -> None:
    fake.files["ph2"] = picture()
    fake.fail_downloads(2)
    deliver(live_server, "telegram", telegram_photo("ph2", message_id=40))

    remote = RemoteAttachment.objects.get()
    assert remote.state == RemoteFileState.STORED and remote.attempts == 3
    assert Attachment.objects.count() == 1


def test_a_file_that_never_arrives_is_reported_to_the_customer(
        live_server: Any, fake: fake_social.FakeSocial) -> None:
    deliver(live_server, "facebook", messenger_file(f"{fake.url}/fbcdn/missing.pdf", mid="m_gone"))
    remote = RemoteAttachment.objects.get()
    assert remote.state == RemoteFileState.FAILED and remote.error == "HTTP 404"
    assert Message.objects.get(headers__auto="file_failed").delivery == Delivery.SENT


def test_a_media_url_off_the_platform_is_never_fetched(
        live_server: Any, fake: fake_social.FakeSocial, settings: Any) -> None:
    settings.UNLOCKDESK_X_MEDIA_HOSTS = ["ton.twitter.com"]
    fake.files["dm.png"] = picture()
    deliver(live_server, "x", x_media(f"{fake.url}/ton/dm.png", dm_id="dm-ssrf"))
    assert fake.downloads == {}
    assert RemoteAttachment.objects.get().state == RemoteFileState.FAILED
    assert Message.objects.filter(direction="in", external_id="dm-ssrf").count() == 1


def _ticket_from(live_server: Any, channel: str, data: Any) -> Ticket:
    number = deliver(live_server, channel, data).json()
    assert number["status"] == ["created"]
    return Ticket.objects.get()


def test_agent_reply_with_a_picture_and_a_pdf_reaches_telegram(
        live_server: Any, fake: fake_social.FakeSocial) -> None:
    ticket = _ticket_from(live_server, "telegram", hooks.telegram_update())
    png = picture()
    message = reply(ticket=ticket, agent=make_agent(), text="请看附件中的步骤说明",
                    files=[("steps.png", png), ("guide.pdf", PDF)])

    message.refresh_from_db()
    assert message.delivery == Delivery.SENT and message.attachments.count() == 2
    base = f"/tg/bot{fake_social.TELEGRAM_TOKEN}"
    [photo] = fake.sent(f"{base}/sendPhoto")
    [document] = fake.sent(f"{base}/sendDocument")
    assert photo.fields["chat_id"] == "4242" and photo.files["photo"][1] == "image/png"
    assert Image.open(io.BytesIO(photo.files["photo"][2])).size == (64, 48)
    assert document.files["document"][0] == "guide.pdf" and document.files["document"][2] == PDF


def test_agent_reply_with_a_pdf_reaches_messenger(live_server: Any, fake: fake_social.FakeSocial) -> None:
    ticket = _ticket_from(live_server, "facebook", hooks.facebook_event())
    message = reply(ticket=ticket, agent=make_agent(), text="Here is the form to fill in.",
                    files=[("form.pdf", PDF)])

    message.refresh_from_db()
    assert message.delivery == Delivery.SENT
    upload = [c for c in fake.sent("/fb/me/messages") if c.files]
    assert len(upload) == 1
    assert '"type": "file"' in upload[0].fields["message"] and upload[0].files["filedata"][2] == PDF
    assert upload[0].fields["recipient"] == '{"id": "551"}'


def test_agent_reply_with_a_picture_reaches_x_as_uploaded_media(
        live_server: Any, fake: fake_social.FakeSocial) -> None:
    ticket = _ticket_from(live_server, "x", hooks.x_event())
    reply(ticket=ticket, agent=make_agent(), text="Where to find your UID:", files=[("uid.png", picture())])

    [upload] = fake.sent("/x/2/media/upload")
    assert upload.fields["media_category"] == "dm_image" and upload.files["media"][1] == "image/png"
    dms = [c.json for c in fake.sent("/x/2/dm_conversations/with/77/messages")]
    with_media = [dm for dm in dms if dm.get("attachments")]
    assert len(with_media) == 1 and with_media[0]["attachments"][0]["media_id"].startswith("17")
    assert any("Where to find your UID:" in dm["text"] for dm in dms)


def test_x_cannot_carry_a_pdf_so_the_reply_is_refused_and_nothing_stored(
        live_server: Any, fake: fake_social.FakeSocial) -> None:
    ticket = _ticket_from(live_server, "x", hooks.x_event())
    before = Message.objects.count()
    with pytest.raises(AttachmentRejected) as refused:
        reply(ticket=ticket, agent=make_agent(), text="See the PDF", files=[("form.pdf", PDF)])
    assert refused.value.code == "channel"
    assert Message.objects.count() == before and not fake.sent("/x/2/media/upload")


def test_a_fake_image_attached_by_an_agent_is_refused(live_server: Any, fake: fake_social.FakeSocial) -> None:
    ticket = _ticket_from(live_server, "telegram", hooks.telegram_update())
    with pytest.raises(AttachmentRejected):
        reply(ticket=ticket, agent=make_agent(), text="see", files=[("steps.jpg", FAKE_IMAGE)])
    assert Attachment.objects.count() == 0


def test_console_reply_form_sends_the_file_on_the_ticket_channel(
        live_server: Any, fake: fake_social.FakeSocial, client: Any) -> None:
    ticket = _ticket_from(live_server, "telegram", hooks.telegram_update())
    console_login(client, make_agent())
    client.get(f"/console/tickets/{ticket.number}/")
    upload = io.BytesIO(picture())
    upload.name = "where-to-click.png"
    response = client.post(f"/console/tickets/{ticket.number}/reply/", {
        "text": "点击这里", "client_id": "0f8fad5b-d9cb-469f-a165-70867728950e", "files": [upload]})
    assert response.status_code == 302
    [item] = Attachment.objects.filter(message__direction="out")
    assert item.filename == "where-to-click.png"
    assert len(fake.sent(f"/tg/bot{fake_social.TELEGRAM_TOKEN}/sendPhoto")) == 1


def test_console_reply_with_a_bad_file_stores_nothing_and_says_why(
        live_server: Any, fake: fake_social.FakeSocial, client: Any) -> None:
    ticket = _ticket_from(live_server, "telegram", hooks.telegram_update())
    console_login(client, make_agent())
    before = Message.objects.count()
    upload = io.BytesIO(FAKE_IMAGE)
    upload.name = "photo.jpg"
    response = client.post(f"/console/tickets/{ticket.number}/reply/", {
        "text": "see", "client_id": "1f8fad5b-d9cb-469f-a165-70867728950e", "files": [upload]},
        follow=True)
    assert Message.objects.count() == before
    assert "Not sent" in response.content.decode() or "未发送" in response.content.decode()


def test_email_reply_carries_the_agent_file(live_server: Any, fake: fake_social.FakeSocial) -> None:
    deliver(live_server, "postmark", hooks.postmark_event())
    ticket = Ticket.objects.get()
    mail.outbox.clear()
    reply(ticket=ticket, agent=make_agent(), text="附件是解冻申请表", files=[("form.pdf", PDF)])
    [sent] = [m for m in mail.outbox if m.to == ["chen@example.com"]]
    assert [(name, content) for name, content, _type in sent.attachments] == [("form.pdf", PDF)]


def test_thumbnail_is_refused_to_an_agent_who_cannot_see_the_ticket(
        live_server: Any, fake: fake_social.FakeSocial, client: Any) -> None:
    fake.files["ph3"] = picture()
    deliver(live_server, "telegram", telegram_photo("ph3", message_id=50))
    item = Attachment.objects.get()
    outsider = make_agent()
    other = Queue.objects.create(slug="elsewhere", name="Elsewhere")
    other.agents.add(outsider)
    console_login(client, outsider)
    assert client.get(f"/console/attachments/{item.pk}/thumbnail/").status_code == 404
    assert client.get(f"/console/attachments/{item.pk}/").status_code == 404
