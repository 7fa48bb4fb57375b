"""The corpus of tricky mail (tests/intake/data/mail/): each file ingests to its expected result.

expected.json says, per file, the status and what must (or must not) be stored: charsets
(UTF-8, GB2312 that is really GBK, GB18030, Big5, ISO-2022-JP, mislabelled and raw 8-bit),
RFC 2047 words, QP/base64, hostile HTML-only mail, quoted history, attachments, automatic
mail, bounces, secrets and malformed input.
"""

import json
from pathlib import Path
from typing import Any

import pytest

from unlockdesk.intake.mail.ingest import ingest
from unlockdesk.tickets.models import Attachment, Direction, Message, Ticket

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data" / "mail"
EXPECTED: dict[str, dict[str, Any]] = json.loads((DATA / "expected.json").read_text())


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_message_ingests_as_expected(name: str) -> None:
    want = EXPECTED[name]
    result = ingest((DATA / name).read_bytes())
    assert result.status == want["status"], result
    if "reason_contains" in want:
        assert want["reason_contains"] in result.reason
    if "acknowledged" in want:
        assert result.acknowledged == want["acknowledged"]
    if want["status"] in ("rejected", "ignored"):
        assert result.ticket == want.get("ticket", result.ticket)
        assert Message.objects.count() == 0 and Ticket.objects.count() == 0
        return
    message = Message.objects.get(direction=Direction.INBOUND)
    assert message.ticket.number == result.ticket
    _check_stored(message, want)


def _check_stored(message: Message, want: dict[str, Any]) -> None:
    if "subject" in want:
        assert message.subject == want["subject"]
    for fragment in want.get("text_contains", []):
        assert fragment in message.body_text
    for fragment in want.get("text_excludes", []):
        assert fragment not in message.body_text
    for fragment in want.get("html_contains", []):
        assert fragment in message.body_html
    for fragment in want.get("html_excludes", []):
        assert fragment not in message.body_html.lower()
    if "category" in want:
        assert message.ticket.category == want["category"]
    if "sender" in want:
        assert message.contact.identities.get().value == want["sender"]
    if "name" in want:
        assert message.contact.display_name == want["name"]
    if "display" in want:
        offset = int(message.headers["quote_offset"])
        assert message.body_text[:offset].strip() == want["display"]
    if "external_id_prefix" in want:
        assert message.external_id.startswith(want["external_id_prefix"])
    attachments = list(Attachment.objects.filter(message=message).order_by("id"))
    if "attachments" in want:
        assert len(attachments) == want["attachments"]
    if "inline" in want:
        assert sum(a.inline for a in attachments) == want["inline"]
    if "filenames" in want:
        assert [a.filename for a in attachments] == want["filenames"]
    if "attachment_excludes" in want:
        with attachments[0].file.open("rb") as handle:
            assert want["attachment_excludes"].encode() not in handle.read()


def test_every_corpus_file_has_an_expectation() -> None:
    assert {p.name for p in DATA.glob("*.eml")} == set(EXPECTED)
