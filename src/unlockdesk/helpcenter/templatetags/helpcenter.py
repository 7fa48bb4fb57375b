"""Template helpers other apps' pages use to link into the help center."""

from django import template

from unlockdesk.helpcenter import selectors

register = template.Library()


@register.filter
def lock_article_url(reason: str) -> str:
    """The help article that explains a lock reason and how it is lifted."""
    return selectors.lock_article_url(str(reason))
