"""Is this contact ours? The public verifier's one question, answered from the registry.

Anyone may paste a URL, domain, email address, phone number, social handle or 工号 and get
`official`, `lookalike` (looks like ours but is not, or was reported as a scam) or `unknown`
(not ours, no resemblance found), with a reason in the active language. Read-only: nothing
here writes. Brand words and domains come from settings.BRAND plus the admin registry.
"""

import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from unlockdesk.accounts.identifiers import normalize_phone
from unlockdesk.prepared import PreparedListRead, PreparedRead
from unlockdesk.safety import lookalike
from unlockdesk.safety.models import BlockedContact, ContactKind, OfficialChannel
from unlockdesk.staff.models import Agent

Verdict = Literal["official", "lookalike", "unknown"]
MAX_INPUT = 300

SOCIAL_HOSTS = {
    "t.me": ContactKind.TELEGRAM, "telegram.me": ContactKind.TELEGRAM,
    "telegram.dog": ContactKind.TELEGRAM,
    "x.com": ContactKind.X, "twitter.com": ContactKind.X, "mobile.twitter.com": ContactKind.X,
    "facebook.com": ContactKind.FACEBOOK, "fb.com": ContactKind.FACEBOOK,
    "m.facebook.com": ContactKind.FACEBOOK, "fb.me": ContactKind.FACEBOOK,
}
HANDLE_KINDS = (ContactKind.TELEGRAM, ContactKind.X, ContactKind.FACEBOOK)

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[\d\s\-().]{7,22}$")
_AGENT_NUMBER = re.compile(r"^[A-Za-z]{1,4}-?\d{2,8}$")
_HANDLE = re.compile(r"^@?[\w.]{2,64}$")
_HOSTISH = re.compile(r"^(?:[a-z][a-z0-9+.-]*://)?[^\s/@]+\.[^\s/@]{2,}(?:[/:?#].*)?$", re.IGNORECASE)


# Full stops that browsers and mail clients read as "." in a host name (UTS #46): "0kx。com".
WIDE_STOPS = "\u3002\uff0e\uff61"
_DOTS = str.maketrans(dict.fromkeys(WIDE_STOPS, "."))


class UnrecognisedInput(ValueError):
    """Not a URL, email, phone number, handle or 工号; the message is safe to show."""


@dataclass(frozen=True)
class Answer:
    verdict: Verdict
    reason: str
    kind: str
    value: str
    technique: str = ""
    imitates: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, str]:
        return {"verdict": self.verdict, "reason": self.reason, "kind": self.kind,
                "technique": self.technique}


@dataclass(frozen=True)
class Classified:
    kind: ContactKind | None  # None: a bare @handle, platform unknown
    value: str
    decoy: str = ""  # what a link shows before an "@" (`https://okx.com@evil.io`): not its host


@dataclass(frozen=True)
class _Snapshot:
    """The registry as verify_all() read it once for a message's links (see there)."""

    asked: frozenset[str]  # values whose place on the blocklist is known
    blocked: frozenset[tuple[str, str]]  # (kind, value) on the blocklist, among `asked`
    channels: tuple[tuple[str, str, bool], ...]  # official domains and addresses: kind, value, active


_snapshot: ContextVar[_Snapshot | None] = ContextVar("verifier_snapshot", default=None)


def official_handles(kind: ContactKind) -> tuple[str, ...]:
    """The brand's configured handles on one platform, then the registry's active ones."""
    extra = OfficialChannel.objects.filter(kind=kind, active=True).values_list("value", flat=True)
    return tuple(dict.fromkeys([*settings.BRAND.handles(kind.value), *extra]))


def official_domains() -> tuple[str, ...]:
    snapshot = _snapshot.get()
    if snapshot is not None:
        return _with_brand_domains(sorted(value for kind, value, active in snapshot.channels
                                          if kind == ContactKind.DOMAIN and active))
    extra = OfficialChannel.objects.filter(kind=ContactKind.DOMAIN, active=True).values_list(
        "value", flat=True)
    return _with_brand_domains(extra)


def _with_brand_domains(registry: Iterable[str]) -> tuple[str, ...]:
    """The brand's configured domains, then the registry's active ones."""
    return tuple(dict.fromkeys([*settings.BRAND.official_domains, *registry]))


