"""The automated checks by name, as reviewers read them (the stored name is a stable code)."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

CHECK_LABELS: dict[str, Promise] = {
    "account_contact": _("Account contact matches"),
    "exif": _("Photo metadata"),
    "face_match": _("Same face on ID card and handheld photo"),
    "handheld_note": _("Handwritten note and date"),
    "face_present": _("Face in the handheld photo"),
    "handheld_id_card": _("ID card in the handheld photo"),
    "id_card_front": _("ID card front"),
    "id_card_back": _("ID card back"),
    "card_face": _("Portrait on the ID card"),
    "id_number": _("ID number"),
    "kyc_match": _("Real-name (KYC) match"),
    "image_quality": _("Image quality"),
    "reused_evidence": _("Reused picture"),
    "transactions": _("Transaction records"),
}


def check_label(name: str) -> str:
    return str(CHECK_LABELS.get(name, name.replace("_", " ")))
