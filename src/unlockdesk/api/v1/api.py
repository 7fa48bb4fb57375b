"""API v1 for the exchange's other systems: bearer API keys with scopes, JSON errors with a
stable code, Idempotency-Key on every POST, OpenAPI at /api/v1/openapi.json, docs at /api/docs."""

from ninja import NinjaAPI, Swagger

from unlockdesk.api import errors

api_v1 = NinjaAPI(
    title="Unlockdesk API",
    version="1.0",
    description=(
        "For the exchange's other systems. Authenticate with `Authorization: Bearer <API key>`; "
        "an admin creates keys with the scopes each route names (`x-required-scope`). Errors are "
        "JSON `{code, message}`; `code` is stable. Send `Idempotency-Key` on POST to retry safely. "
        "Each key has a rate limit per minute (429 with Retry-After)."
    ),
    urls_namespace="api-v1",
    docs=Swagger(settings={"validatorUrl": None}),  # no call to an outside validator
    docs_url=None,  # served at /api/docs (unlockdesk.api.urls)
)
errors.install(api_v1)
api_v1.add_router("/", "unlockdesk.api.v1.tickets.router")
api_v1.add_router("/", "unlockdesk.api.v1.directory.router")
api_v1.add_router("/", "unlockdesk.api.v1.webhooks.router")
