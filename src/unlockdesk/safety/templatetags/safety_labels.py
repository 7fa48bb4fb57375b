from django import template

from unlockdesk.safety.audit_words import audit_action
from unlockdesk.safety.labels import (
    audit_details,
    audit_target,
    redactions_in_words,
    secret_kind_label,
    secret_kinds_label,
)

register = template.Library()
register.filter("secret_kind", secret_kind_label)
register.filter("redactions_in_words", redactions_in_words)
register.filter("secret_kinds", secret_kinds_label)
register.filter("audit_details", audit_details)
register.filter("audit_target", audit_target)
register.filter("audit_action", audit_action)
