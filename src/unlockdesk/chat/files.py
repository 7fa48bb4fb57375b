"""Links to a chat's files for the visitor who is in it.

A visitor has no portal session, so the file an agent sends in a chat is opened through a
short-lived link the visitor's own socket asks for: signed over the conversation, the visitor
and the attachment, and checked again when opened. The attachment id alone opens nothing.
"""

from django.core import signing

from unlockdesk.chat import selectors
from unlockdesk.chat.models import Conversation
from unlockdesk.tickets.models import Attachment, Direction

_SALT = "unlockdesk.chat.file"
LINK_MAX_AGE = 10 * 60  # seconds: asked for on each click, so it need not live long


def _attachment_in(conversation: Conversation, attachment_id: object) -> Attachment:
    if not conversation.ticket_id or not str(attachment_id).isdigit():
        raise selectors.ChatAccessDenied
    item = (Attachment.objects.select_related("message__ticket")
            .filter(pk=int(str(attachment_id)), message__ticket_id=conversation.ticket_id)
            .exclude(message__direction=Direction.NOTE).first())
    if item is None:
        raise selectors.ChatAccessDenied
    return item


def file_link(conversation: Conversation, visitor: str, attachment_id: object) -> str:
    """The path that opens one of this conversation's files; ChatAccessDenied otherwise."""
    item = _attachment_in(conversation, attachment_id)
    signed = signing.dumps({"c": str(conversation.public_id), "v": visitor, "a": item.pk}, salt=_SALT)
    return f"/chat/files/{signed}/"


def attachment_from_link(signed: str) -> tuple[Attachment, str]:
    """The attachment a link opens and the visitor it was made for; ChatAccessDenied when the
    link is forged, expired, or no longer the visitor's conversation's file."""
    try:
        data = signing.loads(signed, salt=_SALT, max_age=LINK_MAX_AGE)
        conversation = selectors.conversation_for_visitor(str(data["v"]), str(data["c"]))
        return _attachment_in(conversation, data["a"]), str(data["v"])
    except (signing.BadSignature, KeyError, TypeError) as exc:
        raise selectors.ChatAccessDenied from exc
