"""Demo data: a few hundred accounts across every lock reason, tickets on every channel, agents.

Accounts, locks and transactions arrive as the exchange's events through the same import path
as `import-events` (fixed event ids), so the demo exercises it. Idempotent: a re-run's events
are all duplicates, tickets go through the real pipeline with fixed external ids (a second run
finds duplicates), replies carry fixed client ids.
"""

import random
import uuid
from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from stdnum.cn import ric

from unlockdesk.accounts import feed
from unlockdesk.accounts import services as account_services
from unlockdesk.accounts.models import ExchangeAccount
from unlockdesk.accounts.types import LockReason, Restriction, TransactionKind
from unlockdesk.helpcenter.services import load_shipped_content
from unlockdesk.staff.models import Agent, RoutingProfile
from unlockdesk.tickets.models import (
    BreachAction,
    BusinessCalendar,
    Holiday,
    Macro,
    Priority,
    Queue,
    QueueRouting,
    SavedView,
    SlaPolicy,
    Status,
    Ticket,
)
from unlockdesk.tickets.services import change_status, receive, reply
from unlockdesk.tickets.types import Channel, IdentityKind, InboundMessage, SenderIdentity
from unlockdesk.web.demo.people import AGENTS, CUSTOMERS
from unlockdesk.web.demo.texts import CASES

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ["伟", "芳", "娜", "敏", "静", "磊", "洋", "勇", "艳", "杰", "涛", "明", "超", "霞", "平"]
REGIONS = ["110101", "310101", "440305", "330106", "510104", "420102", "320102"]

RESTRICTIONS: dict[LockReason, list[Restriction]] = {
    LockReason.RISK_CONTROL: [Restriction.LOGIN, Restriction.WITHDRAW],
    LockReason.SUSPICIOUS_LOGIN: [Restriction.LOGIN],
    LockReason.WRONG_CODES: [Restriction.LOGIN],
    LockReason.SECURITY_CHANGE_HOLD: [Restriction.WITHDRAW],
    LockReason.SELF_FREEZE: [Restriction.LOGIN, Restriction.TRADE, Restriction.WITHDRAW],
    LockReason.COMPLIANCE_REVIEW: [Restriction.TRADE, Restriction.WITHDRAW, Restriction.DEPOSIT],
    LockReason.STOLEN_REPORT: [Restriction.LOGIN, Restriction.TRADE, Restriction.WITHDRAW],
}

CHANNEL_IDENTITY = {
    Channel.EMAIL: IdentityKind.EMAIL,
    Channel.WEB: IdentityKind.EMAIL,
    Channel.PHONE: IdentityKind.PHONE,
    Channel.CHAT: IdentityKind.CHAT_VISITOR,
    Channel.TELEGRAM: IdentityKind.TELEGRAM,
    Channel.X: IdentityKind.X,
    Channel.FACEBOOK: IdentityKind.FACEBOOK,
}


@dataclass(frozen=True)
class SeedReport:
    accounts: int
    locked: int
    tickets: int
    agents: int


def make_id_number(rng: random.Random) -> str:
    region = rng.choice(REGIONS)
    birth = f"{rng.randint(1960, 2004)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    body = f"{region}{birth}{rng.randint(0, 999):03d}"
    return body + ric.calc_check_digit(body)


# Routing skills of the demo agents (the rest speak all three): with both agents' consoles
# open, Chinese tickets alternate between them and English ones go to 阿美 Mei.
DEMO_LANGUAGES = {"agent": ["zh-hans", "zh-hant"], "agent2": ["zh-hans", "en"]}


def seed_agents() -> list[Agent]:
    agents = []
    for demo in AGENTS:
        agent, created = Agent.objects.get_or_create(
            username=demo.username,
            defaults={"display_name": demo.display_name, "agent_number": demo.agent_number,
                      "role": demo.role, "is_staff": demo.role in ("supervisor", "admin"),
                      "is_superuser": demo.role == "admin"},
        )
        if created:
            agent.set_password(demo.password)
            agent.save()
        RoutingProfile.objects.get_or_create(agent=agent, defaults={
            "languages": DEMO_LANGUAGES.get(demo.username, ["zh-hans", "zh-hant", "en"]),
            "max_open_tickets": 12, "max_chats": 3})
        agents.append(agent)
    return agents


def seed_accounts(count: int, rng: random.Random) -> list[ExchangeAccount]:
    """Demo accounts arrive as the exchange's account events, through the feed's import path."""
    events: list[dict[str, object]] = []
    for uid, email, phone, name, id_number, _reason in CUSTOMERS:
        events.append(_account_event(uid, email=email, phone=phone, kyc_name=name,
                                     id_number=id_number, balance_usd=rng.randint(100, 90000)))
    for n in range(len(CUSTOMERS), count):
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(["", *GIVEN])
        events.append(_account_event(
            str(10000001 + n),
            email=f"user{n}@example.com",
            phone=f"+86139{n:08d}",
            kyc_name=name,
            id_number=make_id_number(rng),
            balance_usd=rng.choice([50, 800, 3000, 12000, 56000, 250000]),
            language=rng.choice(["zh-hans", "zh-hans", "en"]),
        ))
    _import(events)
    by_uid = ExchangeAccount.objects.in_bulk([str(e["uid"]) for e in events], field_name="uid")
    return [by_uid[str(e["uid"])] for e in events]


