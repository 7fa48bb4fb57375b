"""Words for the codes a ticket stores: flags, queues, timeline actors and values.

Codes stay in the database (stable for filters, the API and reports); people read these.
Apps above tickets add the words for their own values (an unlock application's states) with
`register_value_labels` from their `AppConfig.ready()`.
"""

from collections.abc import Callable

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

FLAGS: dict[str, Promise] = {
    "secret_redacted": gettext_lazy("Secret removed"),
    "lookalike_link": gettext_lazy("Lookalike link"),
    "quoted_foreign_ticket": gettext_lazy("Quoted someone else's ticket number"),
}

QUEUES: dict[str, Promise] = {
    "security": pgettext_lazy("queue", "Security"),
    "unlock": pgettext_lazy("queue", "Unlock"),
    "general": pgettext_lazy("queue", "General"),
}

_value_labels: dict[str, Callable[[str], str | None]] = {}


def register_value_labels(kind: str, label: Callable[[str], str | None]) -> None:
    """Let a higher app name the values it records on the timeline under `kind`."""
    _value_labels[kind] = label


def value_label(kind: str, value: object) -> str | None:
    label = _value_labels.get(kind)
    return label(str(value)) if label else None


def flag_label(code: str) -> str:
    return str(FLAGS.get(code, code.replace("_", " ")))


def queue_label(slug: str, name: str) -> str:
    return str(QUEUES[slug]) if slug in QUEUES else name


def actor_label(actor: str) -> str:
    """`agent:T0001` -> "Agent T0001"; customers and the system in words, never a row id."""
    kind, _sep, who = actor.partition(":")
    if kind == "agent" and who:
        return _("Agent %(number)s") % {"number": who}
    if kind in ("contact", "customer"):
        return _("Customer")
    if kind == "system" and who == "verification":
        return _("Automated checks")
    if kind == "system" and who == "routing":
        return _("Automatic assignment")
    return _("System")
