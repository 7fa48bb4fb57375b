"""The handheld photo: the paper note (brand phrase, today's date, ticket number), a face, and
the ID card with the applicant's number on it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from unlockdesk.accounts.identifiers import mask_id_number, normalize_id_number
from unlockdesk.verification.checks import reading
from unlockdesk.verification.checks.analysis import analyse
from unlockdesk.verification.checks.quality import unreadable
from unlockdesk.verification.checks.results import result
from unlockdesk.verification.imaging.faces import Face, FaceModelUnavailable
from unlockdesk.verification.imaging.loading import ImageUnreadable
from unlockdesk.verification.imaging.ocr import OcrLine
from unlockdesk.verification.registry import register
from unlockdesk.verification.types import CheckContext, NoteExpectation, Result, Status

NOTE_CHECK = "handheld_note"
FACE_CHECK = "face_present"
CARD_CHECK = "handheld_id_card"
CARD_LABELS = reading.CARD_LABELS
NO_FACE = _("We cannot see your face. Hold the card and the note beside your uncovered face, look at "
            "the camera and take the photo again.")


def grace_days() -> int:
    return int(settings.UNLOCKDESK_NOTE_DATE_GRACE_DAYS)


def lines_box(lines: Sequence[OcrLine]) -> tuple[int, int, int, int] | None:
    if not lines:
        return None
    left = min(line.box[0] for line in lines)
    top = min(line.box[1] for line in lines)
    right = max(line.box[0] + line.box[2] for line in lines)
    bottom = max(line.box[1] + line.box[3] for line in lines)
    return left, top, right - left, bottom - top


def judge_note(lines: Sequence[OcrLine], expected: NoteExpectation, *, grace: int = 1,
               protected: Sequence[str] = (), evidence_id: int | None = None) -> list[Result]:
    """Phrase, date (expected.date ± grace days) and ticket number on the note.

    One result per missing or wrong item (fail, the customer retakes the photo), or a single
    pass. `region` outlines the note's lines that were read.
    """
    texts = [line.text for line in lines]
    phrase = reading.find_phrase(texts, expected.phrase, protected=protected)
    phrase_lines = [ln for ln in lines if phrase.seen and phrase.seen in reading.normalize(ln.text)]
    dates = reading.find_dates(texts)
    date_lines = [ln for ln in lines if reading.find_dates([ln.text])]
    today = expected.date.isoformat()
    window = {expected.date + timedelta(days=d) for d in range(-grace, grace + 1)}
    date_ok = any(d in window for d in dates)
    ticket_ok = not expected.ticket_number or reading.contains_code(texts, expected.ticket_number)
    note_region = lines_box(phrase_lines) or lines_box(lines)
    out: list[Result] = []
    if not texts:
        return [result(NOTE_CHECK, Status.FAIL, "no_text",
                       _("We could not read any writing on your note. Write with a dark pen in large "
                         "letters and take the handheld photo again in good light."),
                       detail="OCR found no text", evidence_id=evidence_id)]
    if not phrase.found:
        out.append(result(NOTE_CHECK, Status.FAIL, "phrase_missing",
                          _("Your note must say “%(phrase)s”. Write it clearly and take the handheld "
                            "photo again."),
                          detail=f"closest text read {phrase.seen!r} ({phrase.distance} edits)",
                          region=note_region, evidence_id=evidence_id, phrase=expected.phrase))
    if not date_ok:
        seen = ", ".join(d.isoformat() for d in dates) or "none"
        reason = "date_wrong" if dates else "date_missing"
        message = (_("The date on your note is not today. Write today's date (%(today)s) and take "
                     "the handheld photo again.") if dates else
                   _("We could not find today's date on your note. Write it (%(today)s) and take the "
                     "handheld photo again."))
        out.append(result(NOTE_CHECK, Status.FAIL, reason, message,
                          detail=f"expected {today} ±{grace} day(s); dates read: {seen}",
                          region=lines_box(date_lines) or note_region, evidence_id=evidence_id, today=today))
    if not ticket_ok:
        out.append(result(NOTE_CHECK, Status.FAIL, "ticket_missing",
                          _("Your ticket number %(ticket)s is missing from the note. Add it and take the "
                            "handheld photo again."),
                          detail=f"ticket {expected.ticket_number} not read", region=note_region,
                          evidence_id=evidence_id, ticket=expected.ticket_number))
    if out:
        return out
    return [result(NOTE_CHECK, Status.PASS, "ok",
                   _("The note shows the phrase, today's date and the ticket number."),
                   detail=(f"phrase ({phrase.distance} edits), date {today} ±{grace}, "
                          + ("ticket read" if expected.ticket_number else "no ticket number to compare")),
                   region=note_region, evidence_id=evidence_id)]


def judge_face(faces: Sequence[Face] | None, *, check: str = FACE_CHECK, evidence_id: int | None = None,
               missing_message: Promise | str | None = None, missing_status: Status = Status.FAIL) -> Result:
    """A face is visible (None: the face model is not installed, so "not available")."""
    if faces is None:
        return result(check, Status.NOT_AVAILABLE, "model_missing",
                      _("Automatic face checks are not available; a reviewer will look."),
                      detail="dlib / face_recognition_models not installed", evidence_id=evidence_id)
    if not faces:
        return result(check, missing_status, "no_face", missing_message or NO_FACE,
                      detail="no frontal face found", evidence_id=evidence_id)
    face = faces[0]
    return result(check, Status.PASS, "face_found", _("A face is visible."),
                  detail=(f"{len(faces)} face(s); largest {face.box[2]}x{face.box[3]}px, "
                          f"score {face.score:.2f}"),
                  region=face.box, evidence_id=evidence_id)


def judge_card(lines: Sequence[OcrLine], id_number: str, *, evidence_id: int | None = None) -> Result:
    """An ID card is in the photo (its labels or a number read) and its number is the applicant's."""
    texts = [line.text for line in lines]
    numbers = reading.find_id_numbers(texts)
    labels = [ln for ln in lines if any(label in reading.normalize(ln.text) for label in CARD_LABELS)]
    number_lines = [ln for ln in lines if reading.find_id_numbers([ln.text])]
    region = lines_box(labels + number_lines)
    expected = normalize_id_number(id_number)
    if not numbers and not labels:
        return result(CARD_CHECK, Status.FAIL, "no_card",
                      _("We cannot see your ID card in the handheld photo. Hold the front of the card "
                        "beside your face, text towards the camera, and take the photo again."),
                      detail="no ID card labels or number read", evidence_id=evidence_id)
    if not expected:
        return result(CARD_CHECK, Status.PASS, "card_found", _("An ID card is visible in the photo."),
                      detail="no applicant number to compare; read " +
                             (", ".join(mask_id_number(n) for n in numbers) or "labels only"),
                      region=region, evidence_id=evidence_id)
    if expected in numbers:
        return result(CARD_CHECK, Status.PASS, "number_matches",
                      _("The ID card in the photo carries your ID number."),
                      detail=f"read {mask_id_number(expected)}", region=region, evidence_id=evidence_id)
    if numbers:
        return result(CARD_CHECK, Status.FAIL, "number_mismatch",
                      _("The ID number on the card in the photo is not the one in your application."),
                      detail="read " + ", ".join(mask_id_number(n) for n in numbers) +
                             f"; applicant {mask_id_number(expected)}",
                      region=region, evidence_id=evidence_id)
    return result(CARD_CHECK, Status.WARN, "number_unreadable",
                  _("The ID card is in the photo but its number cannot be read; a reviewer will look."),
                  detail=f"{len(labels)} card label(s) read, no 18-character number",
                  region=region, evidence_id=evidence_id)