def _account_event(uid: str, **fields: object) -> dict[str, object]:
    return {"id": f"demo-account-{uid}", "type": "account", "uid": uid, "version": 1, **fields}


def _import(events: list[dict[str, object]]) -> None:
    refused = [r for r in feed.apply_events(events) if r.outcome == feed.Outcome.REFUSED]
    if refused:
        raise ValueError(f"demo events refused: {[r.as_dict() for r in refused[:5]]}")


def seed_locks(accounts: list[ExchangeAccount], rng: random.Random) -> int:
    """Locks arrive as lock events (one per locked account, fixed ids: a re-run changes nothing)."""
    reasons = list(LockReason)
    fixed = {uid: reason for uid, *_rest, reason in CUSTOMERS}
    now = timezone.now()
    events: list[dict[str, object]] = []
    for i, account in enumerate(accounts):
        # Decide before looking at the database, so every run draws the same numbers.
        roll, hours = rng.random(), rng.randint(1, 240)
        reason_value = fixed.get(account.uid, "random")
        if reason_value == "" or (reason_value == "random" and roll > 0.7):
            continue
        reason = reasons[i % len(reasons)] if reason_value == "random" else LockReason(reason_value)
        hold = reason == LockReason.SECURITY_CHANGE_HOLD
        events.append({
            "id": f"demo-lock-{account.uid}", "type": "lock", "uid": account.uid,
            "lock_id": f"demo-{account.uid}", "reason": str(reason),
            "restrictions": [str(r) for r in RESTRICTIONS[reason]],
            "since": (now - timedelta(hours=hours)).isoformat(),
            "auto_lift_at": (now + account_services.SECURITY_HOLD).isoformat() if hold else None,
            "version": 1,
        })
    _import(events)
    return len(events)


def seed_transactions(accounts: list[ExchangeAccount], rng: random.Random) -> None:
    now = timezone.now()
    events: list[dict[str, object]] = []
    for account in accounts:
        for k in range(rng.randint(3, 8)):
            kind = rng.choice(list(TransactionKind))
            events.append({
                "id": f"demo-tx-{account.uid}-{k}", "type": "transaction", "uid": account.uid,
                "tx_id": f"T{account.uid}{k:03d}",
                "tx_hash": f"0x{rng.getrandbits(256):064x}" if kind in ("deposit", "withdrawal")
                else "",
                "occurred_at": (now - timedelta(hours=rng.randint(2, 2000))).isoformat(),
                "kind": str(kind),
                "asset": rng.choice(["USDT", "BTC", "ETH", "OKB"]),
                "amount": str(Decimal(rng.randint(1, 500000)) / Decimal(100)),
                "counterparty": rng.choice(["", "P2P merchant 8831", "external wallet"]),
                "version": 1,
            })
    _import(events)


def _sender(channel: Channel, n: int, account: ExchangeAccount) -> SenderIdentity:
    kind = CHANNEL_IDENTITY[channel]
    value = {
        IdentityKind.EMAIL: account.email,
        IdentityKind.PHONE: account.phone,
        IdentityKind.CHAT_VISITOR: f"visitor-{n:05d}",
        IdentityKind.TELEGRAM: f"tg:{700000 + n}",
        IdentityKind.X: f"@trader_{n}",
        IdentityKind.FACEBOOK: f"fb:{880000 + n}",
    }[kind]
    return SenderIdentity(kind, value, display_name=f"Customer {n}",
                          verified=channel == Channel.WEB)


def seed_tickets(accounts: list[ExchangeAccount], agents: list[Agent], per_channel: int,
                 rng: random.Random) -> int:
    channels = list(CHANNEL_IDENTITY)
    n = 0
    now = timezone.now()
    for channel in channels:
        for _i in range(per_channel):
            account = accounts[n % len(accounts)]
            language, subject, text = CASES[n % len(CASES)]
            receipt = receive(InboundMessage(
                channel=channel,
                external_id=f"demo-{channel}-{n}",
                sender=_sender(channel, n, account),
                subject=subject if channel in (Channel.EMAIL, Channel.WEB) else "",
                text=f"{text}\nUID: {account.uid}",
                language=language,
                received_at=now - timedelta(minutes=rng.randint(5, 4000)),
            ))
            if receipt.status == "created":
                ticket = Ticket.objects.get(pk=receipt.ticket_id)
                opened = now - timedelta(minutes=rng.randint(30, 5000))
                Ticket.objects.filter(pk=ticket.pk).update(
                    created_at=opened, updated_at=opened + timedelta(minutes=rng.randint(1, 25)))
                roll = rng.random()
                if roll < 0.45:
                    agent = rng.choice(agents[:2])
                    reply(ticket=ticket, agent=agent,
                          client_id=str(uuid.UUID(int=n + 1)),
                          text="您好，我们已收到您的请求，正在核实。请不要向任何人透露密码或验证码。"
                          if language == "zh-hans" else
                          "Hello, we have your request and are checking it now. "
                          "Never share your password or codes with anyone.")
                    if roll < 0.12:
                        change_status(ticket, Status.RESOLVED, by=agent)
            n += 1
    return n


