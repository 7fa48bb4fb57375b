"""Evidence uploads: accepted by sniffed type, bad files refused with a message, nothing stored."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from PIL import Image

from tests.factories import VALID_ID_NUMBERS
from tests.unlock import images
from tests.unlock.builders import customer_for, locked_account
from unlockdesk.unlock import services
from unlockdesk.unlock.models import Evidence
from unlockdesk.unlock.uploads import EvidenceRejected

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():  # type: ignore[no-untyped-def]
    account = locked_account(email="up@example.com")
    customer = customer_for("up@example.com")
    application = services.save_account_step(services.start_or_resume(customer), customer,
                                             reference=account.uid, kyc_name="张伟",
                                             id_number=VALID_ID_NUMBERS[0])
    return application, customer


def _stored_files() -> list[Path]:
    root = Path(settings.UNLOCKDESK_PRIVATE_FILES)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.parametrize(("content", "code"), [
    (b"", "empty"),
    (images.disguised_executable(), "type"),
    (b"<html><script>alert(1)</script></html>", "type"),
    (images.bomb_png(), "too_many_pixels"),
    (images.truncated_jpeg(), "damaged"),
    (b"%PDF-1.4\n1 0 obj\n", "damaged"),
])
def test_bad_file_is_refused_with_its_reason_and_nothing_is_stored(draft, content: bytes, code: str
                                                                    ) -> None:  # type: ignore[no-untyped-def]
    application, customer = draft
    with pytest.raises(EvidenceRejected) as caught:
        services.add_evidence(application, kind="id_front", filename="photo.jpg", content=content,
                              actor=customer.actor)
    assert caught.value.code == code and caught.value.message
    assert not Evidence.objects.exists()
    assert _stored_files() == []


def test_oversized_file_is_refused_before_anything_is_stored(draft, settings) -> None:  # type: ignore[no-untyped-def]
    application, customer = draft
    settings.UNLOCKDESK_EVIDENCE_MAX_BYTES = 50_000
    with pytest.raises(EvidenceRejected) as caught:
        services.add_evidence(application, kind="id_front", filename="big.jpg",
                              content=images.oversized_jpeg(50_000), actor=customer.actor)
    assert caught.value.code == "too_large"
    assert not Evidence.objects.exists() and _stored_files() == []


def test_gif_is_not_an_accepted_type(draft) -> None:  # type: ignore[no-untyped-def]
    application, customer = draft
    out = io.BytesIO()
    Image.new("RGB", (20, 20)).save(out, format="GIF")
    with pytest.raises(EvidenceRejected) as caught:
        services.add_evidence(application, kind="other_proof", filename="a.gif", content=out.getvalue(),
                              actor=customer.actor)
    assert caught.value.code == "type"


@pytest.mark.parametrize(("name", "content", "mime"), [
    ("photo.png", images.photo_jpeg(), "image/jpeg"),
    ("shot.png", images.screenshot_png(), "image/png"),
    ("phone.heic", images.photo_heic(), "image/heic"),
    ("statement.pdf", images.statement_pdf(), "application/pdf"),
])
def test_accepted_types_are_recognised_by_their_bytes_not_their_name(draft, name: str, content: bytes,
                                                                    mime: str) -> None:  # type: ignore[no-untyped-def]
    application, customer = draft
    evidence = services.add_evidence(application, kind="other_proof", filename=name, content=content,
                                     actor=customer.actor)
    assert evidence.content_type == mime


def test_original_is_encrypted_at_rest_and_kept_byte_for_byte(draft) -> None:  # type: ignore[no-untyped-def]
    application, customer = draft
    original = images.photo_jpeg("front")
    evidence = services.add_evidence(application, kind="id_front", filename="f.jpg", content=original,
                                     actor=customer.actor)
    with evidence.file.storage.stored_bytes(evidence.file.name) as raw:  # type: ignore[attr-defined]
        on_disk = raw.read()
    assert original not in on_disk and b"JFIF" not in on_disk and b"Exif" not in on_disk
    with evidence.file.open("rb") as handle:
        assert handle.read() == original


def test_preview_shown_to_others_has_no_metadata_but_the_original_keeps_it(draft) -> None:  # type: ignore[no-untyped-def]
    application, customer = draft
    evidence = services.add_evidence(application, kind="handheld", filename="h.jpg",
                                     content=images.photo_jpeg("hand"), actor=customer.actor)
    with evidence.preview.open("rb") as handle:
        preview = Image.open(io.BytesIO(handle.read()))
    assert not preview.getexif() and "exif" not in preview.info and "icc_profile" not in preview.info
    with evidence.file.open("rb") as handle:
        original = Image.open(io.BytesIO(handle.read()))
    assert original.getexif().get_ifd(0x8825), "the reviewer's original keeps its GPS EXIF"


def test_fingerprint_of_the_same_picture_is_the_same(draft) -> None:  # type: ignore[no-untyped-def]
    application, customer = draft
    a = services.add_evidence(application, kind="other_proof", filename="a.jpg",
                              content=images.photo_jpeg("same"), actor=customer.actor)
    b = services.add_evidence(application, kind="other_proof", filename="b.png",
                              content=images.photo_jpeg("same", with_gps=False), actor=customer.actor)
    assert a.fingerprint and a.fingerprint == b.fingerprint


def test_second_id_front_replaces_the_first(draft) -> None:  # type: ignore[no-untyped-def]
    application, customer = draft
    first = services.add_evidence(application, kind="id_front", filename="1.jpg",
                                  content=images.photo_jpeg("1"), actor=customer.actor)
    services.add_evidence(application, kind="id_front", filename="2.jpg",
                          content=images.photo_jpeg("2"), actor=customer.actor)
    first.refresh_from_db()
    assert first.superseded_at is not None
    assert Evidence.objects.filter(application=application, kind="id_front",
                                   superseded_at__isnull=True).count() == 1


def test_no_file_is_taken_before_step_one_has_opened_the_ticket() -> None:
    from unlockdesk.unlock.exceptions import ApplicationNotEditable

    locked_account(email="early@example.com")
    customer = customer_for("early@example.com")
    application = services.start_or_resume(customer)
    with pytest.raises(ApplicationNotEditable):
        services.add_evidence(application, kind="id_front", filename="f.jpg",
                              content=images.photo_jpeg("early"), actor=customer.actor)
    assert not Evidence.objects.exists() and _stored_files() == []


def test_refusing_a_file_over_the_per_kind_limit_leaves_no_file_behind(draft) -> None:  # type: ignore[no-untyped-def]
    from unlockdesk.unlock.types import MAX_FILES_PER_KIND

    application, customer = draft
    for n in range(MAX_FILES_PER_KIND):
        services.add_evidence(application, kind="other_proof", filename=f"{n}.png",
                              content=images.screenshot_png(f"receipt {n}"), actor=customer.actor)
    stored = sorted(_stored_files())
    with pytest.raises(EvidenceRejected) as caught:
        services.add_evidence(application, kind="other_proof", filename="one-more.png",
                              content=images.screenshot_png("one more"), actor=customer.actor)
    assert caught.value.code == "too_many"
    assert Evidence.objects.filter(application=application).count() == MAX_FILES_PER_KIND
    assert sorted(_stored_files()) == stored, "the refused file's original and preview are gone"
