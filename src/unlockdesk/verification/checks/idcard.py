"""The ID card photos: the front's name and number against the application, the back's
validity period against today."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.utils.translation import gettext_lazy as _

from unlockdesk.accounts.identifiers import mask_id_number, mask_name, normalize_id_number
from unlockdesk.verification.checks import reading
from unlockdesk.verification.checks.analysis import analyse
from unlockdesk.verification.checks.handheld import customer_today, judge_face, lines_box
from unlockdesk.verification.checks.quality import unreadable
from unlockdesk.verification.checks.results import result
from unlockdesk.verification.imaging.faces import FaceModelUnavailable
from unlockdesk.verification.imaging.loading import ImageUnreadable
from unlockdesk.verification.imaging.ocr import OcrLine
from unlockdesk.verification.registry import register
from unlockdesk.verification.types import CheckContext, Result, Status

FRONT_CHECK = "id_card_front"
BACK_CHECK = "id_card_back"
PORTRAIT_CHECK = "card_face"
NAME_LABEL = "姓名"
NO_PORTRAIT = _("We cannot see the portrait on your ID card. Photograph the whole front of the card, "
                "flat and in good light.")


def read_name(lines: Sequence[OcrLine]) -> str:
    """The text after the 姓名 label (same line, else the next line to its right)."""
    for index, line in enumerate(lines):
        text = reading.normalize(line.text)
        if NAME_LABEL in text:
            rest = text.split(NAME_LABEL, 1)[1]
            if rest:
                return rest
            if index + 1 < len(lines):
                return reading.normalize(lines[index + 1].text)
    return ""


def judge_front(lines: Sequence[OcrLine], *, name: str, id_number: str,
                evidence_id: int | None = None) -> list[Result]:
    texts = [line.text for line in lines]
    expected = normalize_id_number(id_number)
    numbers = reading.find_id_numbers(texts)
    number_lines = [ln for ln in lines if reading.find_id_numbers([ln.text])]
    name_lines = [ln for ln in lines if NAME_LABEL in reading.normalize(ln.text)]
    name_read = read_name(lines)
    name_ok = bool(name) and reading.contains_name(texts, name)
    out: list[Result] = []
    if not numbers and not name_read:
        return [result(FRONT_CHECK, Status.WARN, "unreadable",
                       _("We could not read the front of your ID card. Photograph it flat, in good "
                         "light, filling most of the picture."),
                       detail=f"{len(texts)} text line(s) read; no name label, no 18-character number",
                       evidence_id=evidence_id)]
    if expected:
        if expected in numbers:
            pass
        elif numbers:
            out.append(result(FRONT_CHECK, Status.FAIL, "number_mismatch",
                              _("The ID number on the card is not the one in your application."),
                              detail="read " + ", ".join(mask_id_number(n) for n in numbers) +
                                     f"; applicant {mask_id_number(expected)}",
                              region=lines_box(number_lines), evidence_id=evidence_id))
        else:
            out.append(result(FRONT_CHECK, Status.WARN, "number_unreadable",
                              _("The ID number on the card could not be read; a reviewer will look."),
                              detail="no 18-character number read", evidence_id=evidence_id))
    if name:
        if name_ok:
            pass
        elif name_read:
            out.append(result(FRONT_CHECK, Status.FAIL, "name_mismatch",
                              _("The name on the card is not the one in your application."),
                              detail=f"read {mask_name(name_read)}; applicant {mask_name(name)}",
                              region=lines_box(name_lines), evidence_id=evidence_id))
        else:
            out.append(result(FRONT_CHECK, Status.WARN, "name_unreadable",
                              _("The name on the card could not be read; a reviewer will look."),
                              detail="no name after the 姓名 label", evidence_id=evidence_id))
    if out:
        return out
    if not (expected or name):
        shown = [mask_id_number(n) for n in numbers] + ([mask_name(name_read)] if name_read else [])
        return [result(FRONT_CHECK, Status.PASS, "readable",
                       _("The name and ID number on the card can be read."),
                       detail="nothing to compare with; read " + ", ".join(shown),
                       region=lines_box(name_lines + number_lines), evidence_id=evidence_id)]
    return [result(FRONT_CHECK, Status.PASS, "match",
                   _("The name and ID number on the card match your application."),
                   detail=f"read {mask_name(name)} / {mask_id_number(expected)}" if expected else "read",
                   region=lines_box(name_lines + number_lines), evidence_id=evidence_id)]


def judge_back(lines: Sequence[OcrLine], *, today: date, evidence_id: int | None = None) -> Result:
    texts = [line.text for line in lines]
    validity = reading.find_validity(texts)
    region = lines_box([ln for ln in lines if reading.find_validity([ln.text])])
    if validity is None:
        return result(BACK_CHECK, Status.WARN, "validity_unreadable",
                      _("We could not read the validity period on the back of your ID card. "
                        "Photograph it flat, in good light."),
                      detail=f"{len(texts)} text line(s) read; no validity period", evidence_id=evidence_id)
    if validity.permanent:
        return result(BACK_CHECK, Status.PASS, "valid", _("Your ID card is valid."),
                      detail=f"valid from {validity.start} with no end (长期)", region=region,
                      evidence_id=evidence_id)
    assert validity.end is not None
    if validity.end < today:
        return result(BACK_CHECK, Status.FAIL, "expired",
                      _("Your ID card expired on %(end)s. Please use a valid ID card."),
                      detail=f"valid {validity.start} – {validity.end}; today {today}", region=region,
                      evidence_id=evidence_id, end=validity.end.isoformat())
    return result(BACK_CHECK, Status.PASS, "valid", _("Your ID card is valid."),
                  detail=f"valid {validity.start} – {validity.end}", region=region, evidence_id=evidence_id)


@register(FRONT_CHECK)
def id_card_front(context: CheckContext) -> list[Result]:
    application = context.application
    out: list[Result] = []
    for evidence in context.of_kind("id_front"):
        if not evidence.is_image:
            continue
        try:
            lines = analyse(context.read(evidence)).lines
        except ImageUnreadable:
            out.append(unreadable(FRONT_CHECK, evidence.pk))
            continue
        out.extend(judge_front(lines, name=application.kyc_name, id_number=application.id_number,
                               evidence_id=evidence.pk))
    return out


@register(PORTRAIT_CHECK)
def card_face(context: CheckContext) -> list[Result]:
    """The portrait on the card's front can be found (a warning when not: the face match needs it)."""
    out: list[Result] = []
    for evidence in context.of_kind("id_front"):
        if not evidence.is_image:
            continue
        try:
            faces = analyse(context.read(evidence)).faces
        except FaceModelUnavailable:
            faces = None
        except ImageUnreadable:
            continue  # image_quality reports it
        out.append(judge_face(faces, check=PORTRAIT_CHECK, missing_message=NO_PORTRAIT,
                              missing_status=Status.WARN, evidence_id=evidence.pk))
    return out


@register(BACK_CHECK)
def id_card_back(context: CheckContext) -> list[Result]:
    out: list[Result] = []
    for evidence in context.of_kind("id_back"):
        if not evidence.is_image:
            continue
        try:
            lines = analyse(context.read(evidence)).lines
        except ImageUnreadable:
            out.append(unreadable(BACK_CHECK, evidence.pk))
            continue
        out.append(judge_back(lines, today=customer_today(context, evidence.uploaded_at),
                              evidence_id=evidence.pk))
    return out