def seed_reference_data() -> None:
    for slug, name in [("security", "Security"), ("unlock", "Unlock"), ("general", "General")]:
        queue = Queue.objects.get_or_create(slug=slug, defaults={"name": name})[0]
        QueueRouting.objects.get_or_create(queue=queue, defaults={"auto_assign": True})
    seed_sla_policies()
    Macro.objects.get_or_create(
        name="materials", owner=None,
        defaults={
            "body_zh": "为了解锁账户，请准备：身份证正反面照片、手持身份证和写有指定文字、今天日期、"
                       "工单号的纸条的照片，以及最近的交易记录。",
            "body_en": "To unlock your account, please prepare photos of your ID card (front and "
                       "back), a photo of you holding your ID card and a note with the given "
                       "phrase, today's date and your ticket number, and recent transactions.",
        },
    )
    Macro.objects.get_or_create(
        name="lock-explained", owner=None,
        defaults={
            "body_zh": "{{客户姓名}}您好，我是客服 {{工号}}。您的账户因{{锁定原因}}被限制，工单 {{工单号}} "
                       "会跟进到底。请勿向任何人提供密码或验证码。",
            "body_en": "Hello {{customer_name}}, this is agent {{agent_number}}. Your account is "
                       "restricted because of: {{lock_reason}}. Ticket {{ticket_number}} follows it "
                       "to the end. Never share your password or codes with anyone.",
        },
    )
    # Shared inbox views (issue 12): what a floor looks at first.
    for name, query in (("我的未结 P1", "priority=1&mine=1"), ("1 小时内将超出 SLA", "when=sla_1h"),
                        ("等待第二位审核人员", "status=all&when=second_reviewer")):
        SavedView.objects.get_or_create(name=name, owner=None, defaults={"query": query})


def seed_sla_policies() -> None:
    """Business hours 09:00-21:00 Asia/Shanghai Monday to Friday (with two fixed-date public
    holidays); P1 and the security queue around the clock. Idempotent."""
    desk, _created = BusinessCalendar.objects.get_or_create(
        name="Desk hours (Beijing time)",
        defaults={"time_zone": "Asia/Shanghai", "working_days": "12345",
                  "opens_at": time(9), "closes_at": time(21)})
    for day, name in [(date(2027, 1, 1), "元旦"), (date(2027, 10, 1), "国庆节")]:
        Holiday.objects.get_or_create(calendar=desk, date=day, defaults={"name": name})
    always, _created = BusinessCalendar.objects.get_or_create(
        name="24x7", defaults={"time_zone": "Asia/Shanghai", "around_the_clock": True})
    targets = {Priority.URGENT: (always, 15, 15, 4 * 60, BreachAction.NOTIFY),
               Priority.HIGH: (desk, 60, 60, 12 * 60, BreachAction.RAISE_PRIORITY),
               Priority.NORMAL: (desk, 4 * 60, 2 * 60, 3 * 12 * 60, BreachAction.RAISE_PRIORITY),
               Priority.LOW: (desk, 12 * 60, 8 * 60, 5 * 12 * 60, BreachAction.NOTIFY)}
    security = Queue.objects.get(slug="security")
    for priority, (calendar, first, following, resolve, action) in targets.items():
        SlaPolicy.objects.get_or_create(priority=priority, queue=None, defaults={
            "calendar": calendar, "first_response_minutes": first,
            "next_response_minutes": following, "resolution_minutes": resolve,
            "breach_action": action})
        SlaPolicy.objects.get_or_create(priority=priority, queue=security, defaults={
            "calendar": always, "first_response_minutes": min(first, 30),
            "next_response_minutes": min(following, 30), "resolution_minutes": min(resolve, 8 * 60),
            "breach_action": BreachAction.NOTIFY})


def seed(*, accounts: int = 300, tickets_per_channel: int = 20, seed_value: int = 7) -> SeedReport:
    rng = random.Random(seed_value)
    with transaction.atomic():
        seed_reference_data()
        load_shipped_content()  # help articles in zh-hans and en (idempotent)
        agents = seed_agents()
        account_rows = seed_accounts(accounts, rng)
        locked = seed_locks(account_rows, rng)
        seed_transactions(account_rows, rng)
    tickets = seed_tickets(account_rows, agents, tickets_per_channel, rng)
    return SeedReport(len(account_rows), locked, tickets, len(agents))
