"""Face match: the portrait on the ID card against the face in the handheld photo."""

from __future__ import annotations

import numpy as np
from django.utils.translation import gettext_lazy as _

from unlockdesk.verification.checks.analysis import analyse
from unlockdesk.verification.checks.results import result
from unlockdesk.verification.imaging.faces import SAME_PERSON_DISTANCE, FaceModelUnavailable, distance
from unlockdesk.verification.imaging.loading import ImageUnreadable
from unlockdesk.verification.registry import register
from unlockdesk.verification.types import CheckContext, Region, Result, Status

CHECK = "face_match"
# Between the clear "same" and the published threshold: the reviewer should look closely.
CLOSE_CALL = 0.5


def judge_match(card: np.ndarray | None, person: np.ndarray | None, *,
                region: tuple[int, int, int, int] | Region | None = None,
                evidence_id: int | None = None) -> Result:
    """Distance between two dlib descriptors and its verdict (same person below 0.6).

    `region` is the face in the handheld photo, outlined for the reviewer on a verdict."""
    if card is None or person is None:
        where = "ID card" if card is None else "handheld photo"
        return result(CHECK, Status.NOT_AVAILABLE, "no_face",
                      _("The faces could not be compared; a reviewer will look."),
                      detail=f"no face found on the {where}", evidence_id=evidence_id)
    d = distance(card, person)
    detail = f"distance {d:.3f} (same person below {SAME_PERSON_DISTANCE})"
    if d >= SAME_PERSON_DISTANCE:
        return result(CHECK, Status.FAIL, "different_person",
                      _("The face in the handheld photo does not look like the ID card portrait."),
                      detail=detail, region=region, evidence_id=evidence_id)
    if d >= CLOSE_CALL:
        return result(CHECK, Status.WARN, "uncertain",
                      _("The faces look alike but not clearly; a reviewer will compare them."),
                      detail=detail, region=region, evidence_id=evidence_id)
    return result(CHECK, Status.PASS, "same_person",
                  _("The face matches the ID card portrait."), detail=detail, region=region,
                  evidence_id=evidence_id)


def unavailable(detail: str) -> Result:
    return result(CHECK, Status.NOT_AVAILABLE, "model_missing",
                  _("Automatic face checks are not available; a reviewer will look."), detail=detail)


def unreadable() -> Result:
    return result(CHECK, Status.NOT_AVAILABLE, "unreadable",
                  _("The faces could not be compared; a reviewer will look."),
                  detail="an image could not be decoded")


@register(CHECK)
def face_match(context: CheckContext) -> list[Result]:
    fronts = [e for e in context.of_kind("id_front") if e.is_image]
    handhelds = [e for e in context.of_kind("handheld") if e.is_image]
    if not fronts or not handhelds:
        return [result(CHECK, Status.NOT_AVAILABLE, "no_photo",
                       _("The faces could not be compared; a reviewer will look."),
                       detail="needs both the ID card front and the handheld photo")]
    try:
        card = analyse(context.read(fronts[0])).face_embedding
        person = analyse(context.read(handhelds[0]))
        faces = person.person_faces
        return [judge_match(card, person.person_embedding, region=faces[0].box if faces else None,
                            evidence_id=handhelds[0].pk)]
    except FaceModelUnavailable as exc:
        return [unavailable(str(exc))]
    except ImageUnreadable:
        return [unreadable()]
