"""Building RFC 822 test messages: one keyword per difference from a plain customer email."""

import itertools
from email.message import EmailMessage
from email.utils import format_datetime

from django.utils import timezone

_seq = itertools.count(1)


def mail(
    *,
    sender: str = "li.ming@example.com",
    subject: str = "账户被锁 - 请求解锁",
    text: str = "我的账户被锁了，UID 20001234，请帮忙解锁。",
    message_id: str | None = "auto",
    in_reply_to: str = "",
    references: str = "",
    headers: dict[str, str] | None = None,
    attachments: tuple[tuple[str, bytes, str], ...] = (),
) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "support@okx.com"
    message["Subject"] = subject
    message["Date"] = format_datetime(timezone.now())
    if message_id == "auto":
        message["Message-ID"] = f"<t{next(_seq)}.{timezone.now().timestamp()}@example.com>"
    elif message_id:
        message["Message-ID"] = message_id
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
    if references:
        message["References"] = references
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(text)
    for filename, content, mime in attachments:
        maintype, subtype = mime.split("/")
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)
    return message.as_bytes()
