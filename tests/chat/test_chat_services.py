"""Chat services and HTTP views: guidance, transfer, end and reopen, follow-up by email,
attachments, transcript, continuing from the portal."""

import uuid
from datetime import timedelta

import pytest
from django.core import mail, signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone, translation

from tests.chat.conftest import chat_with_ticket
from tests.factories import make_account, make_agent
from tests.helpers import console_login, portal_login
from unlockdesk.chat import guidance, services
from unlockdesk.chat.consumers import TRANSCRIPT_SALT
from unlockdesk.chat.frames import message_frame
from unlockdesk.chat.models import Conversation, State
from unlockdesk.chat.selectors import PRESENCE_SECONDS, live_chats
from unlockdesk.helpcenter.services import load_shipped_content
from unlockdesk.safety.models import AuditEntry
from unlockdesk.tickets.models import Attachment, Delivery, Message, Queue, Status, Ticket

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c63000100000500010d0a2db40000000049454e44ae426082")


def test_chat_guidance_without_matching_article_offers_next_steps_and_freeze_for_stolen_account(
) -> None:
    with translation.override("en"):  # no articles loaded: nothing matches
        found = guidance.guide("my account was hacked and funds stolen", "en")
    assert found.urgent and found.recommendation == "freeze_and_agent"
    assert found.articles == []
    assert any("Freeze" in step for step in found.next_steps)


def test_chat_guidance_offers_help_center_articles_from_its_search() -> None:
    load_shipped_content()
    with translation.override("zh-hans"):
        found = guidance.guide("我的账户被锁定了，怎么解锁？", "zh-hans")
    assert 1 <= len(found.articles) <= guidance.ARTICLE_LIMIT
    assert all(article.url.startswith("/help/") for article in found.articles)
    assert found.next_steps == []
    with translation.override("en"):
        urgent = guidance.guide("Someone stole my account and is withdrawing my funds", "en")
    assert urgent.recommendation == "freeze_and_agent" and urgent.articles


def test_chat_transfer_to_queue_puts_the_chat_back_in_waiting_and_is_audited() -> None:
    agent = make_agent()
    _, conversation = chat_with_ticket()
    conversation = services.accept(conversation, agent)
    queue = Queue.objects.create(slug="vip", name="VIP")
    moved = services.transfer(conversation, agent, to_queue="vip")
    assert moved.state == State.WAITING and moved.agent is None and moved.queue == queue
    assert moved.ticket is not None and moved.ticket.queue == queue
    assert AuditEntry.objects.filter(action="chat.transfer").exists()


def test_chat_transfer_to_an_agent_number_assigns_the_ticket() -> None:
    agent, other = make_agent(), make_agent(agent_number="Z0042")
    _, conversation = chat_with_ticket()
    moved = services.transfer(services.accept(conversation, agent), agent, to_agent="Z0042")
    assert moved.agent == other and moved.ticket is not None and moved.ticket.assignee == other


def test_chat_second_agent_cannot_accept_a_taken_chat() -> None:
    _, conversation = chat_with_ticket()
    services.accept(conversation, make_agent())
    with pytest.raises(services.ChatRefused):
        services.accept(conversation, make_agent())


def test_chat_end_resolves_the_ticket_and_writing_again_reopens_it() -> None:
    agent = make_agent()
    _, conversation = chat_with_ticket()
    ended = services.agent_end(services.accept(conversation, agent), agent)
    assert ended.state == State.ENDED and ended.ticket is not None
    assert ended.ticket.status == Status.RESOLVED
    posted = services.send_to_agent(conversation=ended, text="one more thing",
                                    client_id=uuid.uuid4().hex, open_ticket=False)
    assert posted.conversation.state == State.WAITING
    assert posted.conversation.ticket_id == ended.ticket_id
    ticket = _ticket(posted.conversation)
    ticket.refresh_from_db()
    assert ticket.status == Status.WAITING_US


@pytest.mark.django_db(transaction=True)
def test_chat_customer_who_left_gets_agent_reply_by_email_with_continue_link() -> None:
    agent = make_agent(agent_number="E0007")
    _, conversation = chat_with_ticket(email="gone@example.com")
    mail.outbox.clear()
    message = services.agent_send(conversation, agent, text="Your documents are approved.",
                                  client_id=uuid.uuid4().hex, internal=False)
    message.refresh_from_db()
    assert message.delivery == Delivery.SENT
    sent = [m for m in mail.outbox if "gone@example.com" in m.to]
    assert len(sent) == 1
    assert "Your documents are approved." in str(sent[0].body) and "E0007" in str(sent[0].body)
    assert f"/chat/continue/{_ticket(conversation).number}/" in str(sent[0].body)


@pytest.mark.django_db(transaction=True)
def test_chat_customer_still_connected_gets_reply_live_not_by_email() -> None:
    agent = make_agent()
    _, conversation = chat_with_ticket(email="here@example.com")
    services.customer_presence(conversation, +1)
    mail.outbox.clear()
    message = services.agent_send(conversation, agent, text="Still there?", client_id=uuid.uuid4().hex,
                                  internal=False)
    message.refresh_from_db()
    assert message.delivery == Delivery.SENT and message.provider_id.startswith("chat:live")
    assert not [m for m in mail.outbox if "here@example.com" in m.to]


@pytest.mark.django_db(transaction=True)
def test_chat_socket_count_left_by_a_crashed_server_expires_and_reply_goes_by_email() -> None:
    agent = make_agent()
    _, conversation = chat_with_ticket(email="crashed@example.com")
    services.customer_presence(conversation, +1)
    Conversation.objects.filter(pk=conversation.pk).update(
        customer_seen_at=timezone.now() - timedelta(seconds=PRESENCE_SECONDS + 5))
    mail.outbox.clear()
    services.agent_send(conversation, agent, text="Are you there?", client_id=uuid.uuid4().hex,
                        internal=False)
    assert [m for m in mail.outbox if "crashed@example.com" in m.to]


