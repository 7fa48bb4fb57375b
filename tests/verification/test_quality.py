"""Image quality: resolution, blur, exposure, glare, screenshots and photos of a screen."""

from collections.abc import Callable

import pytest
from PIL import Image, ImageDraw, ImageFilter

from tests.verification import pictures
from unlockdesk.verification.checks.analysis import Analysis
from unlockdesk.verification.checks.quality import judge
from unlockdesk.verification.imaging.loading import load_image
from unlockdesk.verification.imaging.quality import measure
from unlockdesk.verification.types import Status

Analysed = Callable[[str], Analysis]


def _verdicts(analysed: Analysed, name: str, kind: str = "handheld") -> dict[str, Status]:
    return {r.reason_code: r.status for r in judge(analysed(name).quality, kind=kind)}


@pytest.mark.parametrize("name", ["handheld_genuine.jpg", "id_front_genuine.jpg", "id_back_valid.jpg"])
def test_a_sharp_well_lit_camera_photo_passes(analysed: Analysed, name: str) -> None:
    assert _verdicts(analysed, name) == {"ok": Status.PASS}


@pytest.mark.parametrize(("name", "reason", "status"), [
    ("handheld_blurred.jpg", "blurry", Status.FAIL),
    ("handheld_dark.jpg", "too_dark", Status.FAIL),
    ("handheld_bright.jpg", "too_bright", Status.FAIL),
    ("handheld_small.jpg", "low_resolution", Status.FAIL),
    ("handheld_glare.jpg", "glare", Status.WARN),
    ("handheld_screenshot.png", "screenshot", Status.FAIL),
    ("handheld_screen.jpg", "photo_of_screen", Status.FAIL),
])
def test_each_quality_problem_is_found(analysed: Analysed, name: str, reason: str, status: Status) -> None:
    verdicts = _verdicts(analysed, name)
    assert verdicts.get(reason) == status, verdicts
    assert "ok" not in verdicts


def test_glare_is_outlined_where_the_light_reflects(analysed: Analysed) -> None:
    glare = next(r for r in judge(analysed("handheld_glare.jpg").quality, kind="handheld")
                 if r.reason_code == "glare")
    assert glare.region is not None
    assert 40 <= glare.region.x <= 80 and 450 <= glare.region.y <= 490, glare.region


def test_a_screenshot_is_expected_for_the_problem_screenshot(analysed: Analysed) -> None:
    assert "screenshot" not in _verdicts(analysed, "handheld_screenshot.png", kind="problem_screenshot")


def test_a_poor_picture_of_a_record_is_only_a_warning(analysed: Analysed) -> None:
    assert _verdicts(analysed, "handheld_small.jpg", kind="transaction_record") == {
        "low_resolution": Status.WARN}


def test_every_message_is_in_both_languages(analysed: Analysed) -> None:
    for result in judge(analysed("handheld_blurred.jpg").quality, kind="handheld"):
        assert result.message_en and result.message_zh and result.message_zh != result.message_en


def test_a_sharp_note_in_front_of_a_plain_wall_is_not_blurry() -> None:
    """Blur is judged on the picture's sharpest parts: a plain wall filling most of the frame
    drags the whole picture's variance of the Laplacian down, not the note's."""
    scene = Image.new("RGB", (1000, 750), (176, 168, 150))
    note = Image.new("RGB", (330, 170), (246, 244, 236))
    draw = ImageDraw.Draw(note)
    for row, text in enumerate(pictures.Note().lines()):
        draw.text((12, 8 + 52 * row), text, fill=(25, 30, 70), font=pictures.font(34))
    scene.paste(note, (600, 480))
    soft = scene.filter(ImageFilter.GaussianBlur(0.8))  # a phone lens, not out of focus
    metrics = measure(load_image(pictures.jpeg(soft, exif=pictures.camera_exif(), quality=92)))
    assert metrics.sharpness < 90, "the whole picture's variance alone would call it blurry"
    assert {r.reason_code for r in judge(metrics, kind="handheld")} == {"ok"}
