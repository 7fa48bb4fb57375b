"""The ticket page's phone parts: the ticket's call log (with logging and click-to-call) and
the contact's calls in the account panel. Tags, so the ticket view itself stays as it is;
they read through the permission-checked selectors with the signed-in agent."""

from typing import Any

from django import template

from unlockdesk.intake.twilio_voice import voice_enabled
from unlockdesk.tickets import call_selectors
from unlockdesk.tickets.contacts import address_of
from unlockdesk.tickets.models import Ticket
from unlockdesk.tickets.types import IdentityKind
from unlockdesk.web.phone_forms import LogCallForm

register = template.Library()


@register.inclusion_tag("web/console/_phone_calls.html", takes_context=True)
def ticket_calls(context: dict[str, Any], ticket: Ticket) -> dict[str, Any]:
    agent = context["user"]
    return {
        "ticket": ticket,
        "calls": call_selectors.calls_of_ticket(agent, ticket),
        "callback": call_selectors.open_callback_of(ticket),
        "has_phone": bool(address_of(ticket.contact, IdentityKind.PHONE)),
        "voice_enabled": voice_enabled(),
        "form": LogCallForm(),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("web/console/_phone_contact_calls.html", takes_context=True)
def contact_calls(context: dict[str, Any], ticket: Ticket) -> dict[str, Any]:
    return {"calls": call_selectors.calls_of_contact(context["user"], ticket.contact),
            "ticket": ticket}
