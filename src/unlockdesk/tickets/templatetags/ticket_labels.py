from functools import cache

from django import template
from django.db import models

from unlockdesk.tickets.labels import actor_label, flag_label

register = template.Library()
register.filter("flag_label", flag_label)
register.filter("actor_label", actor_label)


@cache
def _choices(model: type[models.Model], field: str) -> dict[object, object]:
    return dict(model._meta.get_field(field).flatchoices)  # type: ignore[union-attr]


@register.filter
def label_of(obj: models.Model, field: str) -> str:
    """`{{ t|label_of:"priority" }}`: what get_priority_display() says, from choices read
    once per field (the model method rebuilds them on every call: a tenth of an inbox row)."""
    value = getattr(obj, field)
    return str(_choices(type(obj), field).get(value, value))
