"""Every page of the demo, in Simplified and Traditional Chinese, speaks words: no stored code
(a flag, a status value, a timeline actor, a redaction placeholder) and no English interface
text that a catalog translates (which would mean the translation was not picked up)."""

import html
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from tests.factories import make_agent
from tests.helpers import console_login, portal_login
from unlockdesk.staff.models import Role
from unlockdesk.tickets.models import Ticket

pytestmark = pytest.mark.django_db

SRC = Path(__file__).resolve().parents[2] / "src" / "unlockdesk"
RAW_CODES = re.compile(
    r"secret_redacted|lookalike_link|quoted_foreign_ticket|waiting_customer|waiting_us|needs_info"
    r"|in_review|\bcontact:\d+|\bcustomer:\d+|\bsystem:\w+|\bagent:\w+|\[REDACTED|awaiting_second")
# English interface strings (single-line msgids of a few words, no placeholders) that must not
# appear on a Chinese page: if one does, its translation was not used.
_MSGID = re.compile(r'^msgid "([A-Z][A-Za-z ,\'’-]{11,60})"$', re.M)


def _interface_strings() -> set[str]:
    found: set[str] = set()
    for po in SRC.rglob("zh_Hans/LC_MESSAGES/django.po"):
        found.update(m for m in _MSGID.findall(po.read_text(encoding="utf-8")) if " " in m)
    return found


def _visible_text(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S | re.I)
    page = re.sub(r"<[^>]+>", " ", page)
    return html.unescape(re.sub(r"\s+", " ", page))


@pytest.fixture
def demo(settings) -> None:  # type: ignore[no-untyped-def]
    settings.DEMO_MODE = True
    call_command("seed-demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.mark.parametrize("language", ["zh-CN", "zh-TW"])
def test_demo_pages_speak_chinese_words_not_codes(demo: None, language: str) -> None:
    interface = _interface_strings()
    customer = portal_login(Client(HTTP_ACCEPT_LANGUAGE=language), "locked@example.com")
    supervisor = make_agent(role=Role.SUPERVISOR, username="walking-supervisor")
    staff = console_login(Client(HTTP_ACCEPT_LANGUAGE=language), supervisor)
    own = list(Ticket.objects.filter(contact__identities__value="locked@example.com")
               .values_list("number", flat=True).distinct()[:3])
    some = list(Ticket.objects.order_by("pk").values_list("number", flat=True)[:6])
    pages = [(customer, url) for url in ["/portal/", "/portal/security/", "/help/", "/help/why-locked/",
                                         "/help/why-is-my-account-locked/", "/verify/", "/portal/export/",
                                         *[f"/portal/tickets/{n}/" for n in own]]]
    pages += [(staff, url) for url in ["/console/", "/console/unlock/", "/chat/console/", "/console/help/",
                                       "/console/security/audit/", "/console/security/reports/",
                                       "/console/reports/", "/console/callbacks/", "/console/notifications/",
                                       "/console/macros/",
                                       *[f"/console/tickets/{n}/" for n in some]]]
    problems = []
    for client, url in pages:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        text = _visible_text(response.content.decode())
        for code in RAW_CODES.findall(text):
            problems.append(f"{url}: raw code {code!r}")
        for english in interface:
            if english in text:
                problems.append(f"{url}: untranslated {english!r}")
    assert not problems, "\n".join(problems[:40])
