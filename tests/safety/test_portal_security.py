"""The portal's security page: anti-phishing code (after the one-time code) and scam reports."""

import pytest
from django.core import mail
from django.test import Client

from tests.factories import make_account
from tests.helpers import console_login, portal_login
from unlockdesk.accounts.models import ExchangeAccount
from unlockdesk.safety.models import AuditEntry, BlockedContact, ReportStatus, ScamReport
from unlockdesk.safety.verifier import verify
from unlockdesk.staff.models import Agent

pytestmark = pytest.mark.django_db


def test_customer_sets_an_anti_phishing_code_that_later_emails_carry(client: Client) -> None:
    make_account(email="owner@example.com")
    portal_login(client, "owner@example.com")
    client.post("/portal/security/anti-phishing/", {"code": "BlueFox42"})
    assert ExchangeAccount.objects.get(email="owner@example.com").anti_phishing_code == "BlueFox42"
    client.post("/portal/signout/")
    mail.outbox.clear()
    client.post("/portal/signin/", {"address": "owner@example.com"})
    assert "BlueFox42" in str(mail.outbox[-1].body)


def test_anti_phishing_code_with_spaces_is_refused_and_nothing_changes(client: Client) -> None:
    make_account(email="owner@example.com", anti_phishing_code="OldCode1")
    portal_login(client, "owner@example.com")
    client.post("/portal/security/anti-phishing/", {"code": "has space"})
    assert ExchangeAccount.objects.get(email="owner@example.com").anti_phishing_code == "OldCode1"


def test_anti_phishing_code_needs_the_one_time_code(client: Client) -> None:
    make_account(email="owner@example.com")
    response = client.post("/portal/security/anti-phishing/", {"code": "BlueFox42"})
    assert response.status_code == 302
    assert ExchangeAccount.objects.get(email="owner@example.com").anti_phishing_code == ""


def test_report_goes_to_the_security_queue_without_secrets(client: Client) -> None:
    portal_login(client, "someone@example.com")
    client.post("/portal/security/report/", {
        "value": "https://okx-verify.help/login",
        "description": "he wanted my code 482913, verification code: 482913",
    })
    report = ScamReport.objects.get()
    assert (report.kind, report.value, report.status) == ("domain", "okx-verify.help", ReportStatus.NEW)
    assert "482913" not in report.description


def test_supervisor_confirms_a_report_and_the_verifier_calls_it_a_scam(
    client: Client, supervisor: Agent
) -> None:
    report = ScamReport.objects.create(kind="domain", value="cheap-usdt.io", verdict="unknown")
    console_login(client, supervisor)
    client.post(f"/console/security/reports/{report.pk}/", {"decision": "confirm"})
    assert BlockedContact.objects.filter(value="cheap-usdt.io").exists()
    assert verify("cheap-usdt.io").technique == "blocklist"
    assert AuditEntry.objects.filter(action="scam.confirm", target=f"report:{report.pk}").exists()


def test_agent_cannot_open_the_security_queue_or_decide(client: Client, agent: Agent) -> None:
    report = ScamReport.objects.create(kind="domain", value="cheap-usdt.io")
    console_login(client, agent)
    assert client.get("/console/security/reports/").status_code == 403
    assert client.post(f"/console/security/reports/{report.pk}/", {"decision": "confirm"}).status_code == 403
    assert not BlockedContact.objects.exists()


def test_confirmed_report_flags_the_contact_in_later_customer_messages(
    client: Client, supervisor: Agent
) -> None:
    from tests.factories import receive_one

    assert "lookalike_link" not in receive_one(text="is cheap-usdt.io legit?").flags
    report = ScamReport.objects.create(kind="domain", value="cheap-usdt.io", verdict="unknown")
    console_login(client, supervisor)
    client.post(f"/console/security/reports/{report.pk}/", {"decision": "confirm"})
    later = receive_one(text="they told me to pay at https://www.cheap-usdt.io/pay", sender="b@example.com")
    assert "lookalike_link" in later.flags


def test_dismissed_report_blocks_nothing_and_cannot_be_decided_twice(
    client: Client, supervisor: Agent
) -> None:
    report = ScamReport.objects.create(kind="domain", value="okx.com", verdict="official")
    console_login(client, supervisor)
    client.post(f"/console/security/reports/{report.pk}/", {"decision": "dismiss"})
    client.post(f"/console/security/reports/{report.pk}/", {"decision": "confirm"})
    assert ScamReport.objects.get(pk=report.pk).status == ReportStatus.DISMISSED
    assert not BlockedContact.objects.exists()
    assert verify("okx.com").verdict == "official"


def test_report_of_nonsense_is_refused_and_nothing_is_filed(client: Client) -> None:
    portal_login(client, "someone@example.com")
    client.post("/portal/security/report/", {"value": "hello world", "description": ""})
    assert not ScamReport.objects.exists()


def test_the_freeze_confirmation_email_carries_the_anti_phishing_code(client: Client) -> None:
    make_account(email="owner@example.com", anti_phishing_code="BlueFox42")
    portal_login(client, "owner@example.com")
    mail.outbox.clear()
    client.post("/portal/security/freeze/", {"confirm": "on"})
    (frozen,) = [m for m in mail.outbox if "UD-" in str(m.subject)]
    assert "BlueFox42" in str(frozen.body)


def test_sign_in_code_email_to_an_address_without_account_explains_the_anti_phishing_code(
    client: Client,
) -> None:
    client.post("/portal/signin/", {"address": "newcomer@example.com"}, HTTP_ACCEPT_LANGUAGE="en")
    (sent,) = mail.outbox
    assert "You have not set an anti-phishing code" in str(sent.body)
    assert "/freeze/" not in str(sent.body)  # no account to freeze


def test_an_official_contact_cannot_be_confirmed_as_a_scam(client: Client, supervisor: Agent) -> None:
    report = ScamReport.objects.create(kind="domain", value="okx.com", verdict="official")
    console_login(client, supervisor)
    client.post(f"/console/security/reports/{report.pk}/", {"decision": "confirm"})
    assert ScamReport.objects.get(pk=report.pk).status == ReportStatus.NEW
    assert not BlockedContact.objects.exists() and verify("okx.com").verdict == "official"


def test_reports_are_limited_per_customer(client: Client) -> None:
    from unlockdesk.safety.views import REPORTS_PER_HOUR

    portal_login(client, "someone@example.com")
    for n in range(REPORTS_PER_HOUR + 3):
        client.post("/portal/security/report/", {"value": f"scam{n}.example", "description": ""})
    assert ScamReport.objects.count() == REPORTS_PER_HOUR
