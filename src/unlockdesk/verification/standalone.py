"""Checks of one picture outside any application: `unlockdesk check IMAGE` and the benchmark.

The same judging functions the stored checks use (`checks.*.judge_*`), fed with what the
command line gives instead of an application: the kind of picture, the ticket number and
day the note must show, the name and ID number the card must carry. Nothing is stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from unlockdesk.verification.checks import exif as exif_check
from unlockdesk.verification.checks import faces as face_check
from unlockdesk.verification.checks import handheld, idcard, quality
from unlockdesk.verification.checks.analysis import Analysis, analyse
from unlockdesk.verification.imaging.exif import facts
from unlockdesk.verification.imaging.faces import Face, FaceModelUnavailable
from unlockdesk.verification.imaging.loading import ImageUnreadable
from unlockdesk.verification.types import NoteExpectation, Result

KINDS = ("id_front", "id_back", "handheld")


@dataclass(frozen=True)
class ImageClaims:
    """What the picture is supposed to show; empty strings are not checked."""

    kind: str
    today: date
    ticket_number: str = ""
    name: str = ""
    id_number: str = ""
    phrase: str = ""  # default: settings.BRAND.note_phrase

    def note(self) -> NoteExpectation:
        return NoteExpectation(phrase=self.phrase or settings.BRAND.note_phrase, date=self.today,
                               ticket_number=self.ticket_number)


def desk_today() -> date:
    return timezone.localdate(timezone.now(), ZoneInfo(settings.TIME_ZONE))


def _faces(analysis: Analysis, *, people: bool = False) -> list[Face] | None:
    try:
        return analysis.person_faces if people else analysis.faces
    except FaceModelUnavailable:
        return None


def check_image(data: bytes, claims: ImageClaims, *, id_front: bytes | None = None) -> list[Result]:
    """Every check that applies to a picture of `claims.kind`, in a fixed order.

    Image quality and EXIF first, then what the kind must show. With `id_front` (the card's
    front) a handheld photo is also face-matched against the card's portrait. An undecodable
    file gives a single `unreadable` fail. Raises ValueError for an unknown kind.
    """
    if claims.kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}")
    try:
        analysis = analyse(data)
    except ImageUnreadable:
        return [quality.unreadable(quality.CHECK, None)]
    zone = ZoneInfo(settings.TIME_ZONE)
    # The picture is judged as if uploaded at noon of `today` in the desk's zone.
    uploaded = timezone.make_aware(datetime.combine(claims.today, time(12)), zone)
    results = quality.judge(analysis.quality, kind=claims.kind)
    results += exif_check.judge_exif(facts(analysis.image.exif), uploaded_at=uploaded, zone=zone,
                                     kind=claims.kind)
    if claims.kind == "handheld":
        results += handheld.judge_note(analysis.lines, claims.note(), grace=handheld.grace_days(),
                                       protected=handheld.brand_words())
        results.append(handheld.judge_face(_faces(analysis, people=True)))
        results.append(handheld.judge_card(analysis.lines, claims.id_number))
        if id_front is not None:
            results.append(_face_match(id_front, analysis))
    elif claims.kind == "id_front":
        results += idcard.judge_front(analysis.lines, name=claims.name, id_number=claims.id_number)
        results.append(handheld.judge_face(_faces(analysis), check=idcard.PORTRAIT_CHECK,
                                           missing_message=idcard.NO_PORTRAIT))
    else:
        results.append(idcard.judge_back(analysis.lines, today=claims.today))
    return results


def _face_match(id_front: bytes, person: Analysis) -> Result:
    try:
        card = analyse(id_front)
        faces = person.person_faces
        return face_check.judge_match(card.face_embedding, person.person_embedding,
                                      region=faces[0].box if faces else None)
    except FaceModelUnavailable as exc:
        return face_check.unavailable(str(exc))
    except ImageUnreadable:
        return face_check.unreadable()
