"""What the reviewer and the customer see of the check results."""

import json
import re
from datetime import timedelta

import pytest
from django.test import Client

from tests.factories import make_agent
from tests.helpers import console_login, portal_login
from tests.verification.builders import applicant, draft, handheld_for, now_in_shanghai, submit, upload
from tests.verification.conftest import picture
from unlockdesk.staff.models import Role
from unlockdesk.unlock.types import ApplicationStatus

pytestmark = pytest.mark.django_db


def test_reviewer_sees_each_result_beside_its_picture_with_the_region_outlined(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.verification.builders import only_checks

    only_checks(monkeypatch, "handheld_note", "face_present")
    customer, _ = applicant("screen-a@example.com")
    app = draft(customer)
    upload(app, customer, "id_front", picture("id_front_genuine.jpg"))
    upload(app, customer, "id_back", picture("id_back_valid.jpg"))
    wrong = (now_in_shanghai().date() - timedelta(days=4)).isoformat()
    upload(app, customer, "handheld", handheld_for(app, date_text=wrong))
    app = submit(app, customer)
    assert app.status == ApplicationStatus.NEEDS_INFO

    client = console_login(Client(), make_agent(role=Role.REVIEWER))
    page = client.get(f"/console/unlock/{app.pk}/").content.decode()
    figure = page[page.index('<figure class="viewer" data-kind="handheld"'):]
    figure = figure[:figure.index("</figure>")]
    assert 'data-check="handheld_note" data-status="fail"' in figure
    assert 'data-check="face_present" data-status="pass"' in figure
    regions = json.loads(re.search(r'data-regions="([^"]*)"', figure).group(1).replace("&quot;", '"'))  # type: ignore[union-attr]
    assert {r["label"] for r in regions} == {"handheld_note", "face_present"}
    assert all(r["w"] > 0 and r["h"] > 0 for r in regions)


def test_customer_sees_the_picture_to_retake_and_what_to_do(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.verification.builders import only_checks

    only_checks(monkeypatch, "handheld_note")
    customer, _ = applicant("screen-b@example.com")
    app = draft(customer)
    upload(app, customer, "id_front", picture("id_front_genuine.jpg"))
    upload(app, customer, "id_back", picture("id_back_valid.jpg"))
    wrong = (now_in_shanghai().date() - timedelta(days=4)).isoformat()
    upload(app, customer, "handheld", handheld_for(app, date_text=wrong))
    app = submit(app, customer)
    assert app.ticket is not None

    client = portal_login(Client(), "screen-b@example.com")
    page = client.get(f"/portal/unlock/status/{app.ticket.number}/").content.decode()
    redo = page[page.index('id="redo"'):]
    assert re.findall(r'class="card redo-item" data-kind="(\w+)"', redo) == ["handheld"]
    assert "纸条上的日期不是今天" in redo or "The date on your note is not today" in redo