def customer_today(context: CheckContext, moment: datetime | None) -> date:
    """The date in the customer's time zone (the account's, else the desk's) at `moment`."""
    zone_name = context.account.time_zone if context.account is not None else settings.TIME_ZONE
    try:
        zone = ZoneInfo(zone_name)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo(settings.TIME_ZONE)
    return timezone.localtime(moment or timezone.now(), zone).date()


def _faces(data: bytes) -> list[Face] | None:
    """The people's faces (not the card's portrait); None without the face model."""
    try:
        return analyse(data).person_faces
    except FaceModelUnavailable:
        return None


@register(NOTE_CHECK)
def handheld_note(context: CheckContext) -> list[Result]:
    """The note as photographed: judged against the day the photo was uploaded, in the
    customer's time zone."""
    items = [e for e in context.of_kind("handheld") if e.is_image]
    if not items:
        return [result(NOTE_CHECK, Status.NOT_AVAILABLE, "no_photo",
                       _("No handheld photo was uploaded."), detail="no handheld image")]
    out: list[Result] = []
    for evidence in items:
        expected = NoteExpectation(phrase=context.note.phrase, ticket_number=context.note.ticket_number,
                                   date=customer_today(context, evidence.uploaded_at))
        try:
            lines = analyse(context.read(evidence)).lines
        except ImageUnreadable:
            out.append(unreadable(NOTE_CHECK, evidence.pk))
            continue
        out.extend(judge_note(lines, expected, grace=grace_days(), protected=brand_words(),
                              evidence_id=evidence.pk))
    return out


def brand_words() -> tuple[str, ...]:
    """Words of the phrase that must be read exactly: the brand's names."""
    brand = settings.BRAND
    return tuple(w for w in (brand.name_zh, brand.name_en, *brand.brand_words) if w)


@register(FACE_CHECK)
def face_present(context: CheckContext) -> list[Result]:
    out: list[Result] = []
    for evidence in context.of_kind("handheld"):
        if not evidence.is_image:
            continue
        try:
            out.append(judge_face(_faces(context.read(evidence)), evidence_id=evidence.pk))
        except ImageUnreadable:
            out.append(unreadable(FACE_CHECK, evidence.pk))
    return out


@register(CARD_CHECK)
def handheld_id_card(context: CheckContext) -> list[Result]:
    out: list[Result] = []
    for evidence in context.of_kind("handheld"):
        if not evidence.is_image:
            continue
        try:
            lines = analyse(context.read(evidence)).lines
        except ImageUnreadable:
            out.append(unreadable(CARD_CHECK, evidence.pk))
            continue
        out.append(judge_card(lines, context.application.id_number, evidence_id=evidence.pk))
    return out
