"""Image quality of every photo: resolution, blur, exposure, glare, screenshots and photos of
a screen. Thresholds were set on the pictures of tests/verification/pictures.py and the
labelled set of the verification benchmark."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from unlockdesk.verification.checks.analysis import analyse
from unlockdesk.verification.checks.results import result
from unlockdesk.verification.imaging.loading import ImageUnreadable
from unlockdesk.verification.imaging.quality import QualityMetrics
from unlockdesk.verification.registry import register
from unlockdesk.verification.types import CheckContext, Result, Status

CHECK = "image_quality"
# Photos of the person and the card; screenshots are expected for the other kinds.
PHOTO_KINDS = ("id_front", "id_back", "handheld")

MIN_SIDE_FAIL, MIN_SIDE_WARN = 400, 600
# On the sharpest parts (imaging.quality.sharpest_parts): in the benchmark's labelled set,
# blurred photos stay below 200 and every other one is above 390.
SHARPNESS_FAIL, SHARPNESS_WARN = 200.0, 300.0
DARK_MEAN, DARK_CLIPPED = 50.0, 0.5
BRIGHT_MEAN, BRIGHT_CLIPPED = 225.0, 0.35
GLARE_SHARE = 0.008
FLAT_SHARE_SCREENSHOT = 0.40
SCREEN_PEAKS = 12.0


def judge(metrics: QualityMetrics, *, kind: str, evidence_id: int | None = None) -> list[Result]:
    """One result per problem found (fail: retake needed; warn: the reviewer should look),
    or a single pass. Screens and glare are judged only for photos (PHOTO_KINDS); for other
    kinds (screenshots, records) a problem is at most a warning."""
    found: list[Result] = []
    photo = kind in PHOTO_KINDS

    def add(status: Status, reason: str, message: object, detail: str,
            region: tuple[int, int, int, int] | None = None) -> None:
        if status == Status.FAIL and not photo:
            status = Status.WARN  # a small or dim screenshot of an error still says what it says
        found.append(result(CHECK, status, reason, message, detail=detail, region=region,  # type: ignore[arg-type]
                            evidence_id=evidence_id))

    short = min(metrics.width, metrics.height)
    size = f"{metrics.width}x{metrics.height}"
    if short < MIN_SIDE_WARN:
        add(Status.FAIL if short < MIN_SIDE_FAIL else Status.WARN, "low_resolution",
            _("The photo is too small to read. Please send the original photo from your camera."),
            f"{size}, shorter side {short}px < {MIN_SIDE_WARN}")
    if metrics.detail_sharpness < SHARPNESS_WARN:
        add(Status.FAIL if metrics.detail_sharpness < SHARPNESS_FAIL else Status.WARN, "blurry",
            _("The photo is blurry. Hold the phone still, tap to focus and take it again."),
            f"variance of Laplacian in its sharpest parts {metrics.detail_sharpness:.0f} < "
            f"{SHARPNESS_WARN:.0f} (whole picture {metrics.sharpness:.0f})")
    if metrics.brightness < DARK_MEAN or metrics.clipped_dark > DARK_CLIPPED:
        add(Status.FAIL, "too_dark", _("The photo is too dark. Take it again in good light."),
            f"mean {metrics.brightness:.0f}, {metrics.clipped_dark:.0%} black")
    if metrics.brightness > BRIGHT_MEAN or metrics.clipped_bright > BRIGHT_CLIPPED:
        add(Status.FAIL, "too_bright",
            _("The photo is overexposed. Take it again out of direct light."),
            f"mean {metrics.brightness:.0f}, {metrics.clipped_bright:.0%} white")
    if photo and metrics.glare is not None and metrics.glare_share >= GLARE_SHARE:
        add(Status.WARN, "glare",
            _("Light reflects on part of the photo. Tilt the card or move away from the lamp and "
              "take it again."),
            f"saturated highlight covering {metrics.glare_share:.1%}", metrics.glare)
    if photo and metrics.flat_share >= FLAT_SHARE_SCREENSHOT and not metrics.has_camera_exif:
        add(Status.FAIL, "screenshot",
            _("This looks like a screenshot or an edited image. Please take a real photo with "
              "your camera."),
            f"{metrics.flat_share:.0%} perfectly uniform pixels, no camera EXIF")
    elif photo and metrics.screen_peaks >= SCREEN_PEAKS:
        add(Status.FAIL, "photo_of_screen",
            _("This looks like a photo of a screen. Please photograph the real card and note."),
            f"periodic high-frequency peaks {metrics.screen_peaks:.0f} >= {SCREEN_PEAKS:.0f} (moiré)")
    if not found:
        add(Status.PASS, "ok", _("The photo is sharp, well exposed and readable."),
            f"{size}, sharpness {metrics.detail_sharpness:.0f} (whole {metrics.sharpness:.0f}), "
            f"mean {metrics.brightness:.0f}, "
            f"flat {metrics.flat_share:.0%}, screen {metrics.screen_peaks:.0f}")
    return found


def unreadable(check: str, evidence_id: int | None) -> Result:
    return result(check, Status.FAIL, "unreadable",
                  _("This file cannot be opened as a photo. Please upload it again as JPEG or PNG."),
                  detail="the image could not be decoded", evidence_id=evidence_id)


@register(CHECK)
def image_quality(context: CheckContext) -> list[Result]:
    """Every current image of the application."""
    results: list[Result] = []
    for evidence in context.images():
        try:
            metrics = analyse(context.read(evidence)).quality
        except ImageUnreadable:
            results.append(unreadable(CHECK, evidence.pk))
            continue
        results.extend(judge(metrics, kind=evidence.kind, evidence_id=evidence.pk))
    return results
