"""A file an agent sends in a chat reaches the visitor as a link only they can open."""

import io
from typing import Any

import pytest
from django.core import signing
from django.test import Client
from PIL import Image

from tests.chat.conftest import chat_with_ticket, cid, visitor
from tests.factories import make_agent
from unlockdesk.chat import files
from unlockdesk.chat.models import Conversation
from unlockdesk.chat.selectors import ChatAccessDenied
from unlockdesk.safety.models import AuditEntry
from unlockdesk.tickets.models import Attachment, Ticket
from unlockdesk.tickets.services.outbound import reply

pytestmark = pytest.mark.django_db(transaction=True)


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (20, 120, 200)).save(buffer, "PNG")
    return buffer.getvalue()


async def _chat_with_ticket() -> tuple[Any, dict[str, Any], Conversation]:
    customer, welcome = await visitor()
    client_id = cid()
    await customer.send(type="talk", text="Here is my problem", client_id=client_id)
    await customer.wait_for("ack", client_id=client_id)
    return customer, welcome, Conversation.objects.get(public_id=welcome["conversation"])


def _agent_sends_picture(ticket: Ticket, *, internal: bool = False) -> Attachment:
    message = reply(ticket=ticket, agent=make_agent(), text="See the picture", internal=internal,
                    files=[("steps.png", png())])
    return Attachment.objects.get(message=message)


async def test_the_visitor_opens_the_agents_picture_through_a_link_of_their_own(layer: str) -> None:
    customer, _welcome, conversation = await _chat_with_ticket()
    item = _agent_sends_picture(conversation.ticket)
    shown = await customer.wait_for("message", text="See the picture")
    assert [a["id"] for a in shown["attachments"]] == [item.pk]
    await customer.send(type="file", id=item.pk)
    link = await customer.wait_for("file")
    response = Client().get(link["url"])
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response.content == item.file.storage.read_bytes(item.file.name)  # type: ignore[attr-defined]
    assert AuditEntry.objects.filter(action="attachment.view", target=f"attachment:{item.pk}").exists()
    await customer.close()


async def test_a_file_of_another_ticket_or_a_note_is_refused(layer: str) -> None:
    customer, _welcome, conversation = await _chat_with_ticket()
    _other, _w, elsewhere = await _chat_with_ticket()
    foreign = _agent_sends_picture(elsewhere.ticket)
    note = _agent_sends_picture(conversation.ticket, internal=True)
    for item_id in (foreign.pk, note.pk, "1 OR 1=1", None):
        await customer.send(type="file", id=item_id)
        refused = await customer.wait_for("error")
        assert "not part of this chat" in refused["message"]
    await customer.close()
    await _other.close()


def test_a_link_opens_only_for_its_visitor_and_its_conversation() -> None:
    (_, mine), (_, theirs) = chat_with_ticket(text="hello"), chat_with_ticket(text="hello")
    item = _agent_sends_picture(mine.ticket)
    path = files.file_link(mine, mine.visitor, item.pk)
    assert files.attachment_from_link(path.split("/")[3])[0] == item
    with pytest.raises(ChatAccessDenied):
        files.file_link(theirs, theirs.visitor, item.pk)
    forged = signing.dumps({"c": str(mine.public_id), "v": theirs.visitor, "a": item.pk},
                           salt="unlockdesk.chat.file")
    for bad in (forged, path.split("/")[3][:-2] + "xx", "nonsense"):
        assert Client().get(f"/chat/files/{bad}/").status_code == 404
