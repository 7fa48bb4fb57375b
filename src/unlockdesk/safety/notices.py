"""What the customer is told, in their language, when safety steps in.

Used by the pipeline (an automatic message on the ticket, so every channel carries it) and by
official email (the anti-phishing code and the freeze link on every official email: the email
channel's replies render these lines, and `unlockdesk.sending` appends `official_email_footer`,
registered by SafetyConfig.ready()).
"""

from collections.abc import Sequence

from django.conf import settings
from django.utils.html import format_html
from django.utils.translation import get_language, gettext_lazy, override
from django.utils.translation import gettext as _

from unlockdesk.accounts.models import ExchangeAccount
from unlockdesk.accounts.selectors import account_by_address
from unlockdesk.chinese import list_of
from unlockdesk.safety.freeze_links import freeze_url
from unlockdesk.safety.verifier import Answer

KIND_LABELS = {
    "password": gettext_lazy("a password"),
    "otp_code": gettext_lazy("a verification code"),
    "api_key": gettext_lazy("an API key"),
    "api_secret": gettext_lazy("an API secret key"),
    "api_passphrase": gettext_lazy("an API passphrase"),
    "private_key": gettext_lazy("a private key"),
    "seed_phrase": gettext_lazy("a seed phrase (mnemonic)"),
    "high_entropy": gettext_lazy("a secret key or token"),
}


def portal_security_url() -> str:
    return f"{settings.SITE_URL}/portal/security/"


def verifier_url() -> str:
    return f"{settings.SITE_URL}/verify/"


def freeze_target(account: ExchangeAccount | None) -> str:
    """A one-step freeze link for the account's owner, else the portal's security page."""
    return freeze_url(account) if account is not None else portal_security_url()


def anti_phishing_line(code: str) -> str:
    if code:
        return _("Your anti-phishing code: %(code)s. An email without it is not from us.") % {
            "code": code
        }
    return _(
        "You have not set an anti-phishing code. Set one in the support portal: every "
        "official email will then show it, and an email without it is not from us."
    )


def freeze_line(url: str, *, html: bool = False) -> str:
    line = _("Not you, or something looks wrong? Freeze your account in one step: %(url)s")
    if not html:
        return line % {"url": url}
    before, _placeholder, after = line.partition("%(url)s")
    return format_html('{}<a href="{}">{}</a>{}', before, url, url, after)


def inbound_warning(
    *,
    redactions: Sequence[str],
    lookalikes: Sequence[Answer],
    language: str,
    account: ExchangeAccount | None,
) -> str:
    """The automatic message for a customer who sent a secret or a lookalike link ('' if none)."""
    if not redactions and not lookalikes:
        return ""
    parts: list[str] = []
    with override(language):
        if redactions:
            kinds = list_of((KIND_LABELS.get(kind, kind) for kind in redactions), language)
            parts.append(_(
                "Safety notice: your message contained %(kinds)s. We removed it and did not store "
                "it. Never share passwords, codes, keys or seed phrases with anyone: %(brand)s "
                "staff will never ask for them. If anyone else may have seen it, change your "
                "password now. If you see anything you did not do, freeze your account at once: "
                "%(freeze)s"
            ) % {"kinds": kinds, "brand": settings.BRAND.name(language),
                 "freeze": freeze_target(account)})
        if lookalikes:
            shown = list_of(dict.fromkeys(answer.value for answer in lookalikes), language)
            parts.append(_(
                "Safety notice: %(links)s is not an official %(brand)s contact, it only looks "
                "like one. Do not open it, reply to it, pay or enter anything there. Our official "
                "domains are %(domains)s; check any contact at %(verify)s."
            ) % {"links": shown, "brand": settings.BRAND.name(language),
                 "domains": ", ".join(settings.BRAND.official_domains), "verify": verifier_url()})
    return "\n\n".join(parts)


def official_email_footer(address: str, language: str = "") -> str:
    """Anti-phishing code and freeze link for an email to an address that belongs to an account.

    An address that is not registered has no code to show and no account to freeze: it gets
    the line that explains the anti-phishing code, as every official email carries one.
    """
    account = account_by_address("email", address.strip().lower())
    if account is None:
        with override(language or get_language()):
            return "\n\n" + anti_phishing_line("")
    with override(language or account.language):
        return "\n\n" + anti_phishing_line(account.anti_phishing_code) + "\n" + freeze_line(
            freeze_url(account))
