"""{% unread_notifications user %}: the bell's count when the page loads (no script needed)."""

from django import template

from unlockdesk.staff import notifications
from unlockdesk.staff.models import Agent

register = template.Library()


@register.simple_tag
def unread_notifications(user: object) -> int:
    return notifications.unread_count(user) if isinstance(user, Agent) and user.pk else 0


@register.simple_tag
def notification_poll_seconds() -> float:
    """How often the bell asks for news (UNLOCKDESK_NOTIFICATION_POLL_SECONDS)."""
    from django.conf import settings

    return float(settings.UNLOCKDESK_NOTIFICATION_POLL_SECONDS)
