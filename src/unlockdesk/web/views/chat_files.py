"""A chat visitor opens a file an agent sent, through the signed link their socket asked for."""

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from unlockdesk.chat import files
from unlockdesk.chat.selectors import ChatAccessDenied
from unlockdesk.web.responses import private_file_response


@require_GET
def chat_file(request: HttpRequest, signed: str) -> HttpResponse:
    try:
        item, visitor = files.attachment_from_link(signed)
    except ChatAccessDenied as exc:
        raise Http404 from exc
    return private_file_response(item, actor=f"visitor:{visitor[:12]}")
