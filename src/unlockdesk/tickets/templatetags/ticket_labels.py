from django import template

from unlockdesk.tickets.labels import actor_label, flag_label

register = template.Library()
register.filter("flag_label", flag_label)
register.filter("actor_label", actor_label)
