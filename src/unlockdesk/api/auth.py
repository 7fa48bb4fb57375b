"""Bearer API keys for /api/v1: the key must be usable, carry the route's scope and stay under
its rate. An unknown, revoked or expired key is 401; a missing scope is 403; too fast is 429."""

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from unlockdesk.api import keys
from unlockdesk.api.errors import ApiError
from unlockdesk.api.models import ApiKey
from unlockdesk.api.scopes import Scope
from unlockdesk.safety import ratelimit


class ApiKeyAuth(HttpBearer):
    openapi_scheme = "bearer"

    def __init__(self, scope: Scope) -> None:
        super().__init__()
        self.scope = scope

    def authenticate(self, request: HttpRequest, token: str) -> ApiKey | None:
        key = keys.key_for_token(token)
        if key is None:
            return None
        if self.scope not in key.scopes:
            raise ApiError(403, "scope_missing", f"this key lacks the `{self.scope}` scope")
        if not ratelimit.allow("api-key", key.prefix, limit=keys.rate_limit(key)):
            raise ApiError(429, "rate_limited", "too many requests for this key; wait a minute",
                           headers={"Retry-After": "60"})
        keys.touch(key)
        return key


def requires(scope: Scope) -> dict[str, Any]:
    """Route keywords: the auth check and the scope named in the OpenAPI operation."""
    return {"auth": ApiKeyAuth(scope), "openapi_extra": {"x-required-scope": str(scope)}}


def key_of(request: HttpRequest) -> ApiKey:
    key = getattr(request, "auth", None)
    if not isinstance(key, ApiKey):  # unreachable behind ApiKeyAuth; never act unauthenticated
        raise ApiError(401, "unauthenticated", "no API key")
    return key