def classify(raw: str) -> Classified:
    """What was pasted, normalised; raises UnrecognisedInput."""
    value = raw.strip().strip("<>\"'").translate(_DOTS)
    if not value or len(value) > MAX_INPUT:
        raise UnrecognisedInput(_("Paste a link, an email address, a phone number, a handle or an "
                                  "agent number."))
    if value.lower().startswith("mailto:"):
        value = value[7:]
    if "://" in value:
        return _classify_url(value)
    if _EMAIL.match(value):
        local, _at, domain = value.rpartition("@")
        return Classified(ContactKind.EMAIL, f"{local.lower()}@{lookalike.decode_host(domain)}")
    if value.startswith("@") and _HANDLE.match(value):
        return Classified(None, value[1:].lower())
    if Agent.objects.filter(agent_number__iexact=value).exists():
        return Classified(ContactKind.AGENT_NUMBER, value.upper())
    if _PHONE.match(value) and sum(ch.isdigit() for ch in value) >= 7:
        try:
            return Classified(ContactKind.PHONE, normalize_phone(value))
        except ValidationError:
            return Classified(ContactKind.PHONE, re.sub(r"[^\d+]", "", value))
    if _HOSTISH.match(value):
        return _classify_url(value)
    if _AGENT_NUMBER.match(value):
        return Classified(ContactKind.AGENT_NUMBER, value.upper())
    if _HANDLE.match(value):
        return Classified(None, value.lower())
    raise UnrecognisedInput(_("This does not look like a link, an email address, a phone number, "
                              "a handle or an agent number."))


def registry_value(kind: ContactKind, raw: str) -> str:
    """The normalised form the registry and the blocklist store, so lookups match what the
    verifier classifies (`https://www.OKX.com/x` -> `www.okx.com`, `+86 400 ...` -> E.164,
    `https://t.me/okx_cn` -> `okx_cn`). Raises ValidationError when `raw` is not of `kind`."""
    if kind == ContactKind.AGENT_NUMBER:
        raise ValidationError(_("Agent numbers come from the staff accounts: set the 工号 on the "
                                "agent instead."))
    try:
        item = classify(raw)
    except UnrecognisedInput as exc:
        raise ValidationError(str(exc)) from exc
    if item.kind == kind or (item.kind is None and kind in HANDLE_KINDS):
        return item.value
    if kind in HANDLE_KINDS and item.kind == ContactKind.AGENT_NUMBER:
        return raw.strip().lstrip("@").lower()  # a handle such as "okx2024" looks like a 工号
    raise ValidationError(_("This is not a valid %(kind)s.") % {"kind": kind.label})


def _classify_url(value: str) -> Classified:
    try:
        parts = urlsplit(value if "://" in value else f"http://{value}")
        hostname = parts.hostname or ""
    except ValueError as exc:
        raise UnrecognisedInput(_("This link has no host name.")) from exc
    host = lookalike.decode_host(hostname)
    if not host or "." not in host:
        raise UnrecognisedInput(_("This link has no host name."))
    if parts.username is not None:
        return Classified(ContactKind.DOMAIN, host, decoy=parts.netloc.rpartition("@")[0].lower())
    bare = host.removeprefix("www.")
    if bare in SOCIAL_HOSTS:
        segments = [s for s in parts.path.split("/") if s]
        if segments:
            return Classified(SOCIAL_HOSTS[bare], segments[0].lstrip("@").lower())
    return Classified(ContactKind.DOMAIN, host)


def on_platform(raw: str, platform: ContactKind) -> Classified:
    """A handle the person says they saw on `platform` ("OKXOfficial_English" on Telegram);
    a pasted link keeps the platform its host names."""
    value = raw.strip().strip("<>\"'").translate(_DOTS)
    if "://" in value or "/" in value:
        return classify(value)
    handle = value.lstrip("@")
    if not _HANDLE.match(handle):
        raise UnrecognisedInput(_("A %(platform)s account name has letters, digits, dots and "
                                  "underscores only.") % {"platform": platform.label})
    return Classified(platform, handle.lower())


