"""Errors of /api/v1 as JSON with a stable `code` (machines branch on it) and a `message`
(people read it). Every route lists the error statuses it may answer in the OpenAPI schema."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from unlockdesk.tickets.exceptions import InvalidTransition, ReplyBlocked, TicketAccessDenied


class ErrorOut(Schema):
    code: str
    message: str
    details: list[dict[str, Any]] | None = None


class ApiError(Exception):
    """Raised by routes and the auth layer; rendered as {"code", "message"} with `status`."""

    def __init__(self, status: int, code: str, message: str, *, headers: dict[str, str] | None = None,
                 details: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}
        self.details = details

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.details is not None:
            body["details"] = self.details
        return body


def not_found(what: str = "ticket") -> ApiError:
    return ApiError(404, "not_found", f"no such {what}")


def translate(exc: Exception) -> ApiError | None:
    """The API's answer to a domain error the services raise, or None for a real fault."""
    if isinstance(exc, ApiError):
        return exc
    if isinstance(exc, TicketAccessDenied):
        return not_found()
    if isinstance(exc, InvalidTransition):
        return ApiError(409, "invalid_transition", f"the status machine does not allow {exc}")
    if isinstance(exc, ReplyBlocked):
        return ApiError(422, "reply_blocked",
                        f"the outbound guard blocked this reply ({exc.reason}); never ask for "
                        "passwords, codes or keys")
    return None


# What the routes declare beside their success answer (the schema lists every one).
READ_ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut,
                                        429: ErrorOut}
WRITE_ERRORS: dict[int, type[Schema]] = {**READ_ERRORS, 400: ErrorOut, 409: ErrorOut}


def install(api: NinjaAPI) -> None:
    """Every failure of this API answers in the one error shape."""

    def respond(request: HttpRequest, error: ApiError) -> HttpResponse:
        response = api.create_response(request, error.body(), status=error.status)
        for name, value in error.headers.items():
            response[name] = value
        return response

    for domain_error in (ApiError, TicketAccessDenied, InvalidTransition, ReplyBlocked):

        @api.exception_handler(domain_error)
        def _domain(request: HttpRequest, exc: Exception) -> HttpResponse:
            error = translate(exc)
            assert error is not None
            return respond(request, error)

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
        return respond(request, ApiError(
            401, "unauthenticated", "send a valid, unrevoked API key as `Authorization: Bearer <key>`",
            headers={"WWW-Authenticate": "Bearer"}))

    @api.exception_handler(ValidationError)
    def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        details = [{"loc": [str(part) for part in e.get("loc", [])], "msg": str(e.get("msg", "")),
                    "type": str(e.get("type", ""))} for e in exc.errors]
        return respond(request, ApiError(422, "invalid_request", "the request does not match the schema",
                                         details=details))

    @api.exception_handler(Http404)
    def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        return respond(request, ApiError(404, "not_found", "not found"))

    @api.exception_handler(HttpError)
    def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return respond(request, ApiError(exc.status_code, "http_error", str(exc)))
