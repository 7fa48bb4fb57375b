"""The satisfaction survey: asked once on the customer's channel after the resolve, answered
once, through a signed and expiring link that a ticket number alone cannot forge."""

import re
from datetime import timedelta

import pytest
from django.core import mail, signing
from django.test import TestCase
from django.utils import timezone

from tests.factories import make_agent, receive_one
from unlockdesk.reports import tokens
from unlockdesk.reports.models import CsatSurvey
from unlockdesk.reports.services import CsatRefused, ask_after_resolve, submit_rating
from unlockdesk.tickets import hooks
from unlockdesk.tickets.models import Direction, EventKind, Message, Status, Ticket
from unlockdesk.tickets.services import assign, change_status
from unlockdesk.tickets.types import Channel, IdentityKind

pytestmark = pytest.mark.django_db


def resolved_ticket(**kwargs: object) -> Ticket:
    receipt = receive_one(**kwargs)
    ticket = Ticket.objects.get(pk=receipt.ticket_id)
    agent = make_agent()
    assign(ticket, agent, by=agent)
    with TestCase.captureOnCommitCallbacks(execute=True):
        return change_status(ticket, Status.RESOLVED, by=agent)


def link_in(text: str) -> str:
    found = re.findall(r"https?://\S+/rate/\S+/", text)
    assert found, text
    return found[0]


def test_resolving_an_email_ticket_emails_a_signed_link_once() -> None:
    ticket = resolved_ticket(sender="ann@example.com")
    survey = CsatSurvey.objects.get(ticket=ticket)
    assert (survey.channel, survey.agent_id) == (Channel.EMAIL, ticket.assignee_id)
    sent = [m for m in mail.outbox if "ann@example.com" in m.to]
    url = link_in(sent[-1].body)
    token = url.rstrip("/").rsplit("/", 1)[1]
    assert ticket.number not in token
    assert tokens.survey_for_token(token) == survey


def test_a_ticket_resolved_again_after_a_reopen_is_not_asked_again() -> None:
    ticket = resolved_ticket()
    change_status(ticket, Status.OPEN, by=None)
    with TestCase.captureOnCommitCallbacks(execute=True):
        change_status(ticket, Status.RESOLVED, by=None)
    assert CsatSurvey.objects.filter(ticket=ticket).count() == 1
    asks = Message.objects.filter(ticket=ticket, headers__auto="csat")
    assert asks.count() == 1


def test_sms_customers_get_the_link_by_sms() -> None:
    ticket = resolved_ticket(channel=Channel.PHONE, kind=IdentityKind.PHONE, sender="+8613800138000",
                             subject="")
    ask = Message.objects.get(ticket=ticket, headers__auto="csat")
    assert ask.channel == Channel.PHONE and "/rate/" in ask.body_text


def test_portal_customers_are_pointed_at_the_form_without_a_link() -> None:
    receipt = receive_one()
    Ticket.objects.filter(pk=receipt.ticket_id).update(channel=Channel.WEB)
    survey = ask_after_resolve(receipt.ticket_id)
    assert survey is not None and survey.channel == Channel.WEB
    ask = Message.objects.get(ticket_id=receipt.ticket_id, headers__auto="csat")
    assert ask.channel == Channel.WEB and "/rate/" not in ask.body_text


@pytest.mark.parametrize(("language", "words"), [("zh-hans", "评分"), ("en", "How did we do?")])
def test_the_question_is_in_the_tickets_language(language: str, words: str) -> None:
    receipt = receive_one()
    Ticket.objects.filter(pk=receipt.ticket_id).update(language=language)
    ask_after_resolve(receipt.ticket_id)
    assert words in Message.objects.get(ticket_id=receipt.ticket_id, headers__auto="csat").body_text


def test_an_answer_is_taken_once_and_goes_on_the_timeline() -> None:
    survey = CsatSurvey.objects.get(ticket=resolved_ticket())
    submit_rating(survey=survey, rating=4, comment="  quick and kind ", via="link")
    survey.refresh_from_db()
    assert (survey.rating, survey.comment, survey.answered_via) == (4, "quick and kind", "link")
    event = survey.ticket.events.get(kind=EventKind.CSAT)
    assert event.actor == "customer" and event.data["new"] == 4
    with pytest.raises(CsatRefused) as refused:
        submit_rating(survey=survey, rating=1, comment="", via="portal")
    assert refused.value.code == "answered"
    survey.refresh_from_db()
    assert survey.rating == 4