def test_chat_upload_of_a_pdf_is_stored_on_the_ticket() -> None:
    token, conversation = chat_with_ticket()
    response = Client().post("/chat/upload/", {
        "token": token, "conversation": str(conversation.public_id), "client_id": uuid.uuid4().hex,
        "file": _file("statement.pdf", PDF)})
    assert response.status_code == 200, response.content
    attachment = Attachment.objects.get()
    assert attachment.content_type == "application/pdf"
    assert attachment.message.seq == response.json()["seq"]


def test_chat_upload_of_an_image_named_pdf_is_sniffed_as_image() -> None:
    token, conversation = chat_with_ticket()
    response = Client().post("/chat/upload/", {
        "token": token, "conversation": str(conversation.public_id), "client_id": uuid.uuid4().hex,
        "file": _file("notreally.pdf", PNG)})
    assert response.status_code == 200
    assert Attachment.objects.get().content_type == "image/png"


def test_chat_upload_of_an_executable_is_refused_and_nothing_stored() -> None:
    token, conversation = chat_with_ticket()
    before = Message.objects.count()
    response = Client().post("/chat/upload/", {
        "token": token, "conversation": str(conversation.public_id), "client_id": uuid.uuid4().hex,
        "file": _file("photo.jpg", b"MZ\x90\x00" + bytes(range(256)) * 4)})
    assert response.status_code == 400 and response.json()["code"] == "attachment"
    assert Message.objects.count() == before and not Attachment.objects.exists()


def test_chat_upload_over_the_size_limit_is_refused(settings) -> None:
    settings.UNLOCKDESK_ATTACHMENT_MAX_BYTES = 1024
    token, conversation = chat_with_ticket()
    response = Client().post("/chat/upload/", {
        "token": token, "conversation": str(conversation.public_id), "client_id": uuid.uuid4().hex,
        "file": _file("big.pdf", PDF + b"0" * 2048)})
    assert response.status_code == 400 and not Attachment.objects.exists()


def test_chat_upload_to_someone_elses_conversation_is_forbidden() -> None:
    _, conversation = chat_with_ticket()
    other_token, _ = chat_with_ticket()
    response = Client().post("/chat/upload/", {
        "token": other_token, "conversation": str(conversation.public_id),
        "client_id": uuid.uuid4().hex, "file": _file("a.pdf", PDF)})
    assert response.status_code == 403 and not Attachment.objects.exists()


def test_chat_transcript_link_downloads_the_conversation_without_notes() -> None:
    agent = make_agent()
    _, conversation = chat_with_ticket(text="transcript please")
    services.agent_send(conversation, agent, text="secret internal note", client_id=uuid.uuid4().hex,
                        internal=True)
    signed = signing.dumps({"c": str(conversation.public_id), "v": conversation.visitor},
                           salt=TRANSCRIPT_SALT)
    response = Client().get(f"/chat/transcript/{signed}/")
    body = response.content.decode()
    assert response.status_code == 200 and "transcript please" in body
    assert "secret internal note" not in body
    assert Client().get(f"/chat/transcript/{signed[:-3]}xyz/").status_code == 404


def test_chat_continue_page_opens_own_ticket_only() -> None:
    make_account(email="cont@example.com")
    _, conversation = chat_with_ticket(email="cont@example.com")
    _, foreign = chat_with_ticket(email="someone-else@example.com")
    services.customer_end(conversation)
    client = portal_login(Client(), "cont@example.com")
    portal_page = client.get(f"/portal/tickets/{_ticket(conversation).number}/").content.decode()
    assert f'href="/chat/continue/{_ticket(conversation).number}/"' in portal_page
    page = client.get(f"/chat/continue/{_ticket(conversation).number}/")
    assert page.status_code == 200 and b'id="ud-chat-continue"' in page.content
    assert client.get(f"/chat/continue/{_ticket(foreign).number}/").status_code == 404


def test_chat_console_page_needs_an_agent(agent) -> None:
    assert Client().get("/chat/console/").status_code == 302
    page = console_login(Client(), agent).get("/chat/console/")
    assert page.status_code == 200 and b'id="chat-list"' in page.content


def test_chat_widget_is_on_portal_pages_but_not_in_the_console(agent) -> None:
    assert b"chat/widget.js" in Client().get("/").content
    assert b"chat/widget.js" not in console_login(Client(), agent).get("/chat/console/").content


def _file(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def _ticket(conversation: Conversation) -> Ticket:
    assert conversation.ticket is not None
    return conversation.ticket


def test_chat_customer_back_from_another_browser_is_listed_once() -> None:
    agent = make_agent()
    _, first = chat_with_ticket(email="twice@example.com")
    _, second = chat_with_ticket(email="twice@example.com", text="Still locked, writing from my phone")
    assert first.ticket_id == second.ticket_id and first.pk != second.pk
    listed = [c.pk for c in live_chats(agent) if c.ticket_id == first.ticket_id]
    assert listed == [second.pk]


def test_chat_frame_says_what_was_removed_instead_of_a_placeholder() -> None:
    _, conversation = chat_with_ticket(text="my password is Hunter2-Secret!9 please check")
    message = Message.objects.filter(ticket=conversation.ticket, direction="in").latest("seq")
    assert "[REDACTED:password]" in message.body_text
    with translation.override("zh-hans"):
        text = message_frame(message)["text"]
    assert "[REDACTED" not in text and "Hunter2" not in text and "已删除：密码" in text
