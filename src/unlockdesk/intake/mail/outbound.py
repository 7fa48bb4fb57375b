"""Official email: a multipart (text + HTML) reply with threading headers, the ticket number
in the subject, the agent's 工号, the customer's anti-phishing code (or a line explaining it)
and, when the recipient has an account, its one-step emergency-freeze link, in the ticket's
language. Sent through Django's email backend by the task queue, which retries with back-off
(tickets.tasks.deliver_message)."""

import smtplib
from dataclasses import replace

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils.translation import override

from unlockdesk.accounts.models import ExchangeAccount
from unlockdesk.accounts.selectors import account_by_address, account_by_uid
from unlockdesk.intake.mail.loops import MESSAGE_ID
from unlockdesk.intake.mail.ours import message_id_for
from unlockdesk.safety import freeze_links
from unlockdesk.safety.notices import anti_phishing_line, freeze_line
from unlockdesk.tickets.types import DeliveryResult, IdentityKind, OutboundMessage

MAX_REFERENCES = 20


def render(
    message: OutboundMessage, *, automatic: bool = False, freeze_url: str = ""
) -> EmailMultiAlternatives:
    """The email for `message`; `automatic` marks acknowledgements (RFC 3834 Auto-Submitted),
    so well-behaved autoresponders do not answer them. `freeze_url`: the account's one-step
    emergency-freeze link, shown when the recipient has an account."""
    with override(message.language):
        context = {
            "freeze_line": freeze_line(freeze_url) if freeze_url else "",
            "freeze_html": freeze_line(freeze_url, html=True) if freeze_url else "",
            "anti_phishing_line": anti_phishing_line(message.anti_phishing_code),
            "anti_phishing_code": message.anti_phishing_code,
            "text": message.text,
            "agent": message.agent_public_name,
            "ticket_number": message.ticket_number,
            "brand": settings.BRAND.name(message.language),
            "site_url": settings.SITE_URL,
        }
        text = render_to_string("intake_mail/reply.txt", context).strip() + "\n"
        html = render_to_string("intake_mail/reply.html", context)
    subject = message.subject or message.ticket_number
    prefix = "Re: " if message.references and not subject.lower().startswith("re:") else ""
    headers = {"Message-ID": message_id_for(message.message_id)}
    # Only real Message-IDs: hash keys of mail that had none, and other channels' ids, are not.
    references = tuple(ref for ref in message.references if MESSAGE_ID.fullmatch(ref))[-MAX_REFERENCES:]
    if references:
        headers["In-Reply-To"] = references[-1]
        headers["References"] = " ".join(references)
    if automatic:
        headers["Auto-Submitted"] = "auto-replied"
        headers["X-Auto-Response-Suppress"] = "All"
    email = EmailMultiAlternatives(
        subject=f"{prefix}[{message.ticket_number}] {subject}"[:250],
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to],
        headers=headers,
    )
    email.attach_alternative(html, "text/html")
    for item in message.files:  # the agent's pictures and PDFs, already checked and cleaned
        email.attach(item.filename, item.content, item.content_type)
    return email


def recipient_account(address: str, ticket_account: ExchangeAccount | None) -> ExchangeAccount | None:
    """Whose anti-phishing code and freeze link an official email carries.

    The account registered at the address the email goes to comes first: whoever reads that
    mailbox is its owner, even when the mail that opened the ticket (an unverified From) did
    not prove it. Otherwise the ticket's proven account, else none.
    """
    return account_by_address(IdentityKind.EMAIL, address.strip().lower()) or ticket_account


def deliver(message: OutboundMessage) -> DeliveryResult:
    """Send one official email; a refused recipient is final, other failures are retried."""
    if not message.to:
        return DeliveryResult(False, error="contact has no email address", retryable=False)
    ticket_account = account_by_uid(message.account_uid) if message.account_uid else None
    account = recipient_account(message.to, ticket_account)
    if account is not None:
        message = replace(message, anti_phishing_code=account.anti_phishing_code)
    url = freeze_links.freeze_url(account) if account is not None else ""
    try:
        render(message, automatic=message.automatic, freeze_url=url).send()
    except smtplib.SMTPRecipientsRefused as exc:
        return DeliveryResult(False, error=f"recipient refused: {exc.recipients}"[:250], retryable=False)
    return DeliveryResult(True, provider_id=message_id_for(message.message_id))
