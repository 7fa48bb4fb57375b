"""Creating, checking and revoking API keys (services: the admin and the command call them)."""

import secrets
from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.utils import timezone

from unlockdesk import crypto
from unlockdesk.api.models import ApiKey
from unlockdesk.api.scopes import Scope
from unlockdesk.safety import audit
from unlockdesk.staff.models import Agent

TOKEN_PREFIX = "udk_"  # noqa: S105 - a marker, not a secret


class KeyRefused(ValueError):
    """A key the desk will not create (unknown scope, inactive agent, expiry in the past)."""


def _hash(token: str) -> str:
    return crypto.keyed_hash(token, purpose="api-key")


def create_key(
    *, name: str, agent: Agent, scopes: Iterable[str], expires_at: datetime | None = None,
    rate_per_minute: int | None = None, actor: str,
) -> tuple[ApiKey, str]:
    """A new key and its token; the token is returned this once and never stored."""
    chosen = sorted(set(scopes))
    unknown = [s for s in chosen if s not in Scope.values]
    if unknown or not chosen:
        raise KeyRefused(f"unknown or no scopes: {', '.join(unknown)}")
    if not agent.is_active:
        raise KeyRefused("the agent is not active")
    if expires_at is not None and expires_at <= timezone.now():
        raise KeyRefused("the expiry is in the past")
    prefix = secrets.token_hex(6)
    token = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    key = ApiKey.objects.create(name=name[:80], prefix=prefix, token_hash=_hash(token), agent=agent,
                                scopes=chosen, expires_at=expires_at, rate_per_minute=rate_per_minute,
                                created_by=actor[:64])
    audit.record(actor=actor, action="api_key.create", target=f"api_key:{prefix}", scopes=chosen)
    return key, token


def revoke_key(key: ApiKey, *, actor: str) -> ApiKey:
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
        audit.record(actor=actor, action="api_key.revoke", target=f"api_key:{key.prefix}")
    return key


def key_for_token(token: str) -> ApiKey | None:
    """The usable key behind a bearer token, or None (unknown, wrong secret, revoked, expired)."""
    parts = token.split("_")
    if len(parts) < 3 or not token.startswith(TOKEN_PREFIX):
        return None
    key = ApiKey.objects.select_related("agent").filter(prefix=parts[1]).first()
    if key is None or not secrets.compare_digest(key.token_hash, _hash(token)):
        return None
    if not key.is_usable or not key.agent.is_active:
        return None
    return key


def touch(key: ApiKey) -> None:
    """Record use at most once a minute: no write on every request."""
    now = timezone.now()
    if key.last_used_at is None or (now - key.last_used_at).total_seconds() > 60:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now


def rate_limit(key: ApiKey) -> int:
    return key.rate_per_minute or settings.UNLOCKDESK_API_PER_MINUTE
