"""Bad input on the chat sockets: a clear error frame, and nothing stored."""

import pytest

from tests.chat.conftest import agent_cookie, cid, open_socket, visitor
from tests.factories import make_agent
from unlockdesk.tickets.models import Message

pytestmark = pytest.mark.django_db(transaction=True)


async def test_chat_oversized_frame_gets_error_and_nothing_is_stored(layer: str, settings) -> None:
    customer, _ = await visitor()
    await customer.send(type="talk", text="x" * (settings.UNLOCKDESK_CHAT_MAX_FRAME_BYTES + 10),
                        client_id=cid())
    error = await customer.wait_for("error")
    assert error["code"] == "too_large"
    assert Message.objects.count() == 0
    await customer.close()


async def test_chat_unknown_message_type_gets_error(layer: str) -> None:
    customer, _ = await visitor()
    await customer.send(type="delete_everything")
    assert (await customer.wait_for("error"))["code"] == "unknown_type"
    await customer.send_raw("not json{")
    assert (await customer.wait_for("error"))["code"] == "bad_request"
    await customer.close()


async def test_chat_sockets_of_one_process_answer_each_in_its_own_language(layer: str) -> None:
    """A socket's language stays with its own task between frames: never another socket's."""
    sockets = {}
    for language in ("zh-hans", "en", "zh-hant"):
        connected, sockets[language] = await open_socket("/ws/chat/visitor/")
        assert connected
        await sockets[language].send(type="hello", language=language)
        await sockets[language].wait_for("welcome")
    expected = {"zh-hans": "未知的消息类型。", "en": "Unknown message type.", "zh-hant": "未知的訊息型別。"}
    for _round in range(2):  # interleaved: each frame after another socket's
        for language, socket in sockets.items():
            await socket.send(type="delete_everything")
            assert (await socket.wait_for("error"))["message"] == expected[language]
    for socket in sockets.values():
        await socket.close()


async def test_chat_frames_before_hello_are_refused(layer: str) -> None:
    connected, socket = await open_socket("/ws/chat/visitor/")
    assert connected
    await socket.send(type="talk", text="hi", client_id=cid())
    assert (await socket.wait_for("error"))["code"] == "hello_first"
    assert Message.objects.count() == 0
    await socket.close()


async def test_chat_flood_is_rate_limited_and_the_excess_is_not_stored(layer: str, settings) -> None:
    settings.UNLOCKDESK_CHAT_RATE_PER_SECOND = 1
    settings.UNLOCKDESK_CHAT_BURST = 3
    customer, _ = await visitor()  # hello takes one token
    await customer.send(type="talk", text="first question", client_id=cid())
    await customer.wait_for("ack")
    for n in range(8):
        await customer.send(type="message", text=f"flood {n}", client_id=cid())
    frames = await customer.quiet(0.5)
    assert any(f["type"] == "error" and f["code"] == "rate_limited" for f in frames)
    stored = Message.objects.filter(body_text__startswith="flood").count()
    assert stored == sum(1 for f in frames if f["type"] == "ack")
    assert stored < 8
    await customer.close()


async def test_chat_socket_for_someone_elses_conversation_is_refused(layer: str) -> None:
    owner, welcome = await visitor()
    await owner.send(type="talk", text="my private case", client_id=cid())
    await owner.wait_for("ack")
    intruder, intruder_welcome = await visitor()
    _connected, socket = await open_socket("/ws/chat/visitor/")
    await socket.send(type="hello", token=intruder_welcome["token"],
                      conversation=welcome["conversation"], last_seq=0)
    error = await socket.wait_for("error")
    assert error["code"] == "forbidden"
    assert all(f["type"] != "message" for f in socket.frames)
    assert Message.objects.filter(body_text="my private case").count() == 1
    await owner.close()
    await intruder.close()


async def test_chat_forged_visitor_token_starts_a_new_conversation(layer: str) -> None:
    owner, welcome = await visitor()
    forged = welcome["token"][:-4] + "AAAA"
    socket, other = await visitor(token=forged)
    assert other["token"] and other["conversation"] != welcome["conversation"]
    await owner.close()
    await socket.close()


async def test_chat_agent_socket_refuses_a_visitor_without_console_session(layer: str) -> None:
    connected, socket = await open_socket("/ws/chat/agent/")
    assert connected
    error = await socket.wait_for("error")
    assert error["code"] == "forbidden"
    assert (await socket.ws.receive_output(timeout=2))["type"] == "websocket.close"


async def test_chat_widget_socket_accepts_an_embed_origin_and_refuses_others(layer: str, settings) -> None:
    settings.UNLOCKDESK_CHAT_EMBED_ORIGINS = ["https://www.okx.com"]
    allowed, socket = await open_socket("/ws/chat/visitor/", origin=b"https://www.okx.com")
    assert allowed
    await socket.close()
    refused, _ = await open_socket("/ws/chat/visitor/", origin=b"https://okx-support.help")
    assert not refused


async def test_chat_agent_socket_refuses_a_foreign_origin(layer: str, settings) -> None:
    settings.UNLOCKDESK_CHAT_EMBED_ORIGINS = ["https://www.okx.com"]
    agent = make_agent()


    connected, _ = await open_socket("/ws/chat/agent/", cookie=agent_cookie(agent),
                                     origin=b"https://www.okx.com")
    assert not connected
