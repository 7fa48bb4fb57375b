"""Evidence and attachments on S3-compatible storage, against a local S3 server (moto).

What reaches the bucket is ciphertext sealed by us; reading back through the storage gives
the original bytes; names are never overwritten; nothing has a public URL.
"""

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from moto.server import ThreadedMotoServer

from tests.factories import VALID_ID_NUMBERS, receive_one
from tests.helpers import portal_login
from tests.unlock import images
from tests.unlock.builders import customer_for, locked_account
from unlockdesk import crypto
from unlockdesk.tickets.models import Attachment
from unlockdesk.tickets.types import InboundAttachment
from unlockdesk.unlock import services
from unlockdesk.unlock.models import Evidence

pytestmark = pytest.mark.django_db

CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing",
               "region_name": "us-east-1"}
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99"
    b"=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """One local S3 server (moto's server mode) on a free port for the whole run."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint: str, settings) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    """A fresh bucket per test, made the desk's default storage the way settings.py does."""
    name = f"unlockdesk-{uuid.uuid4().hex[:12]}"
    s3 = boto3.resource("s3", endpoint_url=s3_endpoint, **CREDENTIALS)
    s3.create_bucket(Bucket=name)
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "unlockdesk.storage.EncryptedS3Storage",
        "OPTIONS": {"bucket_name": name, "endpoint_url": s3_endpoint, "region_name": "us-east-1",
                    "access_key": "testing", "secret_key": "testing", "location": "desk",
                    "addressing_style": "path"},
    }}
    yield s3.Bucket(name)


def object_bytes(bucket: Any, name: str) -> bytes:
    data: bytes = bucket.Object(f"desk/{name}").get()["Body"].read()
    return data


def test_attachment_is_ciphertext_in_the_bucket_and_plain_through_the_desk(bucket: Any) -> None:
    receipt = receive_one(attachments=(InboundAttachment("id.png", PNG, "image/png"),))
    item = Attachment.objects.get(message_id=receipt.message_id)

    at_rest = object_bytes(bucket, item.file.name)
    assert PNG not in at_rest and b"PNG" not in at_rest
    with item.file.open("rb") as handle:
        kept = handle.read()  # the clean re-encoded copy the desk keeps of a picture
    assert kept.startswith(b"\x89PNG")
    assert crypto.open_sealed(at_rest) == kept  # sealed with our key, nothing else
    assert not (Attachment.objects.exclude(pk=item.pk).exists())
    assert [o.key for o in bucket.objects.all()] == [f"desk/{item.file.name}"]


def test_evidence_original_is_ciphertext_in_the_bucket(bucket: Any) -> None:
    account = locked_account(email="s3@example.com")
    customer = customer_for("s3@example.com")
    application = services.save_account_step(services.start_or_resume(customer), customer,
                                             reference=account.uid, kyc_name="张伟",
                                             id_number=VALID_ID_NUMBERS[0])
    original = images.photo_jpeg("front")

    evidence = services.add_evidence(application, kind="id_front", filename="f.jpg",
                                     content=original, actor=customer.actor)

    at_rest = object_bytes(bucket, evidence.file.name)
    assert original not in at_rest and b"JFIF" not in at_rest and b"Exif" not in at_rest
    assert crypto.open_sealed(at_rest) == original
    with Evidence.objects.get(pk=evidence.pk).file.open("rb") as handle:
        assert handle.read() == original
    keys = {o.key for o in bucket.objects.all()}
    assert f"desk/{evidence.file.name}" in keys
    assert evidence.preview and f"desk/{evidence.preview.name}" in keys  # previews too


def test_a_taken_name_is_never_overwritten(bucket: Any) -> None:
    first = default_storage.save("attachments/same.txt", ContentFile(b"first"))
    second = default_storage.save("attachments/same.txt", ContentFile(b"second"))

    assert first != second
    assert default_storage.open(first).read() == b"first"
    assert default_storage.open(second).read() == b"second"


def test_deleted_file_leaves_the_bucket(bucket: Any) -> None:
    name = default_storage.save("attachments/gone.txt", ContentFile(b"bye"))
    default_storage.delete(name)

    assert not default_storage.exists(name) and list(bucket.objects.all()) == []


def test_files_have_no_url(bucket: Any) -> None:
    name = default_storage.save("attachments/x.txt", ContentFile(b"x"))
    with pytest.raises(NotImplementedError):
        default_storage.url(name)


def test_customer_downloads_an_attachment_from_the_bucket_through_the_portal(
        bucket: Any, client: Client) -> None:
    receipt = receive_one(sender="owner@example.com", verified=True,
                          attachments=(InboundAttachment("id.png", PNG, "image/png"),))
    item = Attachment.objects.get(message_id=receipt.message_id)
    portal_login(client, "owner@example.com")

    response = client.get(f"/portal/attachments/{item.pk}/")

    with item.file.open("rb") as handle:
        assert response.status_code == 200 and response.content == handle.read()
    assert response.content.startswith(b"\x89PNG")


def test_s3_settings_come_from_the_environment(tmp_path) -> None:  # type: ignore[no-untyped-def]
    env = {k: v for k, v in os.environ.items() if not k.startswith("UNLOCKDESK_S3")}
    env.update(DJANGO_SETTINGS_MODULE="unlockdesk.settings", UNLOCKDESK_DATA_DIR=str(tmp_path),
               UNLOCKDESK_S3_BUCKET="evidence", UNLOCKDESK_S3_ENDPOINT_URL="http://127.0.0.1:9000",
               UNLOCKDESK_S3_PREFIX="prod", UNLOCKDESK_S3_ADDRESSING_STYLE="path")
    script = ("import django; django.setup(); from django.core.files.storage import storages; "
              "s = storages['default']; "
              "print(type(s).__name__, s.bucket_name, s.endpoint_url, s.location, s.addressing_style)")
    out = subprocess.run([sys.executable, "-c", script],
                         capture_output=True, text=True, check=True, env=env)
    assert out.stdout.split() == ["EncryptedS3Storage", "evidence", "http://127.0.0.1:9000", "prod",
                                  "path"]
