"""Macros: who keeps which, the guard and placeholder rule on save, placeholders filled per ticket."""

import pytest
from django.core.exceptions import ValidationError

from tests.factories import make_account, make_agent, receive_one
from unlockdesk.accounts.types import LockReason
from unlockdesk.safety.models import AuditEntry
from unlockdesk.staff.models import Agent, Role
from unlockdesk.tickets import macros
from unlockdesk.tickets.exceptions import TicketAccessDenied
from unlockdesk.tickets.models import Macro, Ticket
from unlockdesk.tickets.services.macros import MacroRefused, delete_macro, save_macro

pytestmark = pytest.mark.django_db

BODY_ZH = "{{客户姓名}}您好，工单 {{ticket_number}} 由 {{工号}} 处理。锁定原因：{{lock_reason}}。"
BODY_EN = "Hello {{customer_name}}, ticket {{ticket_number}} is with {{agent_number}}. Lock: {{lock_reason}}."


def _ticket(language_text: str = "我的账户被锁了", sender: str = "m@example.com") -> Ticket:
    return Ticket.objects.get(pk=receive_one(text=language_text, sender=sender).ticket_id)


def test_placeholders_are_filled_in_the_tickets_language(agent: Agent) -> None:
    account = make_account(email="m@example.com", lock=LockReason.RISK_CONTROL)
    ticket = _ticket()
    ticket.account = account
    macro = save_macro(by=agent, name="确认", body_zh=BODY_ZH, body_en=BODY_EN)
    ticket.contact.display_name = "李雷"
    ticket.contact.save()
    text = macros.fill_macro(macro, ticket=ticket, agent=agent)
    assert text.startswith("李雷您好，工单 " + ticket.number)
    assert agent.agent_number in text and "{{" not in text
    assert "风控" in text and "risk_control" not in text
    ticket.language = "en"
    assert macros.fill_macro(macro, ticket=ticket, agent=agent).startswith("Hello 李雷, ticket")


def test_lock_reason_is_in_words_and_traditional_for_zh_hant(agent: Agent) -> None:
    account = make_account(email="hant@example.com", lock=LockReason.RISK_CONTROL)
    ticket = _ticket(sender="hant@example.com")
    ticket.account, ticket.language = account, "zh-hant"
    macro = save_macro(by=agent, name="锁定说明", body_zh="您的账户因{{锁定原因}}被锁定，请准备身份证。",
                       body_en="Locked: {{lock_reason}}")
    text = macros.fill_macro(macro, ticket=ticket, agent=agent)
    assert "risk_control" not in text
    assert "帳戶" in text and "身份證" in text  # converted to Traditional


def test_a_macro_asking_for_a_code_is_refused_and_nothing_is_saved(agent: Agent) -> None:
    with pytest.raises(ValidationError):
        save_macro(by=agent, name="bad", body_zh="请把短信验证码发给我", body_en="Send us your SMS code")
    assert not Macro.objects.filter(name="bad").exists()


def test_an_unknown_placeholder_is_refused(agent: Agent) -> None:
    with pytest.raises(ValidationError) as caught:
        save_macro(by=agent, name="typo", body_zh="{{custmer_name}}您好", body_en="Hi")
    assert "custmer_name" in str(caught.value)


def test_agents_keep_their_own_and_supervisors_the_shared(agent: Agent, supervisor: Agent) -> None:
    other = make_agent()
    mine = save_macro(by=agent, name="mine", body_zh="您好", body_en="Hi")
    theirs = save_macro(by=other, name="theirs", body_zh="您好", body_en="Hi")
    shared = save_macro(by=supervisor, name="shared", body_zh="您好", body_en="Hi", shared=True)
    assert {m.name for m in macros.macros_for(agent)} == {"mine", "shared"}
    with pytest.raises(TicketAccessDenied):
        save_macro(by=agent, name="x", body_zh="您好", body_en="Hi", shared=True)
    with pytest.raises(TicketAccessDenied):
        save_macro(by=agent, name="edited", body_zh="您好", body_en="Hi", macro=shared)
    with pytest.raises(TicketAccessDenied):
        delete_macro(by=agent, macro_id=theirs.pk)
    delete_macro(by=agent, macro_id=mine.pk)
    assert set(Macro.objects.values_list("name", flat=True)) == {"theirs", "shared"}
    assert AuditEntry.objects.filter(action="macro.delete", target=f"macro:{mine.pk}").exists()


def test_names_are_unique_per_owner_not_across_agents(agent: Agent) -> None:
    save_macro(by=agent, name="greeting", body_zh="您好", body_en="Hi")
    save_macro(by=make_agent(), name="greeting", body_zh="您好", body_en="Hi")
    with pytest.raises(MacroRefused):
        save_macro(by=agent, name="greeting", body_zh="再见", body_en="Bye")


def test_inactive_macros_are_not_offered(agent: Agent) -> None:
    macro = save_macro(by=agent, name="old", body_zh="您好", body_en="Hi")
    save_macro(by=agent, name="old", body_zh="您好", body_en="Hi", active=False, macro=macro)
    assert not macros.macros_for(agent).exists()
    assert macros.macros_for(agent, include_inactive=True).count() == 1


def test_admin_created_macros_still_pass_the_guard() -> None:
    with pytest.raises(ValidationError):
        Macro.objects.create(name="admin", body_zh="请告诉我密码", body_en="Tell me your password")
    assert make_agent(role=Role.SUPERVISOR)  # the guard, not the role, refused it
