"""Search from the console's box and from the API's `q`: the same selector behind both."""

import pytest
from django.test import Client

from tests.factories import receive_one
from tests.helpers import console_login
from unlockdesk.staff.models import Agent

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client: Client, agent: Agent) -> Client:
    return console_login(client, agent)


def test_console_search_shows_ranked_hits_with_a_highlighted_snippet(signed_in: Client) -> None:
    receive_one(text="我想修改绑定的邮箱", sender="other@example.com")
    receipt = receive_one(text="您好，昨天开始我无法提币到冷钱包地址", sender="li@example.com")
    body = signed_in.get("/console/", {"q": "冷钱包"}).content.decode()
    assert receipt.ticket_number in body and "<mark>钱包</mark>" in body
    assert "修改绑定" not in body


def test_api_lists_tickets_and_searches_with_q(signed_in: Client) -> None:
    other = receive_one(text="where is my deposit", sender="d@example.com")
    receipt = receive_one(text="withdrawal stuck since Monday", sender="w@example.com")
    listed = signed_in.get("/api/tickets").json()
    assert {t["number"] for t in listed["tickets"]} == {other.ticket_number, receipt.ticket_number}
    found = signed_in.get("/api/tickets", {"q": "withdrawals"}).json()
    assert [t["number"] for t in found["tickets"]] == [receipt.ticket_number]
    assert "<mark>withdrawal</mark>" in found["tickets"][0]["snippet"]
    assert Client().get("/api/tickets", {"q": "withdrawals"}).status_code == 401
