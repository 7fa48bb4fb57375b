"""What the social adapters read of a file in a webhook, and where they will fetch it from."""

import pytest

from tests.intake import webhook_signing as hooks
from unlockdesk.intake import facebook, media, telegram, x
from unlockdesk.intake.payloads import BadPayload
from unlockdesk.tickets.types import OutboundFile, RemoteFile


def test_telegram_photo_without_caption_is_a_message_with_its_largest_size() -> None:
    update = hooks.telegram_update()
    message = update["message"]
    del message["text"]
    message["photo"] = [{"file_id": "small", "file_size": 900},
                        {"file_id": "big", "file_size": 90_000}]
    [item] = telegram.parse(update)
    assert item.text == "" and item.remote_files == (RemoteFile("big", "photo.jpg", "image/jpeg", 90_000),)


def test_telegram_document_keeps_its_name() -> None:
    update = hooks.telegram_update(text="")
    update["message"]["document"] = {"file_id": "d1", "file_name": "bank.pdf",
                                     "mime_type": "application/pdf"}
    [item] = telegram.parse(update)
    assert item.remote_files == (RemoteFile("d1", "bank.pdf", "application/pdf", 0),)


def test_telegram_sticker_alone_is_still_nothing() -> None:
    update = hooks.telegram_update(text="")
    update["message"]["sticker"] = {"file_id": "s"}
    assert telegram.parse(update) == []


def test_telegram_photo_of_the_wrong_shape_is_refused() -> None:
    update = hooks.telegram_update()
    update["message"]["photo"] = [{"file_id": ["not", "an", "id"]}]
    with pytest.raises(BadPayload):
        telegram.parse(update)


def test_messenger_attachments_without_text_are_a_message() -> None:
    event = hooks.facebook_event()
    message = event["entry"][0]["messaging"][0]["message"]
    del message["text"]
    message["attachments"] = [
        {"type": "image", "payload": {"url": "https://scontent.xx.fbcdn.net/a.jpg"}},
        {"type": "location", "payload": {"coordinates": {"lat": 1, "long": 2}}},
        {"type": "file", "payload": {"url": "https://cdn.fbsbx.com/b.pdf"}},
    ]
    [item] = facebook.parse(event)
    assert [f.ref for f in item.remote_files] == ["https://scontent.xx.fbcdn.net/a.jpg",
                                                  "https://cdn.fbsbx.com/b.pdf"]


def test_x_media_drops_its_tco_link_from_the_text() -> None:
    event = hooks.x_event(text="看这个 https://t.co/zz")
    event["direct_message_events"][0]["message_create"]["message_data"]["attachment"] = {
        "type": "media", "media": {"media_url_https": "https://ton.twitter.com/i/ton/data/dm/1/2/a.jpg",
                                   "url": "https://t.co/zz", "type": "photo"}}
    [item] = x.parse(event)
    assert item.text == "看这个"
    assert item.remote_files[0].ref.startswith("https://ton.twitter.com/")


@pytest.mark.parametrize(("url", "allowed"), [
    ("https://scontent.xx.fbcdn.net/v/a.jpg", True),
    ("https://fbcdn.net/a.jpg", True),
    ("https://fbcdn.net.evil.example/a.jpg", False),
    ("https://evilfbcdn.net/a.jpg", False),
    ("http://169.254.169.254/latest/meta-data", False),
    ("file:///etc/passwd", False),
    ("ftp://fbcdn.net/a.jpg", False),
])
def test_media_urls_are_fetched_only_from_the_platform_hosts(url: str, allowed: bool) -> None:
    assert media.host_allowed(url, ["fbcdn.net", "fbsbx.com"]) is allowed


def test_multipart_body_names_each_part() -> None:
    photo = OutboundFile('a"b.png', b"\x89PNG", "image/png")
    body, content_type = media.multipart({"chat_id": "42"}, {"photo": photo})
    boundary = content_type.split("boundary=")[1]
    assert body.startswith(f"--{boundary}\r\n".encode()) and body.endswith(f"--{boundary}--\r\n".encode())
    assert b'name="photo"; filename="ab.png"' in body and b"Content-Type: image/png" in body
