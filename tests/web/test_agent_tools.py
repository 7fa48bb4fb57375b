"""The agent-tools pages over HTTP: macro picker and keeping, bulk with confirmation, saved
views, merge and split; permissions and CSRF on each."""

import pytest
from django.test import Client

from tests.factories import make_agent, receive_one
from tests.helpers import console_login
from unlockdesk.staff.models import Agent
from unlockdesk.tickets.models import Macro, Queue, SavedView, Status, Ticket
from unlockdesk.tickets.services import move_to_queue
from unlockdesk.tickets.services.macros import save_macro

pytestmark = pytest.mark.django_db


def _ticket(sender: str = "web@example.com", text: str = "我的账户被锁了") -> Ticket:
    return Ticket.objects.get(pk=receive_one(text=text, sender=sender).ticket_id)


def test_picker_lists_macros_filled_for_the_ticket(client: Client, agent: Agent) -> None:
    ticket = _ticket()
    save_macro(by=agent, name="问候", body_zh="您好，工单 {{工单号}} 由 {{工号}} 为您处理。", body_en="Hi")
    console_login(client, agent)
    data = client.get(f"/console/tickets/{ticket.number}/macros/").json()
    assert data["macros"][0]["text"] == f"您好，工单 {ticket.number} 由 {agent.agent_number} 为您处理。"
    page = client.get(f"/console/tickets/{ticket.number}/").content.decode()
    assert 'class="macro-picker"' in page and "问候" in page


def test_plain_form_prefills_the_reply_box(client: Client, agent: Agent) -> None:
    ticket = _ticket()
    macro = save_macro(by=agent, name="m", body_zh="工单 {{ticket_number}} 已收到。", body_en="Hi")
    console_login(client, agent)
    page = client.get(f"/console/tickets/{ticket.number}/", {"macro": macro.pk}).content.decode()
    assert f"工单 {ticket.number} 已收到。</textarea>" in page


def test_picker_of_a_foreign_ticket_is_404(client: Client) -> None:
    agent = make_agent()
    Queue.objects.create(slug="mine", name="Mine").agents.add(agent)
    ticket = move_to_queue(_ticket(), Queue.objects.create(slug="other", name="Other"), by=None)
    console_login(client, agent)
    assert client.get(f"/console/tickets/{ticket.number}/macros/").status_code == 404


def test_agent_keeps_a_macro_and_a_guarded_one_is_refused(client: Client, agent: Agent) -> None:
    console_login(client, agent)
    client.post("/console/macros/", {"name": "ok", "body_zh": "您好", "body_en": "Hello"})
    response = client.post("/console/macros/", {"name": "bad", "body_zh": "请提供验证码",
                                                 "body_en": "Send your 2FA code", "shared": "on"})
    assert response.status_code == 200
    assert list(Macro.objects.values_list("name", "owner_id")) == [("ok", agent.pk)]
    assert "macro-form" in response.content.decode()


def test_bulk_needs_a_confirmation_then_changes_each_ticket(client: Client, agent: Agent) -> None:
    tickets = [_ticket(f"b{i}@example.com") for i in range(3)]
    console_login(client, agent)
    form = {"action": f"status:{Status.WAITING_CUSTOMER}", "scope": "picked", "query": "",
            "ticket": [str(t.pk) for t in tickets[:2]]}
    confirm = client.post("/console/bulk/", form)
    assert confirm.status_code == 200 and "bulk-confirm" in confirm.content.decode()
    assert not Ticket.objects.filter(status=Status.WAITING_CUSTOMER).exists()  # nothing yet
    done = client.post("/console/bulk/run/", form)
    assert done.status_code == 302
    assert Ticket.objects.filter(status=Status.WAITING_CUSTOMER).count() == 2


def test_bulk_on_all_matching_a_filter(client: Client, agent: Agent) -> None:
    for i in range(3):
        _ticket(f"f{i}@example.com")
    console_login(client, agent)
    form = {"action": "tag:", "tag": "incident-9", "scope": "all", "query": "status=new"}
    assert "3" in client.post("/console/bulk/", form).content.decode()
    client.post("/console/bulk/run/", form)
    assert Ticket.objects.filter(tags__name="incident-9").count() == 3


def test_bulk_outside_the_agents_queues_is_refused(client: Client) -> None:
    agent = make_agent()
    Queue.objects.create(slug="mine", name="Mine").agents.add(agent)
    foreign = move_to_queue(_ticket(), Queue.objects.create(slug="other", name="Other"), by=None)
    console_login(client, agent)
    form = {"action": "priority:1", "scope": "picked", "query": "", "ticket": [str(foreign.pk)]}
    client.post("/console/bulk/run/", form)
    foreign.refresh_from_db()
    assert foreign.priority != 1


def test_save_a_view_and_see_it_with_its_count(client: Client, agent: Agent) -> None:
    _ticket()
    console_login(client, agent)
    client.post("/console/views/", {"name": "新工单", "query": "status=new&after=xyz"})
    assert SavedView.objects.get().query == "status=new"
    inbox = client.get("/console/").content.decode()
    assert "新工单" in inbox and 'id="saved-views"' in inbox


def test_merge_and_split_from_the_ticket_page(client: Client, agent: Agent) -> None:
    keep, other = _ticket(), _ticket(text="提现没有到账")
    console_login(client, agent)
    client.post(f"/console/tickets/{keep.number}/merge/", {"other": other.number})
    other.refresh_from_db()
    assert other.merged_into_id == keep.pk
    page = client.get(f"/console/tickets/{other.number}/").content.decode()
    assert 'id="merged-into"' in page and keep.number in page
    seq = keep.messages.filter(body_text__contains="提现").values_list("seq", flat=True).get()
    response = client.post(f"/console/tickets/{keep.number}/split/", {"seq": seq})
    new = Ticket.objects.exclude(pk__in=[keep.pk, other.pk]).get()
    assert response["Location"] == f"/console/tickets/{new.number}/"


def test_tool_posts_need_csrf(agent: Agent) -> None:
    client = Client(enforce_csrf_checks=True)
    console_login_with_csrf = client.get("/console/login/")
    assert console_login_with_csrf.status_code == 200
    ticket = _ticket()
    client.force_login(agent)
    assert client.post(f"/console/tickets/{ticket.number}/merge/", {"other": "x"}).status_code == 403
    assert client.post("/console/bulk/run/", {}).status_code == 403


def test_chat_console_has_the_picker_bound_to_the_open_chat(client: Client, agent: Agent) -> None:
    console_login(client, agent)
    page = client.get("/chat/console/").content.decode()
    assert 'data-ticket-from="#chat-ticket"' in page and 'data-target="#chat-text"' in page
    assert "macro_picker.js" in page
