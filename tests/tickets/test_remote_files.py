"""tickets.services.remote_files: a file still on the platform is fetched, checked and stored
exactly once, however often the webhook is retried or the task runs; failures back off and
end in a word to the customer."""

import io
from dataclasses import dataclass, field, replace
from datetime import timedelta

import pytest
from django.utils import timezone
from PIL import Image

from tests.factories import inbound
from unlockdesk.tickets import hooks
from unlockdesk.tickets.models import Attachment, Message, RemoteAttachment, RemoteFileState
from unlockdesk.tickets.services import receive, remote_files
from unlockdesk.tickets.types import (
    Channel,
    DeliveryResult,
    FetchedFile,
    FetchFailed,
    IdentityKind,
    OutboundMessage,
    RemoteFile,
)

pytestmark = pytest.mark.django_db


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 10), (0, 90, 200)).save(out, format="PNG")
    return out.getvalue()


@dataclass
class PlatformAdapter:
    """A channel adapter whose platform serves `content`, failing first `failures` times."""

    content: bytes = b""
    failures: int = 0
    retryable: bool = True
    fetched: list[str] = field(default_factory=list)
    ADDRESS_KIND: IdentityKind = IdentityKind.TELEGRAM

    def fetch_file(self, remote: RemoteFile) -> FetchedFile:
        self.fetched.append(remote.ref)
        if self.failures:
            self.failures -= 1
            raise FetchFailed("HTTP 503", retryable=self.retryable)
        return FetchedFile("photo.png", self.content)

    def deliver(self, message: OutboundMessage) -> DeliveryResult:
        return DeliveryResult(True)


@pytest.fixture
def platform(monkeypatch: pytest.MonkeyPatch) -> PlatformAdapter:
    adapter = PlatformAdapter(content=png())
    monkeypatch.setitem(hooks._adapters, Channel.TELEGRAM, adapter)
    return adapter


def _photo_message(external_id: str = "4242:1", ref: str = "file-1") -> RemoteAttachment:
    item = inbound(channel=Channel.TELEGRAM, kind=IdentityKind.TELEGRAM, sender="tg:4242",
                   external_id=external_id, text="截图", subject="")
    receive(replace(item, remote_files=(RemoteFile(ref, "photo.jpg", "image/jpeg"),)))
    return RemoteAttachment.objects.get(ref=ref)


def test_a_retried_webhook_records_the_file_once() -> None:
    _photo_message()
    _photo_message()
    assert RemoteAttachment.objects.count() == 1


def test_the_same_file_twice_in_one_message_is_fetched_once() -> None:
    item = inbound(channel=Channel.TELEGRAM, kind=IdentityKind.TELEGRAM, sender="tg:1", text="x")
    receive(replace(item, remote_files=(RemoteFile("a"), RemoteFile("a"), RemoteFile("b"))))
    assert sorted(RemoteAttachment.objects.values_list("ref", flat=True)) == ["a", "b"]


def test_a_rerun_task_stores_nothing_twice(platform: PlatformAdapter) -> None:
    remote = _photo_message()
    assert remote_files.fetch(remote.pk).state == RemoteFileState.STORED
    assert remote_files.fetch(remote.pk).state == RemoteFileState.STORED
    assert Attachment.objects.count() == 1 and platform.fetched == ["file-1"]
    stored = RemoteAttachment.objects.get()
    assert stored.attachment is not None and stored.attachment.content_type == "image/png"


def test_a_file_another_worker_is_fetching_is_left_to_it(platform: PlatformAdapter) -> None:
    remote = _photo_message()
    RemoteAttachment.objects.filter(pk=remote.pk).update(
        lease_until=timezone.now() + timedelta(minutes=1))
    outcome = remote_files.fetch(remote.pk)
    assert (outcome.state, outcome.retryable) == (RemoteFileState.PENDING, False)
    assert platform.fetched == []


