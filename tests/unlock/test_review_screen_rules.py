"""The review screen: failed checks are acknowledged one by one before an approval, a reviewer
who has decided is not offered the form again, and a page view is one audit entry."""

import re

import pytest
from django.test import Client

from tests.factories import make_agent
from tests.helpers import console_login
from tests.unlock.builders import customer_for, locked_account, submitted
from unlockdesk.safety.models import AuditEntry
from unlockdesk.staff.models import Role
from unlockdesk.unlock import services
from unlockdesk.unlock.exceptions import ReviewNotAllowed
from unlockdesk.unlock.types import ApplicationStatus
from unlockdesk.verification.types import Status

pytestmark = pytest.mark.django_db


def _failing_kyc_application():  # type: ignore[no-untyped-def]
    locked_account(email="ack@example.com", kyc_name="张伟")
    app = submitted(customer_for("ack@example.com"), name="李四")
    failed = list(app.check_results.filter(status=Status.FAIL))
    assert failed, "the KYC name differs: the match check fails"
    return app, failed


def test_approval_with_a_failed_check_nobody_acknowledged_is_refused_and_changes_nothing() -> None:
    app, failed = _failing_kyc_application()
    reviewer = make_agent(role=Role.REVIEWER)
    with pytest.raises(ReviewNotAllowed):
        services.approve(app, reviewer=reviewer)
    app.refresh_from_db()
    assert app.status == ApplicationStatus.IN_REVIEW and not app.decisions.exists()

    services.approve(app, reviewer=reviewer, acknowledged=[r.pk for r in failed])
    entry = AuditEntry.objects.get(action="unlock.failed_checks_acknowledged")
    assert entry.target == f"application:{app.pk}" and entry.details["checks"]
    assert app.decisions.count() == 1


def test_reviewer_ticks_each_failed_check_on_the_page(client: Client) -> None:
    app, failed = _failing_kyc_application()
    console_login(client, make_agent(role=Role.REVIEWER))
    page = client.get(f"/console/unlock/{app.pk}/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert "我已核实" in page and "实名信息一致" in page and "kyc_match ·" not in page
    refused = client.post(f"/console/unlock/{app.pk}/decide/", {"decision": "approve"},
                          HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert refused.status_code == 400 and 'id="decision-errors"' in refused.content.decode()
    done = client.post(f"/console/unlock/{app.pk}/decide/",
                       {"decision": "approve", "acknowledged": [str(r.pk) for r in failed]})
    assert done.status_code == 302


def test_first_approver_of_a_high_risk_application_is_not_offered_the_form_again(client: Client) -> None:
    app, failed = _failing_kyc_application()
    assert app.high_risk
    first = make_agent(role=Role.REVIEWER)
    services.approve(app, reviewer=first, acknowledged=[r.pk for r in failed])
    page = console_login(client, first).get(f"/console/unlock/{app.pk}/").content.decode()
    assert 'id="decision-form"' not in page and 'id="first-approval-given"' in page


def test_opening_the_review_page_is_one_audit_entry_not_one_per_picture(client: Client) -> None:
    locked_account(email="audit@example.com")
    app = submitted(customer_for("audit@example.com"))
    reviewer = make_agent(role=Role.REVIEWER)
    console_login(client, reviewer)
    before = AuditEntry.objects.filter(action="evidence.view").count()
    page = client.get(f"/console/unlock/{app.pk}/").content.decode()
    embedded = sorted(set(re.findall(r'/console/unlock/evidence/\d+/\?form=original&amp;embed=[^"]+', page)))
    assert len(embedded) == 3
    for url in embedded:
        assert client.get(url.replace("&amp;", "&")).status_code == 200
    assert AuditEntry.objects.filter(action="evidence.view").count() == before + 1

    evidence = app.evidence.first()
    assert client.get(f"/console/unlock/evidence/{evidence.pk}/").status_code == 200
    assert AuditEntry.objects.filter(action="evidence.view").count() == before + 2
    # A token is bound to the reviewer it was issued to: another reviewer's fetch is audited.
    other = console_login(Client(), make_agent(role=Role.REVIEWER))
    assert other.get(embedded[0].replace("&amp;", "&")).status_code == 200
    assert AuditEntry.objects.filter(action="evidence.view").count() == before + 3