@pytest.mark.parametrize("rating", [0, 6, -1])
def test_a_rating_outside_one_to_five_changes_nothing(rating: int) -> None:
    survey = CsatSurvey.objects.get(ticket=resolved_ticket())
    with pytest.raises(CsatRefused) as refused:
        submit_rating(survey=survey, rating=rating, comment="", via="link")
    assert refused.value.code == "bad_rating"
    survey.refresh_from_db()
    assert survey.answered_at is None and survey.rating is None


def test_a_comment_too_long_is_refused() -> None:
    survey = CsatSurvey.objects.get(ticket=resolved_ticket())
    with pytest.raises(CsatRefused):
        submit_rating(survey=survey, rating=5, comment="x" * 2001, via="link")
    assert CsatSurvey.objects.get(pk=survey.pk).answered_at is None


def test_secrets_in_the_comment_are_never_stored() -> None:
    survey = CsatSurvey.objects.get(ticket=resolved_ticket())
    submit_rating(survey=survey, rating=2, comment="我的密码是 Hunter2024!x 验证码 731942", via="link")
    survey.refresh_from_db()
    assert "Hunter2024!x" not in survey.comment and "731942" not in survey.comment
    assert set(survey.comment_redactions) == {"otp_code", "password"}


def test_an_expired_survey_takes_no_answer() -> None:
    survey = CsatSurvey.objects.get(ticket=resolved_ticket())
    CsatSurvey.objects.filter(pk=survey.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(CsatRefused) as refused:
        submit_rating(survey=survey, rating=5, comment="", via="link")
    assert refused.value.code == "expired"


def test_a_tampered_link_is_refused() -> None:
    survey = CsatSurvey.objects.get(ticket=resolved_ticket())
    token = tokens.survey_token(survey)
    with pytest.raises(tokens.BadSurveyLink):
        tokens.survey_for_token(token[:-2] + ("AA" if not token.endswith("AA") else "BB"))


def test_a_link_signed_for_another_nonce_is_refused() -> None:
    survey = CsatSurvey.objects.get(ticket=resolved_ticket())
    forged = signing.dumps({"s": survey.pk, "n": "0" * 32}, salt="other-salt", compress=True)
    with pytest.raises(tokens.BadSurveyLink):
        tokens.survey_for_token(forged)
    guessed = signing.dumps({"s": survey.pk, "n": "0" * 32}, salt=tokens.SALT, compress=True)
    with pytest.raises(tokens.BadSurveyLink):  # right key, wrong nonce: the survey was not asked so
        tokens.survey_for_token(guessed)


def test_a_link_older_than_the_survey_period_is_refused(settings) -> None:  # type: ignore[no-untyped-def]
    survey = CsatSurvey.objects.get(ticket=resolved_ticket())
    token = tokens.survey_token(survey)
    settings.UNLOCKDESK_CSAT_DAYS = 0
    with pytest.raises(tokens.BadSurveyLink):
        tokens.survey_for_token(token)


def test_a_failing_listener_does_not_undo_the_resolve() -> None:
    def broken(ticket_id: int) -> None:
        raise RuntimeError("boom")

    hooks.register_resolved_listener(broken)
    try:
        receipt = receive_one()
        ticket = change_status(Ticket.objects.get(pk=receipt.ticket_id), Status.RESOLVED, by=None)
    finally:
        hooks._resolved_listeners.remove(broken)
    assert Ticket.objects.get(pk=ticket.pk).status == Status.RESOLVED
    assert CsatSurvey.objects.filter(ticket=ticket).exists()


def test_no_survey_for_a_ticket_closed_without_a_resolve() -> None:
    receipt = receive_one()
    change_status(Ticket.objects.get(pk=receipt.ticket_id), Status.CLOSED, by=None)
    assert not CsatSurvey.objects.exists()
    assert not Message.objects.filter(direction=Direction.OUTBOUND, headers__auto="csat").exists()


@pytest.mark.parametrize("channel", [Channel.CHAT, Channel.TELEGRAM, Channel.X, Channel.FACEBOOK])
def test_chat_and_social_customers_are_asked_with_the_link_on_their_channel(channel: Channel) -> None:
    receipt = receive_one()
    Ticket.objects.filter(pk=receipt.ticket_id).update(channel=channel)
    survey = ask_after_resolve(receipt.ticket_id)
    assert survey is not None and survey.channel == channel
    ask = Message.objects.get(ticket_id=receipt.ticket_id, headers__auto="csat")
    assert ask.channel == channel
    assert tokens.survey_for_token(link_in(ask.body_text).rstrip("/").rsplit("/", 1)[1]) == survey
