"""Webhook subscriptions over API v1 (scope webhooks:admin), with a real receiver."""

from typing import Any

import httpx

from tests.api.conftest import MakeKey, bearer
from tests.intake.test_outgoing_webhooks import Receiver


def test_admin_subscribes_sees_the_log_and_redelivers(http: httpx.Client, make_key: MakeKey,
                                                      settings: Any) -> None:
    settings.UNLOCKDESK_WEBHOOK_MAX_ATTEMPTS = 1
    receiver = Receiver([500])
    try:
        admin = make_key("webhooks:admin", "tickets:write")
        created = http.post("/webhooks/subscriptions", headers=bearer(admin),
                            json={"url": receiver.url, "events": ["ticket.created"]})
        assert created.status_code == 201, created.text
        subscription = created.json()
        assert subscription["secret"].startswith("whsec_")
        listed = http.get("/webhooks/subscriptions", headers=bearer(admin)).json()
        assert [s["id"] for s in listed] == [subscription["id"]] and "secret" not in listed[0]
        http.post("/tickets", headers=bearer(admin), json={
            "subject": "Suspicious login", "text": "New device", "contact": {"kind": "uid", "value": "1"}})
        [delivery] = http.get(f"/webhooks/subscriptions/{subscription['id']}/deliveries",
                              headers=bearer(admin)).json()
        assert (delivery["state"], delivery["attempts"], delivery["last_status_code"]) == ("failed", 1, 500)
        again = http.post(f"/webhooks/deliveries/{delivery['id']}/redeliver", headers=bearer(admin))
        assert again.status_code == 202
        assert (again.json()["state"], again.json()["attempts"]) == ("succeeded", 2)
        reader = bearer(make_key("tickets:read"))
        assert http.get("/webhooks/subscriptions", headers=reader).status_code == 403
        gone = http.delete(f"/webhooks/subscriptions/{subscription['id']}", headers=bearer(admin)).json()
        assert gone["active"] is False
    finally:
        receiver.close()


def test_unknown_event_or_bad_url_is_refused(http: httpx.Client, make_key: MakeKey) -> None:
    admin = make_key("webhooks:admin")
    bad_event = http.post("/webhooks/subscriptions", headers=bearer(admin),
                          json={"url": "https://example.com/h", "events": ["ticket.deleted"]})
    assert bad_event.status_code == 422 and bad_event.json()["code"] == "invalid_request"
    bad_url = http.post("/webhooks/subscriptions", headers=bearer(admin),
                        json={"url": "ftp://example.com/h", "events": ["ticket.created"]})
    assert bad_url.status_code == 422
