"""The parser on damaged mail: whatever the bytes, the answer is a parsed message or
MalformedMail with a reason (which ingest reports as `rejected`), never a crash."""

import random
from pathlib import Path

import pytest

from tests.intake.mailfactory import mail
from unlockdesk.intake.mail.ingest import ingest
from unlockdesk.intake.mail.parse import MalformedMail, parse_bytes
from unlockdesk.tickets.models import Attachment, Message

DATA = Path(__file__).parent / "data" / "mail"


def _mutations(seed: int = 7, count: int = 400) -> list[bytes]:
    rng = random.Random(seed)
    originals = [p.read_bytes() for p in sorted(DATA.glob("*.eml")) if p.stat().st_size > 100]
    out = []
    for _ in range(count):
        data = bytearray(rng.choice(originals))
        for _flip in range(rng.randrange(1, 20)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        if rng.random() < 0.3:
            data = data[: rng.randrange(len(data))]
        out.append(bytes(data))
    return out


def test_damaged_mail_parses_or_is_malformed_never_crashes() -> None:
    outcomes = {"parsed": 0, "malformed": 0}
    for data in _mutations():
        try:
            parse_bytes(data)
        except MalformedMail as exc:
            assert str(exc)
            outcomes["malformed"] += 1
        else:
            outcomes["parsed"] += 1
    assert outcomes["parsed"] > 0 and outcomes["malformed"] > 0


@pytest.mark.django_db
def test_attachment_over_the_size_limit_is_rejected_and_the_mail_kept(settings) -> None:  # type: ignore[no-untyped-def]
    settings.UNLOCKDESK_ATTACHMENT_MAX_BYTES = 1024
    big = b"%PDF-1.4\n" + bytes(4096)
    result = ingest(mail(attachments=(("statement.pdf", big, "application/pdf"),)))
    assert result.status == "created" and "statement.pdf: too_large" in result.reason
    assert Message.objects.filter(direction="in").count() == 1 and Attachment.objects.count() == 0


@pytest.mark.django_db
def test_message_over_the_mail_size_limit_is_rejected(settings) -> None:  # type: ignore[no-untyped-def]
    settings.UNLOCKDESK_EMAIL_MAX_BYTES = 2048
    result = ingest(mail(text="x" * 5000))
    assert result.status == "rejected" and "larger than" in result.reason
    assert Message.objects.count() == 0
