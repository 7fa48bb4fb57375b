"""The links in one message are checked against the registry read once: the same answers
as the verifier gives one by one, in two statements however many links there are."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from unlockdesk.safety.links import lookalikes_in
from unlockdesk.safety.models import BlockedContact, ContactKind, OfficialChannel
from unlockdesk.safety.verifier import verify, verify_all

pytestmark = pytest.mark.django_db

LINKS = ["https://okx.com/help", "okx-support.com", "help@okx.com", "okx.help@gmail.com",
         "https://scam-example.io/login", "refunds@scam-mail.net", "@okx_support_help",
         "https://okx.com@evil-example.io/", "www.example.org", "support@okx-desk.net",
         "old-desk@okx.com", "okx.partner.example"]


@pytest.fixture
def registry() -> None:
    BlockedContact.objects.create(kind=ContactKind.DOMAIN, value="scam-example.io")
    BlockedContact.objects.create(kind=ContactKind.DOMAIN, value="scam-mail.net")
    BlockedContact.objects.create(kind=ContactKind.TELEGRAM, value="okx_support_help")
    OfficialChannel.objects.create(kind=ContactKind.DOMAIN, value="okx.partner.example")
    OfficialChannel.objects.create(kind=ContactKind.EMAIL, value="old-desk@okx.com", active=False)


def test_every_answer_is_the_one_verify_gives(registry: None) -> None:
    together = verify_all(LINKS)
    for link, answer in zip(LINKS, together, strict=True):
        assert answer == verify(link), link
    verdicts = dict(zip(LINKS, [a.verdict if a else None for a in together], strict=True))
    assert verdicts["https://scam-example.io/login"] == "lookalike"  # on the blocklist
    assert verdicts["refunds@scam-mail.net"] == "lookalike"  # its domain is
    assert verdicts["okx.partner.example"] == "official"  # a registry domain


def test_a_message_full_of_links_costs_two_statements(registry: None) -> None:
    """Two for the registry, and one per bare host name (a name could be an agent's 工号)."""
    text = "  ".join(LINKS)
    with CaptureQueriesContext(connection) as queries:
        found = lookalikes_in(text)
    registry_reads = [q for q in queries if "staff_agent" not in q["sql"]]
    assert len(registry_reads) == 2, [q["sql"] for q in queries]
    assert len(queries) - len(registry_reads) == 3  # okx-support.com, www.example.org, ...
    assert {"scam-example.io", "refunds@scam-mail.net", "@okx_support_help"} <= {a.value for a in found}


def test_text_without_links_reads_nothing() -> None:
    with CaptureQueriesContext(connection) as queries:
        assert lookalikes_in("我的账户被冻结了，请帮忙") == []
    assert len(queries) == 0


def test_what_is_not_a_contact_is_none() -> None:
    assert verify_all(["not a link at all ✗✗✗", "\ud800"]) == [None, None]
