"""The audit log: append-only, and readable only by supervisors in the console."""

import pytest
from django.test import Client

from tests.helpers import console_login
from unlockdesk.safety import audit
from unlockdesk.safety.models import AuditEntry
from unlockdesk.staff.models import Agent

pytestmark = pytest.mark.django_db


def test_entries_cannot_be_changed_or_deleted_even_in_bulk() -> None:
    entry = audit.record(actor="agent:A1", action="kyc.reveal", target="account:1")
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="nothing")
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()


def test_supervisor_reads_and_filters_the_audit_log(client: Client, supervisor: Agent) -> None:
    audit.record(actor="agent:A1", action="kyc.reveal", target="account:10000001")
    audit.record(actor="agent:A2", action="account.freeze", target="account:10000002")
    console_login(client, supervisor)
    page = client.get("/console/security/audit/", {"action": "kyc."}).content.decode()
    assert "account:10000001" in page and "account:10000002" not in page


def test_agent_is_refused_the_audit_log(client: Client, agent: Agent) -> None:
    console_login(client, agent)
    assert client.get("/console/security/audit/").status_code == 403


def test_signing_in_is_audited(client: Client, agent: Agent) -> None:
    console_login(client, agent)
    assert AuditEntry.objects.filter(action="staff.login", target=f"agent:{agent.pk}").exists()
