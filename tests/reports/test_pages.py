"""Report and survey pages: who may open them, what bad input gets, what the CSV holds, and the
customer context on the console's ticket page."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.factories import inbound, make_account, make_agent, receive_one
from tests.helpers import console_login, portal_login
from tests.reports.builders import local, make_application, make_ticket
from unlockdesk.reports import tokens
from unlockdesk.reports.models import CsatSurvey
from unlockdesk.reports.services import ask_after_resolve
from unlockdesk.safety.models import AuditEntry
from unlockdesk.staff.models import Role
from unlockdesk.tickets.models import Contact, Queue, Status, Ticket
from unlockdesk.tickets.services import receive
from unlockdesk.tickets.types import Channel, IdentityKind
from unlockdesk.unlock.types import ApplicationStatus

pytestmark = pytest.mark.django_db


def signed_in(client: Client, role: Role) -> Client:
    return console_login(client, make_agent(role=role))


@pytest.mark.parametrize("url", ["/console/reports/", "/console/reports/csat.csv"])
def test_agents_cannot_read_reports(client: Client, url: str) -> None:
    assert signed_in(client, Role.AGENT).get(url).status_code == 403
    assert not AuditEntry.objects.filter(action="report.export").exists()


def test_anonymous_visitors_are_sent_to_sign_in(client: Client) -> None:
    response = client.get("/console/reports/")
    assert response.status_code == 302 and "/console/login/" in response["Location"]


def test_supervisors_see_every_chart_with_its_data(client: Client) -> None:
    make_ticket(created_at=local(2026, 3, 2), channel=Channel.CHAT)
    response = signed_in(client, Role.SUPERVISOR).get(
        "/console/reports/", {"from": "2026-03-01", "to": "2026-03-03"})
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count("<canvas data-report=") == 12
    assert 'id="report-data"' in body and "2026-03-02" in body
    assert "chart.umd.min.js" in body and "cdn" not in body.lower()


@pytest.mark.parametrize("params", [{"from": "2026-03-05", "to": "2026-03-01"}, {"from": "yesterday"},
                                    {"from": "2024-01-01", "to": "2026-01-01"}, {"queue": "nope"}])
def test_bad_filters_get_a_clear_error_and_no_charts(client: Client, params: dict[str, str]) -> None:
    response = signed_in(client, Role.ADMIN).get("/console/reports/", params)
    assert response.status_code == 400
    assert 'id="report-error"' in response.content.decode()
    assert "<canvas" not in response.content.decode()
    csv = client.get("/console/reports/volume_channel.csv", params)
    assert csv.status_code == 400


def test_csv_export_of_one_report_is_audited(client: Client) -> None:
    queue = Queue.objects.create(slug="vip-p", name="VIP P")
    make_ticket(created_at=local(2026, 3, 2), channel=Channel.EMAIL, queue=queue)
    make_ticket(created_at=local(2026, 3, 2), channel=Channel.EMAIL)
    response = signed_in(client, Role.SUPERVISOR).get(
        "/console/reports/volume_channel.csv", {"from": "2026-03-01", "to": "2026-03-02", "queue": "vip-p"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "volume_channel_2026-03-01_2026-03-02.csv" in response["Content-Disposition"]
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[1:] == ["2026-03-01,0", "2026-03-02,1"]
    entry = AuditEntry.objects.get(action="report.export")
    assert entry.target == "report:volume_channel" and entry.details["queue"] == queue.pk


def test_an_unknown_report_is_not_found(client: Client) -> None:
    assert signed_in(client, Role.SUPERVISOR).get("/console/reports/nope.csv").status_code == 404


def asked_survey(**kwargs: object) -> CsatSurvey:
    receipt = receive_one(**kwargs)
    survey = ask_after_resolve(receipt.ticket_id)
    assert survey is not None
    return survey


def test_the_link_takes_one_answer(client: Client) -> None:
    survey = asked_survey()
    url = f"/rate/{tokens.survey_token(survey)}/"
    page = client.get(url)
    assert page.status_code == 200 and survey.ticket.number in page.content.decode()
    assert client.post(url, {"rating": "9"}).status_code == 400
    assert client.post(url, {"rating": "2", "comment": "slow"}).status_code == 200
    survey.refresh_from_db()
    assert (survey.rating, survey.comment, survey.answered_via) == (2, "slow", "link")
    again = client.post(url, {"rating": "5"})
    assert 'data-state="answered"' in again.content.decode()
    survey.refresh_from_db()
    assert survey.rating == 2


def test_a_forged_link_shows_one_message_and_changes_nothing(client: Client) -> None:
    survey = asked_survey()
    for token in [survey.ticket.number, tokens.survey_token(survey) + "x", "a" * 600]:
        response = client.post(f"/rate/{token}/", {"rating": "5"})
        assert response.status_code == 404
        assert 'data-state="bad_link"' in response.content.decode()
    assert CsatSurvey.objects.get(pk=survey.pk).answered_at is None


def test_the_survey_page_speaks_the_tickets_language(client: Client) -> None:
    survey = asked_survey()
    Ticket.objects.filter(pk=survey.ticket_id).update(language="en")
    url = f"/rate/{tokens.survey_token(survey)}/"
    body = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "How did we do?" in body


def test_portal_customers_rate_on_the_ticket_page(client: Client) -> None:
    make_account(email="owner@example.com")
    receipt = receive(inbound(channel=Channel.WEB, sender="owner@example.com", verified=True,
                              kind=IdentityKind.EMAIL))
    ask_after_resolve(receipt.ticket_id)
    portal_login(client, "owner@example.com")
    page = client.get(f"/portal/tickets/{receipt.ticket_number}/").content.decode()
    assert 'id="csat-form"' in page
    client.post(f"/portal/tickets/{receipt.ticket_number}/rating/", {"rating": "5", "comment": "好"})
    survey = CsatSurvey.objects.get(ticket_id=receipt.ticket_id)
    assert (survey.rating, survey.answered_via) == (5, "portal")
    page = client.get(f"/portal/tickets/{receipt.ticket_number}/").content.decode()
    assert 'id="csat-answered"' in page and 'id="csat-form"' not in page


def test_another_customer_cannot_rate_the_ticket(client: Client) -> None:
    make_account(email="owner@example.com")
    receipt = receive(inbound(channel=Channel.WEB, sender="owner@example.com", verified=True,
                              kind=IdentityKind.EMAIL))
    ask_after_resolve(receipt.ticket_id)
    make_account(email="other@example.com")
    portal_login(client, "other@example.com")
    response = client.post(f"/portal/tickets/{receipt.ticket_number}/rating/", {"rating": "1"})
    assert response.status_code == 404
    assert CsatSurvey.objects.get(ticket_id=receipt.ticket_id).answered_at is None


def ticket_page_queries(client: Client, ticket: Ticket) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/console/tickets/{ticket.number}/")
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_customer_context_lists_other_tickets_and_applications_in_fixed_queries(client: Client) -> None:
    signed = signed_in(client, Role.SUPERVISOR)
    contact = Contact.objects.create(display_name="same person")
    ticket = make_ticket(created_at=local(2026, 3, 1), contact=contact)
    first = make_ticket(created_at=local(2026, 3, 2), contact=contact, status=Status.RESOLVED)
    make_application(status=ApplicationStatus.IN_REVIEW, submitted_at=local(2026, 3, 2),
                     decided_at=local(2026, 3, 3), ticket=first)
    before, body = ticket_page_queries(signed, ticket)
    assert first.number in body and 'id="customer-context"' in body
    assert f"/console/unlock/{first.unlock_application.pk}/" in body
    for day in range(3, 9):
        other = make_ticket(created_at=local(2026, 3, day), contact=contact)
        make_application(status=ApplicationStatus.REJECTED, submitted_at=local(2026, 3, day),
                         decided_at=local(2026, 3, day), ticket=other)
    after, body = ticket_page_queries(signed, ticket)
    assert body.count('class="muted other-ticket"') == 7
    assert after == before


def test_agents_see_only_other_tickets_of_their_queues(client: Client) -> None:
    agent = make_agent(role=Role.AGENT)
    mine = Queue.objects.create(slug="mine-q", name="Mine")
    theirs = Queue.objects.create(slug="x-q", name="X")
    mine.agents.add(agent)
    contact = Contact.objects.create(display_name="same person")
    ticket = make_ticket(created_at=local(2026, 3, 1), contact=contact, queue=mine)
    seen = make_ticket(created_at=local(2026, 3, 2), contact=contact, queue=mine)
    hidden = make_ticket(created_at=local(2026, 3, 3), contact=contact, queue=theirs)
    make_application(status=ApplicationStatus.IN_REVIEW, submitted_at=local(2026, 3, 3),
                     decided_at=local(2026, 3, 3), ticket=hidden)
    _count, body = ticket_page_queries(console_login(client, agent), ticket)
    assert seen.number in body and hidden.number not in body
    assert "/console/unlock/" not in body


def test_the_console_ticket_page_shows_the_rating_and_the_redacted_comment(client: Client) -> None:
    from unlockdesk.reports.services import submit_rating

    survey = asked_survey()
    submit_rating(survey=survey, rating=3, comment="还行。密码是 Hunter2024!x", via="link")
    page = signed_in(client, Role.SUPERVISOR).get(f"/console/tickets/{survey.ticket.number}/")
    body = page.content.decode()
    assert 'id="csat-result"' in body and "3" in body and "还行" in body
    assert "Hunter2024!x" not in body
    assert "满意度评分" in body  # on the timeline, in words
