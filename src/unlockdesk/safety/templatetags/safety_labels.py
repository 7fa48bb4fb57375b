from django import template

from unlockdesk.safety.labels import redactions_in_words, secret_kind_label, secret_kinds_label

register = template.Library()
register.filter("secret_kind", secret_kind_label)
register.filter("redactions_in_words", redactions_in_words)
register.filter("secret_kinds", secret_kinds_label)
