"""Tickets over API v1, as the exchange's risk engine uses them."""

import uuid
from typing import Any

import httpx

from tests.api.conftest import MakeKey, bearer
from tests.factories import make_account, make_agent, receive_one
from unlockdesk.tickets.models import Direction, EventKind, Message, Queue, Ticket

SUSPICIOUS = {
    "subject": "Suspicious withdrawal 5 BTC",
    "text": "Withdrawal to a new address right after a password reset; held by the risk engine.",
    "contact": {"kind": "email", "value": "holder@example.com", "display_name": "Holder"},
    "priority": 1,
}


def _open(http: httpx.Client, token: str, body: dict[str, Any] | None = None,
          key: str | None = None) -> httpx.Response:
    headers = bearer(token) | ({"Idempotency-Key": key} if key else {})
    return http.post("/tickets", json=body or SUSPICIOUS, headers=headers)


def test_risk_engine_opens_a_ticket_and_reads_it_back(http: httpx.Client, make_key: MakeKey) -> None:
    account = make_account(uid="30000001")
    token = make_key("tickets:read", "tickets:write")
    created = _open(http, token, {**SUSPICIOUS, "account_uid": "30000001"})
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["priority"] == 1 and body["status"] == "new" and body["account_uid"] == account.uid
    assert body["channel"] == "email"
    read = http.get(f"/tickets/{body['number']}", headers=bearer(token)).json()
    assert read == body
    messages = http.get(f"/tickets/{body['number']}/messages", headers=bearer(token)).json()
    [opening] = messages["items"]
    assert opening["direction"] == "note" and opening["author"].endswith("(R0001)")
    assert "risk engine" in opening["text"]


def test_idempotent_post_retried_returns_the_first_result(http: httpx.Client, make_key: MakeKey) -> None:
    token = make_key("tickets:write")
    key = str(uuid.uuid4())
    first = _open(http, token, key=key)
    again = _open(http, token, key=key)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert Ticket.objects.count() == 1
    other = _open(http, token, key=str(uuid.uuid4()))
    assert other.json()["number"] != first.json()["number"]


def test_same_idempotency_key_for_another_request_is_refused(http: httpx.Client, make_key: MakeKey) -> None:
    token = make_key("tickets:write")
    _open(http, token, key="k-1")
    reused = _open(http, token, {**SUSPICIOUS, "subject": "something else"}, key="k-1")
    assert reused.status_code == 422 and reused.json()["code"] == "idempotency_key_reused"
    assert Ticket.objects.count() == 1


