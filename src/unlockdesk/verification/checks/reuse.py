"""Reused evidence: the same or a near-same picture in another application.

Compares the 64-bit difference hash every image gets at upload (`Evidence.fingerprint`, kept
after the file itself is purged) and the SHA-256 of the bytes. Another account's picture is
a fail (a stolen or bought photo); the same account's earlier application is a warning (a
customer re-sending their own photo is normal for the ID card, not for the handheld note).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from unlockdesk.unlock.models import Evidence
from unlockdesk.verification.checks.results import result
from unlockdesk.verification.imaging.hashes import NEAR_SAME_BITS, hamming
from unlockdesk.verification.registry import register
from unlockdesk.verification.types import CheckContext, Result, Status

CHECK = "reused_evidence"


def near(a: str, b: str, bits: int = NEAR_SAME_BITS) -> bool:
    return hamming(a, b) <= bits


@register(CHECK)
def reused_evidence(context: CheckContext) -> list[Result]:
    mine = [e for e in context.images() if e.fingerprint]
    if not mine:
        return [result(CHECK, Status.NOT_AVAILABLE, "no_photo", _("No photo to compare."),
                       detail="no image with a fingerprint in this application")]
    application = context.application
    account_id = application.account_id
    others = list(
        Evidence.objects.exclude(application=application).exclude(fingerprint="")
        .values_list("pk", "application_id", "application__account_id", "fingerprint", "sha256", "kind")
    )
    out: list[Result] = []
    for evidence in mine:
        hits = [o for o in others if o[4] == evidence.sha256 or near(o[3], evidence.fingerprint)]
        twins = [e for e in mine if e.pk != evidence.pk and e.kind != evidence.kind
                 and (e.sha256 == evidence.sha256 or near(e.fingerprint, evidence.fingerprint))]
        foreign = [h for h in hits if h[2] is None or h[2] != account_id]
        own = [h for h in hits if h not in foreign]
        if foreign:
            where = ", ".join(f"application {h[1]} ({h[5]})" for h in foreign[:5])
            out.append(result(CHECK, Status.FAIL, "reused_other_account",
                              _("This photo was already used in another application. Please take a new "
                                "photo yourself."),
                              detail=f"same or near-same image in {where} of another account",
                              evidence_id=evidence.pk))
        elif twins:
            out.append(result(CHECK, Status.FAIL, "same_image_twice",
                              _("The same picture was uploaded for two different items. Please upload "
                                "the right photo for each."),
                              detail="also uploaded as " + ", ".join(t.kind for t in twins),
                              evidence_id=evidence.pk))
        elif own:
            status = Status.FAIL if evidence.kind == "handheld" else Status.WARN
            out.append(result(CHECK, status, "reused_own",
                              _("This photo was already sent in an earlier application. Please take a "
                                "new one today."),
                              detail="same or near-same image in " +
                                     ", ".join(f"application {h[1]} ({h[5]})" for h in own[:5]) +
                                     " of the same account",
                              evidence_id=evidence.pk))
        else:
            out.append(result(CHECK, Status.PASS, "new", _("This photo has not been used before."),
                              detail=f"compared with {len(others)} stored fingerprints",
                              evidence_id=evidence.pk))
    return out
