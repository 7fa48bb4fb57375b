"""Moved to the core module `unlockdesk.ratelimit` (the sign-in codes in `accounts`, a lower
layer, count with it too); this name stays so existing imports keep working."""

from unlockdesk.ratelimit import allow

__all__ = ["allow"]
