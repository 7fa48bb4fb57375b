"""Keeping macros: agents their own, supervisors and admins the shared ones.

Every save passes the outbound guard and the placeholder rule (Macro.clean) before anything
is written; a refused macro raises ValidationError and nothing changes. Each change is audited.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from unlockdesk.safety import audit
from unlockdesk.staff.models import Agent
from unlockdesk.tickets import macros as macro_selectors
from unlockdesk.tickets.exceptions import TicketAccessDenied
from unlockdesk.tickets.models import Macro


class MacroRefused(Exception):
    """The macro cannot be saved as asked; the message says why."""


def save_macro(*, by: Agent, name: str, body_zh: str, body_en: str, shared: bool = False,
               active: bool = True, macro: Macro | None = None) -> Macro:
    """Create (macro=None) or change a macro. `shared` needs a supervisor; an agent changes only
    their own. Raises ValidationError (guard, placeholders), MacroRefused (name taken) or
    TicketAccessDenied."""
    if macro is not None:
        macro = macro_selectors.editable_macro(by, macro.pk)
    if shared and not macro_selectors.can_keep_shared(by):
        raise TicketAccessDenied
    name = " ".join(name.split())[:80]
    if not name:
        raise MacroRefused(_("A macro needs a name."))
    target = macro or Macro()
    target.name, target.body_zh, target.body_en = name, body_zh.strip(), body_en.strip()
    target.active = active
    target.owner = None if shared else by
    target.updated_at = timezone.now()
    try:
        with transaction.atomic():
            target.save()  # Macro.save runs clean(): guard and placeholders
            audit.record(actor=audit.actor_of(by), action="macro.save", target=f"macro:{target.pk}",
                         name=name, shared=shared, created=macro is None)
    except IntegrityError as exc:
        raise MacroRefused(_("A macro with this name exists already.")) from exc
    return target


def delete_macro(*, by: Agent, macro_id: int) -> None:
    macro = macro_selectors.editable_macro(by, macro_id)
    with transaction.atomic():
        audit.record(actor=audit.actor_of(by), action="macro.delete", target=f"macro:{macro.pk}",
                     name=macro.name, shared=macro.owner_id is None)
        macro.delete()