def test_an_expired_lease_is_taken_over(platform: PlatformAdapter) -> None:
    remote = _photo_message()
    RemoteAttachment.objects.filter(pk=remote.pk).update(
        lease_until=timezone.now() - timedelta(seconds=1))
    assert remote_files.fetch(remote.pk).state == RemoteFileState.STORED


def test_a_platform_failure_is_retryable_until_the_last_attempt(platform: PlatformAdapter) -> None:
    platform.failures = remote_files.MAX_FETCH_ATTEMPTS
    remote = _photo_message()
    outcomes = [remote_files.fetch(remote.pk) for _ in range(remote_files.MAX_FETCH_ATTEMPTS)]
    assert [o.retryable for o in outcomes] == [True] * (remote_files.MAX_FETCH_ATTEMPTS - 1) + [False]
    remote.refresh_from_db()
    assert (remote.state, remote.attempts) == (RemoteFileState.FAILED, remote_files.MAX_FETCH_ATTEMPTS)
    told = Message.objects.get(headers__auto="file_failed")
    assert told.channel == Channel.TELEGRAM and "重新发送" in told.body_text


def test_a_final_platform_answer_is_not_retried(platform: PlatformAdapter) -> None:
    platform.failures, platform.retryable = 1, False
    remote = _photo_message()
    outcome = remote_files.fetch(remote.pk)
    assert (outcome.state, outcome.retryable) == (RemoteFileState.FAILED, False)


def test_a_refused_file_is_not_stored_and_the_customer_is_told_once(platform: PlatformAdapter) -> None:
    platform.content = b"MZ\x90\x00" + b"\x00" * 200  # a Windows program named photo.jpg
    remote = _photo_message()
    assert remote_files.fetch(remote.pk).state == RemoteFileState.REFUSED
    assert remote_files.fetch(remote.pk).state == RemoteFileState.REFUSED
    assert Attachment.objects.count() == 0
    [told] = Message.objects.filter(headers__auto="file_refused")
    assert told.body_text.startswith("我们无法接收 photo.jpg：")


def test_back_off_doubles() -> None:
    assert [remote_files.retry_delay(n).total_seconds() for n in (1, 2, 3)] == [30, 60, 120]


def test_a_fetch_whose_task_was_lost_is_queued_again_by_the_sweep(platform: PlatformAdapter) -> None:
    remote = _photo_message()
    now = timezone.now()
    assert remote_files.overdue_fetches(now) == []  # just recorded: its task is on its way
    later = now + remote_files.OVERDUE_AFTER + timedelta(minutes=1)
    assert remote_files.overdue_fetches(later) == [remote.pk]
    assert remote_files.overdue_fetches(later) == []  # due again from `later`: one task per sweep


def test_a_file_waiting_for_its_back_off_is_not_swept(platform: PlatformAdapter) -> None:
    platform.failures = 1
    remote = _photo_message()
    assert remote_files.fetch(remote.pk).retryable
    soon = timezone.now() + remote_files.OVERDUE_AFTER - timedelta(seconds=1)
    assert remote_files.overdue_fetches(soon) == []
    remote_files.fetch(remote.pk)
    later = timezone.now() + timedelta(hours=1)
    assert remote_files.overdue_fetches(later) == []  # stored: nothing left to sweep


def test_a_file_the_platform_says_is_too_large_is_refused_without_downloading(
        platform: PlatformAdapter) -> None:
    item = inbound(channel=Channel.TELEGRAM, kind=IdentityKind.TELEGRAM, sender="tg:9", text="scan")
    receive(replace(item, remote_files=(RemoteFile("huge", "scan.pdf", "application/pdf", 50 * 2**20),)))
    remote = RemoteAttachment.objects.get()
    assert remote_files.fetch(remote.pk).state == RemoteFileState.REFUSED
    assert platform.fetched == []
    told = Message.objects.get(headers__auto="file_refused")
    assert "scan.pdf" in told.body_text and "10 MB" in told.body_text