def verify_all(raws: Sequence[str]) -> list[Answer | None]:
    """verify() for each of the links and addresses found in one message (None for one that
    is not a contact), reading the blocklist and the registry's domains and addresses once
    for all of them: two statements per message, not two per link. A lookup the first read
    did not cover still goes to the database, so the answers are verify()'s exactly (a bare
    name is still looked up among the agents' numbers as it is classified)."""
    items: list[Classified | None] = []
    for raw in raws:
        try:
            items.append(classify(raw) if _is_unicode_text(raw) else None)
        except UnrecognisedInput:
            items.append(None)
    asked = {value for item in items if item is not None for value in _lookups(item)}
    with _registry_read_once(asked):
        return [None if item is None else _answer(item) for item in items]


def _lookups(item: Classified) -> set[str]:
    """The values verify() looks up on the blocklist for `item`."""
    value = item.value
    if item.kind == ContactKind.EMAIL:
        domain = value.rpartition("@")[2]
        return {value, domain, _registrable(domain)}
    if item.kind == ContactKind.DOMAIN:
        return {value, _registrable(value)}
    return {value}


# Every message's links and addresses are looked up with these (unlockdesk.prepared).
_BLOCKED = PreparedListRead(lambda values: BlockedContact.objects.filter(value__in=values), most=32)
_OFFICIAL_ADDRESSES = PreparedRead(
    lambda: OfficialChannel.objects.filter(kind__in=[ContactKind.DOMAIN, ContactKind.EMAIL]))


@contextmanager
def _registry_read_once(asked: set[str]) -> Iterator[None]:
    if not asked:
        yield
        return
    blocked = frozenset((row.kind, row.value) for row in _BLOCKED(values=sorted(asked)))
    channels = tuple((row.kind, row.value, row.active) for row in _OFFICIAL_ADDRESSES())
    token = _snapshot.set(_Snapshot(frozenset(asked), blocked, channels))
    try:
        yield
    finally:
        _snapshot.reset(token)


def verify(raw: str, *, platform: ContactKind | None = None) -> Answer:
    """The verifier's answer for one pasted value; raises UnrecognisedInput for nonsense.

    With `platform` (Telegram, X or Facebook, picked by the person asking), a bare name is
    that platform's handle rather than a guess among domains, 工号 and handles. JSON may carry
    lone surrogates (\\ud800) that no database or encoder accepts: refused here, before any
    lookup, so every face of the verifier answers them with a clear error.
    """
    if not _is_unicode_text(raw):
        raise UnrecognisedInput(_("This is not readable text. Please paste the link, address or "
                                  "number again."))
    item = on_platform(raw, platform) if platform in HANDLE_KINDS else classify(raw)
    return _answer(item)


def _answer(item: Classified) -> Answer:
    if item.kind == ContactKind.DOMAIN and item.decoy:
        return _verify_decoy(item.value, item.decoy)
    if item.kind == ContactKind.DOMAIN:
        return verify_host(item.value)
    if item.kind == ContactKind.EMAIL:
        return _verify_email(item.value)
    if item.kind == ContactKind.PHONE:
        return _verify_listed(ContactKind.PHONE, item.value, _(
            "This number is not one of our official numbers. We never call to ask for codes, "
            "passwords or transfers."))
    if item.kind == ContactKind.AGENT_NUMBER:
        return _verify_agent_number(item.value)
    return _verify_handle(item.kind, item.value)


def _is_unicode_text(raw: str) -> bool:
    """No lone surrogate (no encoder takes it) and no NUL (PostgreSQL refuses it in a string)."""
    try:
        raw.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return "\x00" not in raw


def _blocked(kind: ContactKind, *values: str) -> bool:
    return _any_blocked(*((kind, value) for value in values))


def _any_blocked(*entries: tuple[ContactKind, str]) -> bool:
    """Whether any (kind, value) is on the blocklist, in one query (messages check every
    address they carry)."""
    entries = tuple((kind, value) for kind, value in entries if value)
    snapshot = _snapshot.get()
    if snapshot is not None and all(value in snapshot.asked for _kind, value in entries):
        return any(entry in snapshot.blocked for entry in entries)
    wanted = Q()
    for kind, value in entries:
        wanted |= Q(kind=kind, value=value)
    return bool(wanted) and BlockedContact.objects.filter(wanted).exists()


def _registrable(host: str) -> str:
    name, suffix = lookalike.split_registrable(host)
    return f"{name}.{suffix}"


