"""The widget's words, sent in the welcome frame so every text goes through gettext."""

from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext as _


def widget_strings() -> dict[str, str]:
    brand = settings.BRAND.name(get_language() or settings.LANGUAGE_CODE)
    return {
        "title": _("Chat with %(brand)s Support") % {"brand": brand},
        "open": _("Chat"),
        "close": _("Close"),
        "intro": _("Type your question. We suggest answers first; an agent is one click away."),
        "placeholder": _("Type your question…"),
        "ask": _("Search answers"),
        "talk": _("Talk to an agent"),
        "send": _("Send"),
        "attach": _("Attach an image or PDF"),
        "articles": _("These articles may answer it:"),
        "steps": _("What you can do now:"),
        "freeze": _("Freeze my account now"),
        "waiting": _("You are in the queue. An agent will join shortly."),
        "joined": _("%(agent)s joined the chat."),
        "transferred": _("You are being transferred to another agent."),
        "ended": _("The chat has ended. Write again to reopen it."),
        "end": _("End chat"),
        "transcript": _("Download transcript"),
        "verify": _("Verify with a one-time code"),
        "address": _("Email or phone number"),
        "send_code": _("Send code"),
        "code": _("6-digit code"),
        "confirm": _("Confirm"),
        "verified_as": _("Verified as %(who)s"),
        "anonymous": _("You are chatting as a visitor."),
        "typing": _("The agent is typing…"),
        "reconnecting": _("Connection lost. Reconnecting…"),
        "sending": _("Sending…"),
        "you": _("You"),
        "safety": _("We never ask for your password, SMS or 2FA codes, API keys or seed phrase."),
        "redacted": _("You sent something that looks like a password, code or key. We removed it "
                      "and did not store it. Never share it with anyone."),
    }


def left_chat_notice(url: str) -> str:
    """Appended to an agent's reply mailed to a customer who has left the chat."""
    return _("You left the chat, so we sent this by email. Continue the conversation: %(url)s") % {
        "url": url}
