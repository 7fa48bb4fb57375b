"""Console pieces for files on the social channels (issue #17): picture thumbnails, and the
files an agent attaches to a reply."""

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from unlockdesk.safety import audit, files
from unlockdesk.safety.files import FileRefused
from unlockdesk.staff.models import Agent, Role
from unlockdesk.staff.permissions import require_role, staff_agent
from unlockdesk.tickets import selectors
from unlockdesk.tickets.exceptions import AttachmentRejected, TicketAccessDenied
from unlockdesk.tickets.services.outbound import MAX_REPLY_FILES

THUMBNAIL_SIDE = 320


def _agent(request: HttpRequest) -> Agent:
    agent = staff_agent(request)
    if agent is None:
        raise Http404
    return agent


@require_role(Role.AGENT)
def attachment_thumbnail(request: HttpRequest, pk: int) -> HttpResponse:
    """A small clean copy of a picture, for the conversation; only for an agent who may see
    the ticket, audited like opening the file."""
    try:
        item = selectors.attachment_for_agent(_agent(request), pk)
    except TicketAccessDenied as exc:
        raise Http404 from exc
    if not item.content_type.startswith("image/"):
        raise Http404
    with item.file.open("rb") as handle:
        content = handle.read()
    try:
        picture = files.open_image(content)
    except FileRefused as exc:
        raise Http404 from exc
    data, content_type = files.clean_copy(picture, max_side=THUMBNAIL_SIDE)
    audit.record(actor=audit.actor_of(request.user), action="attachment.thumbnail",
                 target=f"attachment:{item.pk}", ticket=item.message.ticket.number)
    response = HttpResponse(data, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def reply_files(request: HttpRequest) -> list[tuple[str, bytes]]:
    """The files attached to the console's reply form, as (name, bytes). A file over the limit
    is refused from its size before it is read (AttachmentRejected)."""
    uploads: list[UploadedFile] = request.FILES.getlist("files")
    if len(uploads) > MAX_REPLY_FILES:
        raise AttachmentRejected("too_many", _("At most %(n)d files per reply.") % {"n": MAX_REPLY_FILES})
    out = []
    for upload in uploads:
        try:
            files.check_size(upload.size or 0, limit=settings.UNLOCKDESK_ATTACHMENT_MAX_BYTES)
        except FileRefused as exc:
            raise AttachmentRejected(exc.code, f"{upload.name}: {exc.message}") from exc
        out.append((upload.name or "file", upload.read()))
    return out