def _reported(kind: ContactKind, value: str) -> Answer:
    return Answer("lookalike", _("This was reported to us as a scam and confirmed. It is not ours: "
                                 "do not reply, pay or share anything."),
                  kind, value, technique="blocklist")


def verify_host(host: str) -> Answer:
    """Verdict for a (decoded) host name; used for pasted links and for links in messages."""
    if _blocked(ContactKind.DOMAIN, host, _registrable(host)):
        return _reported(ContactKind.DOMAIN, host)
    return _unblocked_host(host, official_domains())


def _unblocked_host(host: str, official: tuple[str, ...]) -> Answer:
    """verify_host once the blocklist has been read."""
    domain = lookalike.is_official_host(host, official)
    if domain:
        return Answer("official", _("%(host)s is an official %(brand)s domain.") % {
            "host": host, "brand": settings.BRAND.name_here()}, ContactKind.DOMAIN, host)
    resemblance = lookalike.host_resemblance(host, official, settings.BRAND.brand_words)
    if resemblance:
        return Answer("lookalike", _technique_reason(resemblance, host), ContactKind.DOMAIN, host,
                      technique=resemblance.technique, imitates=resemblance.imitates)
    return Answer("unknown", _("%(host)s is not an official %(brand)s domain. Our domains are: "
                               "%(domains)s.") % {"host": host, "brand": settings.BRAND.name_here(),
                                                  "domains": ", ".join(official)},
                  ContactKind.DOMAIN, host)


def _verify_decoy(host: str, decoy: str) -> Answer:
    """`https://okx.com@evil.io/`: browsers go to evil.io; what precedes the @ is decoration."""
    answer = verify_host(host)
    if answer.verdict != "unknown":
        return answer
    words = (*official_domains(), *settings.BRAND.brand_words)
    shown = lookalike.skeleton(decoy)
    imitated = next((word for word in words if lookalike.skeleton(word) in shown), "")
    if not imitated:
        return answer
    return Answer("lookalike", _technique_reason(lookalike.Resemblance("userinfo", imitated), host),
                  ContactKind.DOMAIN, host, technique="userinfo", imitates=imitated)


def _technique_reason(resemblance: lookalike.Resemblance, host: str) -> str:
    params = {"host": host, "official": resemblance.imitates}
    reasons = {
        "confusable": _("%(host)s imitates %(official)s with look-alike characters (Unicode or "
                        "punycode). It is not ours."),
        "tld_swap": _("%(host)s uses our name with a different ending than %(official)s. It is not "
                      "ours."),
        "brand_word": _("%(host)s puts our name \"%(official)s\" inside a domain that is not ours."),
        "typo": _("%(host)s is a misspelling of %(official)s. It is not ours."),
        "userinfo": _("This link shows \"%(official)s\" before an @, but it really opens %(host)s, "
                      "which is not ours."),
        "free_mail": _("%(host)s is a free email address that uses our name \"%(official)s\". We "
                       "never write from free email services."),
    }
    return reasons[resemblance.technique] % params


def _verify_email(address: str) -> Answer:
    """Two reads (none inside verify_all, which read both for the whole message): the
    blocklist for the address and its domain, and the registry's listing of the address with
    its active domains."""
    local, _at, domain = address.rpartition("@")
    if _any_blocked((ContactKind.EMAIL, address), (ContactKind.DOMAIN, domain),
                    (ContactKind.DOMAIN, _registrable(domain))):
        return _reported(ContactKind.EMAIL, address)
    listed = _email_listing(address)
    if any(kind == ContactKind.EMAIL and active for kind, _value, active in listed):
        return Answer("official", _("%(value)s is an official %(brand)s email address.") % {
            "value": address, "brand": settings.BRAND.name_here()}, ContactKind.EMAIL, address)
    registry = sorted(value for kind, value, _active in listed if kind == ContactKind.DOMAIN)
    host = _unblocked_host(domain, _with_brand_domains(registry))
    if host.verdict == "official":
        return Answer("official", _("%(value)s is at an official %(brand)s domain.") % {
            "value": address, "brand": settings.BRAND.name_here()}, ContactKind.EMAIL, address)
    words = settings.BRAND.brand_words
    if domain in lookalike.FREE_MAIL:
        imitated = lookalike.name_resemblance(local, (), words)
        if imitated:
            reason = _technique_reason(lookalike.Resemblance("free_mail", imitated), address)
            return Answer("lookalike", reason, ContactKind.EMAIL, address, technique="free_mail",
                          imitates=imitated)
    if host.verdict == "lookalike":
        return Answer("lookalike", host.reason, ContactKind.EMAIL, address,
                      technique=host.technique, imitates=host.imitates)
    imitated = lookalike.name_resemblance(local, (), words)
    if imitated:
        return Answer("lookalike", _("%(value)s uses our name \"%(official)s\" at a domain that is "
                                     "not ours.") % {"value": address, "official": imitated},
                      ContactKind.EMAIL, address, technique="brand_word", imitates=imitated)
    return Answer("unknown", _("%(value)s is not an official %(brand)s email address.") % {
        "value": address, "brand": settings.BRAND.name_here()}, ContactKind.EMAIL, address)