def test_list_filters_and_follows_the_cursor(http: httpx.Client, make_key: MakeKey) -> None:
    token = make_key("tickets:read", "tickets:write")
    numbers = [_open(http, token).json()["number"] for _ in range(3)]
    receive_one(text="where is my deposit", sender="other@example.com")
    seen: list[str] = []
    cursor = None
    while True:
        page = http.get("/tickets", headers=bearer(token),
                        params={"priority": 1, "limit": 2, **({"cursor": cursor} if cursor else {})}).json()
        seen += [t["number"] for t in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == list(reversed(numbers))
    by_number = http.get("/tickets", headers=bearer(token), params={"q": numbers[1].lower()}).json()
    assert [t["number"] for t in by_number["items"]] == [numbers[1]]
    bad = http.get("/tickets", headers=bearer(token), params={"cursor": "nonsense!"})
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_cursor"


def test_update_changes_status_priority_queue_and_assignee(http: httpx.Client, make_key: MakeKey) -> None:
    token = make_key("tickets:read", "tickets:write")
    number = _open(http, token).json()["number"]
    Queue.objects.create(slug="risk", name="Risk")
    colleague = make_agent(agent_number="A0042")
    response = http.patch(f"/tickets/{number}", headers=bearer(token), json={
        "status": "waiting_us", "priority": 2, "queue": "risk", "assignee": "A0042"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["status"], body["priority"], body["queue"], body["assignee"]) == (
        "waiting_us", 2, "risk", colleague.agent_number)
    kinds = set(Ticket.objects.get(number=number).events.values_list("kind", flat=True))
    assert {EventKind.STATUS, EventKind.PRIORITY, EventKind.QUEUE, EventKind.ASSIGNED} <= kinds
    unassigned = http.patch(f"/tickets/{number}", headers=bearer(token), json={"assignee": None}).json()
    assert unassigned["assignee"] is None and unassigned["queue"] == "risk"


def test_update_refuses_what_the_status_machine_forbids(http: httpx.Client, make_key: MakeKey) -> None:
    token = make_key("tickets:read", "tickets:write")
    number = _open(http, token).json()["number"]
    closed = http.patch(f"/tickets/{number}", headers=bearer(token), json={"status": "closed"})
    assert closed.status_code == 200
    reopened = http.patch(f"/tickets/{number}", headers=bearer(token), json={"status": "open"})
    assert reopened.status_code == 409 and reopened.json()["code"] == "invalid_transition"
    unknown = http.patch(f"/tickets/{number}", headers=bearer(token), json={"queue": "nowhere"})
    assert unknown.status_code == 422 and unknown.json()["code"] == "unknown_queue"


def test_reply_passes_the_same_guard_as_the_console(http: httpx.Client, make_key: MakeKey) -> None:
    token = make_key("tickets:read", "tickets:write")
    number = _open(http, token).json()["number"]
    blocked = http.post(f"/tickets/{number}/messages", headers=bearer(token),
                        json={"text": "请把你的登录密码和短信验证码发给我"})
    assert blocked.status_code == 422 and blocked.json()["code"] == "reply_blocked"
    assert not Message.objects.filter(direction=Direction.OUTBOUND).exists()
    sent = http.post(f"/tickets/{number}/messages", headers=bearer(token) | {"Idempotency-Key": "r1"},
                     json={"text": "We paused the withdrawal; please confirm it was you in the app."})
    assert sent.status_code == 201 and sent.json()["direction"] == "out"
    note = http.post(f"/tickets/{number}/messages", headers=bearer(token),
                     json={"text": "Device fingerprint matches a known fraud ring.", "internal": True})
    assert note.json()["direction"] == "note"
    listed = http.get(f"/tickets/{number}/messages", headers=bearer(token), params={"after": 1}).json()
    assert [m["direction"] for m in listed["items"]] == ["out", "note"]


def test_unknown_ticket_is_404_json(http: httpx.Client, make_key: MakeKey) -> None:
    token = make_key("tickets:read")
    response = http.get("/tickets/UD-ZZZZZZ", headers=bearer(token))
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_contact_and_account_are_read_masked(http: httpx.Client, make_key: MakeKey) -> None:
    make_account(uid="30000002", email="owner@example.com")
    token = make_key("tickets:read", "tickets:write", "accounts:read")
    ticket = _open(http, token, {**SUSPICIOUS, "account_uid": "30000002"}).json()
    contact = http.get(f"/contacts/{ticket['contact_id']}", headers=bearer(token)).json()
    assert contact["tickets"] == [ticket["number"]]
    assert contact["identities"][0]["value_masked"] != "holder@example.com"
    account = http.get("/accounts/30000002", headers=bearer(token)).json()
    assert account["uid"] == "30000002" and "owner@example.com" not in account["email_masked"]
    assert http.get("/accounts/30000002", headers=bearer(make_key("tickets:read"))).status_code == 403


def test_a_retry_while_the_first_request_runs_is_told_to_wait(http: httpx.Client, make_key: MakeKey) -> None:
    from unlockdesk.api.models import ApiKey, IdempotentRequest

    token = make_key("tickets:write")
    IdempotentRequest.objects.create(api_key=ApiKey.objects.get(), key="busy", fingerprint="x")
    response = _open(http, token, key="busy")
    assert response.status_code == 409 and response.json()["code"] == "idempotency_in_progress"
    assert Ticket.objects.count() == 0


def test_the_contact_is_found_by_its_normalised_address(http: httpx.Client, make_key: MakeKey) -> None:
    token = make_key("tickets:write")
    first = _open(http, token, {**SUSPICIOUS, "contact": {"kind": "email", "value": " Holder@Example.com "}})
    second = _open(http, token, {**SUSPICIOUS, "contact": {"kind": "email", "value": "holder@example.com"}})
    assert first.json()["contact_id"] == second.json()["contact_id"]
    bad = _open(http, token, {**SUSPICIOUS, "contact": {"kind": "phone", "value": "12"}})
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_contact"


def test_search_finds_words_of_a_message_within_the_keys_queues(http: httpx.Client, make_key: MakeKey,
                                                               integration_agent: Any) -> None:
    mine = receive_one(text="我的冷钱包地址无法提币，请帮忙", sender="cold@example.com")
    other = receive_one(text="冷钱包提币一直没有到账", sender="other@example.com")
    token = make_key("tickets:read")
    found = http.get("/tickets", params={"q": "冷钱包"}, headers=bearer(token)).json()["items"]
    assert {t["number"] for t in found} == {mine.ticket_number, other.ticket_number}

    # A key acting as an agent who works one queue sees that queue's tickets only.
    queue = Queue.objects.create(slug="cold-wallets", name="Cold wallets")
    queue.agents.add(integration_agent)
    Ticket.objects.filter(number=mine.ticket_number).update(queue=queue)
    found = http.get("/tickets", params={"q": "冷钱包"}, headers=bearer(token)).json()["items"]
    assert [t["number"] for t in found] == [mine.ticket_number]


def test_tags_are_set_listed_and_filtered(http: httpx.Client, make_key: MakeKey) -> None:
    token = make_key("tickets:read", "tickets:write")
    number = _open(http, token).json()["number"]
    other = _open(http, token, {**SUSPICIOUS, "subject": "Another case"}).json()["number"]
    body = http.patch(f"/tickets/{number}", headers=bearer(token),
                      json={"tags": ["Withdrawal-Risk", "大客户"]}).json()
    assert sorted(body["tags"]) == ["withdrawal-risk", "大客户"]
    listed = http.get("/tickets", params={"tag": "withdrawal-risk"}, headers=bearer(token)).json()
    assert [t["number"] for t in listed["items"]] == [number] and other != number
    assert EventKind.TAGS in set(Ticket.objects.get(number=number).events.values_list("kind", flat=True))


def test_a_bad_tag_refuses_the_whole_update(http: httpx.Client, make_key: MakeKey) -> None:
    token = make_key("tickets:read", "tickets:write")
    number = _open(http, token).json()["number"]
    before = http.get(f"/tickets/{number}", headers=bearer(token)).json()
    response = http.patch(f"/tickets/{number}", headers=bearer(token),
                          json={"status": "waiting_us", "tags": ["<script>"]})
    assert response.status_code == 422 and response.json()["code"] == "invalid_tag"
    after = http.get(f"/tickets/{number}", headers=bearer(token)).json()
    assert (after["status"], after["tags"]) == (before["status"], before["tags"])
