"""The email benchmark's corpus: N realistic customer messages, deterministic for a seed.

Mixed charsets (UTF-8, GBK labelled GB2312, GB18030 quoted-printable, Big5, ISO-2022-JP),
HTML-only mail, replies that reference the sender's earlier Message-ID, attachments (PNG
screenshots, PDF statements), out-of-office replies and a few redeliveries. Written as .eml
files so any importer (ours, django-helpdesk's) reads the very same bytes.
"""

import base64
import quopri
import random
from datetime import UTC, datetime, timedelta
from email.header import Header
from email.utils import format_datetime
from pathlib import Path

PNG_HEADER = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
              b"\x00\x1f\x15\xc4\x89")
PDF_HEADER = b"%PDF-1.4\n"
SUBJECTS = ["账户被锁 - 请求解锁", "提现被冻结", "无法登录，提示账户异常", "KYC 审核失败", "充值未到账",
            "Account locked, please help", "Withdrawal on hold"]
BODIES_ZH = ["您好，我的账户被锁了，无法登录。UID：{uid}，注册邮箱：{email}。时间：{when}。现象：登录提示"
             "“账户已冻结”。已尝试：重置密码，联系在线客服。",
             "我的提现一直在审核中，订单号 {uid}88，请尽快处理。谢谢！",
             "客服你好，喆先生的账户在 {when} 被风控锁定，需要提供哪些材料？"]
BODIES_TW = "您好，我的帳戶被鎖定，無法提幣。UID {uid}，請協助解鎖。"
BODY_JP = "アカウントがロックされました。UID {uid}。解除をお願いします。"
BODY_EN = "Hello, my account {uid} was locked at {when}. I tried resetting the password. Please help."


def _ew(text: str, charset: str) -> str:
    return Header(text, charset).encode()


def _b64(data: bytes) -> str:
    return base64.encodebytes(data).decode()


def _message(rng: random.Random, index: int, sender: str, uid: str, refs: list[str],
             when: datetime) -> tuple[str, bytes]:
    message_id = f"<bench-{index}.{rng.randrange(10**9)}@example.com>"
    kind = rng.choices(["utf8", "gbk", "gb18030", "big5", "jis", "html"], [40, 15, 10, 10, 5, 20])[0]
    subject = rng.choice(SUBJECTS)
    fill = {"uid": uid, "email": sender, "when": when.strftime("%Y-%m-%d %H:%M")}
    head = (f"From: {_ew('客户' + uid[-3:], 'utf-8')} <{sender}>\r\nTo: support@okx.com\r\n"
            f"Date: {format_datetime(when)}\r\nMessage-ID: {message_id}\r\nMIME-Version: 1.0\r\n")
    if refs:
        head += f"In-Reply-To: {refs[-1]}\r\nReferences: {' '.join(refs[-5:])}\r\n"
        subject = "Re: " + subject
    if kind == "gbk":
        body = rng.choice(BODIES_ZH).format(**fill)
        part = ("Content-Type: text/plain; charset=gb2312\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + _b64(body.encode("gbk")))
        head += "Subject: =?gb2312?B?" + base64.b64encode(subject.encode("gbk")).decode() + "?=\r\n"
    elif kind == "gb18030":
        body = rng.choice(BODIES_ZH).format(**fill) + " 😀"
        part = ("Content-Type: text/plain; charset=gb18030\r\n"
                "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
                + quopri.encodestring(body.encode("gb18030")).decode())
        head += f"Subject: {_ew(subject, 'gb18030')}\r\n"
    elif kind == "big5":
        part = ("Content-Type: text/plain; charset=big5\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + _b64(BODIES_TW.format(**fill).encode("big5")))
        head += f"Subject: {_ew('帳戶被鎖', 'big5')}\r\n"
    elif kind == "jis":
        part = ("Content-Type: text/plain; charset=ISO-2022-JP\r\nContent-Transfer-Encoding: 7bit\r\n\r\n"
                + BODY_JP.format(**fill).encode("iso2022_jp").decode("ascii") + "\r\n")
        head += f"Subject: {_ew('アカウントロック', 'iso-2022-jp')}\r\n"
    elif kind == "html":
        html = (f"<html><body><p>{rng.choice(BODIES_ZH).format(**fill)}</p>"
                '<img src="https://tracker.example/p.gif"><script>x()</script></body></html>')
        part = ("Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + _b64(html.encode()))
        head += f"Subject: {_ew(subject, 'utf-8')}\r\n"
    else:
        body = (BODY_EN if rng.random() < 0.3 else rng.choice(BODIES_ZH)).format(**fill)
        if refs:
            body += "\n\nOn Mon, 23 Nov 2026 at 10:00, Support <support@okx.com> wrote:\n> 请提供材料\n"
        part = ("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + _b64(body.encode()))
        head += f"Subject: {_ew(subject, 'utf-8')}\r\n"
    if rng.random() < 0.2:
        size = rng.randrange(20_000, 120_000)
        if rng.random() < 0.7:
            name, mime, data = "screenshot.png", "image/png", PNG_HEADER + rng.randbytes(size)
        else:
            name, mime, data = "statement.pdf", "application/pdf", PDF_HEADER + rng.randbytes(size)
        boundary = f"B{index}"
        raw = (head + f'Content-Type: multipart/mixed; boundary="{boundary}"\r\n\r\n'
               f"--{boundary}\r\n{part}\r\n--{boundary}\r\nContent-Type: {mime}; name=\"{name}\"\r\n"
               f'Content-Disposition: attachment; filename="{name}"\r\n'
               "Content-Transfer-Encoding: base64\r\n\r\n"
               + _b64(data) + f"--{boundary}--\r\n")
    else:
        raw = head + part
    if rng.random() < 0.03:
        raw = raw.replace("MIME-Version: 1.0\r\n", "MIME-Version: 1.0\r\nAuto-Submitted: auto-replied\r\n")
    return message_id, raw.encode("utf-8")


def generate(directory: Path, count: int, *, seed: int = 4) -> list[Path]:
    """Write `count` messages (plus ~2% redeliveries) as NNNNN.eml; returns the paths in order."""
    rng = random.Random(seed)
    directory.mkdir(parents=True, exist_ok=True)
    senders = [f"customer{n}@example.com" for n in range(max(20, count // 4))]
    history: dict[str, list[str]] = {}
    start = datetime(2026, 11, 1, tzinfo=UTC)
    paths: list[Path] = []
    previous = b""
    for index in range(count):
        path = directory / f"{index:05d}.eml"
        if previous and rng.random() < 0.02:
            path.write_bytes(previous)  # a redelivery: same bytes again
        else:
            sender = rng.choice(senders)
            refs = history.get(sender, []) if rng.random() < 0.5 else []
            uid = str(20_000_000 + senders.index(sender))
            message_id, raw = _message(rng, index, sender, uid, refs,
                                       start + timedelta(minutes=7 * index))
            history.setdefault(sender, []).append(message_id)
            path.write_bytes(raw)
            previous = raw
        paths.append(path)
    return paths