def _email_listing(address: str) -> list[tuple[str, str, bool]]:
    """(kind, value, active) of the registry's row for `address`, active or retired, and of
    every active official domain."""
    snapshot = _snapshot.get()
    if snapshot is not None:
        return [(kind, value, active) for kind, value, active in snapshot.channels
                if (kind == ContactKind.EMAIL and value == address)
                or (kind == ContactKind.DOMAIN and active)]
    return list(OfficialChannel.objects.filter(
        Q(kind=ContactKind.EMAIL, value=address) | Q(kind=ContactKind.DOMAIN, active=True))
        .values_list("kind", "value", "active"))


def _verify_listed(kind: ContactKind, value: str, unknown_reason: str) -> Answer:
    if _blocked(kind, value):
        return _reported(kind, value)
    listed = OfficialChannel.objects.filter(kind=kind, value=value).first()
    if listed is not None and listed.active:
        return Answer("official", _("%(value)s is official (%(label)s).") % {
            "value": value, "label": listed.label or listed.get_kind_display()}, kind, value)
    if listed is not None:
        return Answer("lookalike", _("%(value)s was ours but is no longer in use. Anyone using it "
                                     "now is not us.") % {"value": value}, kind, value,
                      technique="retired")
    return Answer("unknown", unknown_reason, kind, value)


def _verify_agent_number(number: str) -> Answer:
    agent = Agent.objects.filter(agent_number__iexact=number).first()
    if agent is not None and agent.is_active:
        return Answer("official", _("Agent number %(number)s belongs to %(name)s, who works in "
                                    "our support team.") % {"number": agent.agent_number,
                                                            "name": agent.public_name},
                      ContactKind.AGENT_NUMBER, number)
    if agent is not None:
        return Answer("lookalike", _("Agent number %(number)s is no longer in use. Anyone using it "
                                     "now is not our staff.") % {"number": number},
                      ContactKind.AGENT_NUMBER, number, technique="retired")
    return Answer("unknown", _("%(number)s is not the agent number of anyone in our support team.")
                  % {"number": number}, ContactKind.AGENT_NUMBER, number)


def _verify_handle(kind: ContactKind | None, handle: str) -> Answer:
    kinds = (kind,) if kind else HANDLE_KINDS
    shown = f"@{handle}"
    if _any_blocked(*((kind, handle) for kind in kinds)):
        return _reported(kinds[0], shown)
    configured = next((k for k in kinds if handle in settings.BRAND.handles(k.value)), None)
    if configured is not None:
        return Answer("official", _("%(value)s is our official %(platform)s account.") % {
            "value": shown, "platform": configured.label}, configured, shown)
    listed = OfficialChannel.objects.filter(kind__in=kinds, value=handle).first()
    if listed is not None:
        return _verify_listed(ContactKind(listed.kind), handle, "")
    names = tuple(dict.fromkeys(name for k in kinds for name in official_handles(k)))
    imitated = lookalike.name_resemblance(handle, names, settings.BRAND.brand_words)
    label = kind.label if kind else _("social media")
    if imitated:
        return Answer("lookalike", _("%(value)s on %(platform)s imitates our official account "
                                     "\"%(official)s\" but is not ours.") % {
            "value": shown, "platform": label, "official": imitated}, kinds[0], shown,
            technique="handle", imitates=imitated)
    return Answer("unknown", _("%(value)s is not one of our official %(platform)s accounts.") % {
        "value": shown, "platform": label}, kinds[0], shown)
