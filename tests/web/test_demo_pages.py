"""What a newcomer meets in the demo: the sign-ins with the KYC details the wizard asks for, and
an outbox they can filter to their own address."""

import importlib
import io

import pytest
from django.test import Client

from unlockdesk.intake.models import OutboxItem


def test_demo_prints_the_kyc_name_and_id_number_and_says_staff_enrol_an_authenticator() -> None:
    command = importlib.import_module("unlockdesk.web.management.commands.demo").Command(stdout=io.StringIO())
    command._print_signins("8811")
    out = command.stdout.getvalue()
    assert "http://127.0.0.1:8811/portal/signin/" in out
    assert "张伟 11010519491231002X" in out and "authenticator" in out


@pytest.mark.django_db
def test_outbox_filters_by_recipient(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.DEMO_MODE = True
    OutboxItem.objects.create(kind="email", to="me@example.com", subject="Your code", body="123456")
    OutboxItem.objects.create(kind="email", to="seed@example.com", subject="Seed", body="noise")
    body = client.get("/demo/outbox/", {"to": "me@"}).content.decode()
    assert "me@example.com" in body and "seed@example.com" not in body
