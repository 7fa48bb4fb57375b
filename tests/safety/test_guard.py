"""The outbound guard in both languages, the supervisor override, and macros."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from tests.factories import make_agent, receive_one
from unlockdesk.safety.guard import check
from unlockdesk.safety.models import AuditEntry
from unlockdesk.staff.models import Role
from unlockdesk.tickets.exceptions import ReplyBlocked
from unlockdesk.tickets.models import Macro, Message, Ticket
from unlockdesk.tickets.services import reply

BLOCKED = [
    ("asks_secret", "Please send me your password so I can check."),
    ("asks_secret", "Please tell me the verification code you received."),
    ("asks_secret", "Could you provide your API key and secret key?"),
    ("asks_secret", "What is your seed phrase?"),
    ("asks_secret", "Don't worry, just send me the code we sent you."),
    ("asks_secret", "请提供您的登录密码"),
    ("asks_secret", "请把短信验证码发给我"),
    ("asks_secret", "您的验证码是多少？"),
    ("asks_secret", "请输入您的助记词以恢复账户"),
    ("asks_secret", "请把您的私钥发一下"),
    ("remote_access", "Please install AnyDesk so I can help you."),
    ("remote_access", "Let me connect with TeamViewer to fix it."),
    ("remote_access", "请下载向日葵，我远程帮您操作"),
    ("remote_access", "请安装ToDesk并告诉我设备码"),
    ("safe_wallet", "Transfer your funds to a safe wallet immediately."),
    ("safe_wallet", "Please move all your USDT to this secure wallet address."),
    ("safe_wallet", "请将资产转移到安全钱包"),
    ("safe_wallet", "为了保护资金，请转入以下地址"),
    # Written after the guard, as a held-out check of its phrasing coverage.
    ("asks_secret", "Can you read me the six digits we just texted you?"),
    ("asks_secret", "Kindly reply with your login credentials so we can verify."),
    ("asks_secret", "To speed things up, please share your 2FA backup codes."),
    ("asks_secret", "I need the 12 words of your wallet to restore it."),
    ("asks_secret", "Enter your password in the app, then send me the SMS code."),
    ("asks_secret", "麻烦您把收到的六位数字告诉我。"),
    ("asks_secret", "请把谷歌验证器上的数字报给我。"),
    ("asks_secret", "请将您的助记词抄写下来拍照发给我们。"),
    ("asks_secret", "需要您提供账户登录密码和资金密码。"),
    ("remote_access", "Please download the AnyDesk app and give me the 9-digit ID."),
    ("remote_access", "请下载 AnyDesk，把设备码发给我。"),
    ("safe_wallet", "Send your USDT to the compliance wallet below to unlock."),
    ("safe_wallet", "For verification, please transfer 500 USDT to our verification address."),
    ("safe_wallet", "We will move your assets into a protected vault until the case is closed."),
    ("safe_wallet", "请先把资金转到我们提供的地址，解冻后再转回。"),
    # Third held-out round (2026-11-25): these two got through before.
    ("asks_secret", "I need the code from your authenticator app."),
    ("asks_secret", "验证码发我一下"),
    ("asks_secret", "我们已经给您发了验证码，请发给我"),
    ("asks_secret", "系统刚发送了短信验证码请告诉我"),
    ("asks_secret", "We just texted you a verification code, please send it to me."),
    ("asks_secret", "不要把验证码告诉别人，告诉我就行"),
    ("asks_secret", "验证码收到了吗，发我一下"),
    # Traditional Chinese.
    ("asks_secret", "請把簡訊驗證碼發給我"),
    ("asks_secret", "您的助記詞是多少？"),
    ("safe_wallet", "請將資產轉入安全帳戶"),
]
ALLOWED = [
    "We will never ask for your password or SMS code.",
    "Do not install AnyDesk or TeamViewer for anyone.",
    "Please upload a photo of your ID card and your recent deposit TXID.",
    "Please change your password now and enable 2FA.",
    "Please confirm your withdrawal address in the app.",
    "我们绝不会索要您的密码或验证码。",
    "切勿安装向日葵等远程软件",
    "请提供身份证正反面照片和最近的交易记录。",
    "为了解锁账户，请准备：身份证正反面照片、手持身份证照片。",
    "请勿将资产转到任何所谓的安全钱包。",
    "Please enter the verification code in the app to finish.",
    "We have sent a verification code to your registered email; enter it in the app, not here.",
    "Please send the screenshot to our email address.",
    "Please send 2 photos to the support address.",
    "Please withdraw your funds to your own wallet if you want.",
    "请在 App 内输入验证码完成验证，不要发给任何人。",
    "请提供您最近一笔充值的交易哈希。",
    "请修改密码并开启谷歌验证。",
    "您的账户已冻结，解冻需要提供身份证照片。",
    "The code from your authenticator app goes in the app, never to anyone.",
    "验证码已发送到您的手机，请在App内输入。",
    "我们已向您的手机发送验证码，请在页面中输入。",
    "如果忘记密码，请告诉我您的注册邮箱。",
    "請勿向任何人透露驗證碼。",
    "If you forgot your password, tell me your registered email.",
    "If you did not receive the code, tell us and we will send it again.",
]


@pytest.mark.parametrize(("code", "text"), BLOCKED)
def test_reply_asking_for_what_support_never_asks_is_blocked(code: str, text: str) -> None:
    violation = check(text)
    assert violation is not None and violation.code == code


@pytest.mark.parametrize("text", ALLOWED)
def test_ordinary_reply_or_warning_passes(text: str) -> None:
    assert check(text) is None


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "words"), [("en", "password, a code"), ("zh-hans", "验证码")])
def test_blocked_reply_is_not_stored_and_says_why(language: str, words: str) -> None:
    ticket = Ticket.objects.get(pk=receive_one().ticket_id)
    with translation.override(language), pytest.raises(ReplyBlocked) as blocked:
        reply(ticket=ticket, agent=make_agent(), text="请把短信验证码发给我")
    assert words in blocked.value.reason
    assert not Message.objects.filter(ticket=ticket, author__isnull=False).exists()


@pytest.mark.django_db
def test_agent_cannot_override_the_guard() -> None:
    ticket = Ticket.objects.get(pk=receive_one().ticket_id)
    with pytest.raises(ReplyBlocked):
        reply(ticket=ticket, agent=make_agent(), text="Please install AnyDesk.", override_guard=True)


@pytest.mark.django_db
def test_supervisor_override_is_sent_and_audited() -> None:
    ticket = Ticket.objects.get(pk=receive_one().ticket_id)
    supervisor = make_agent(role=Role.SUPERVISOR)
    with translation.override("en"):
        reply(ticket=ticket, agent=supervisor, text="Please install AnyDesk.", override_guard=True)
    entry = AuditEntry.objects.get(action="guard.override")
    assert entry.target == f"ticket:{ticket.number}" and "remote-desktop" in entry.details["reason"]


@pytest.mark.django_db
def test_a_double_submitted_override_is_sent_and_audited_once() -> None:
    ticket = Ticket.objects.get(pk=receive_one().ticket_id)
    supervisor = make_agent(role=Role.SUPERVISOR)
    sent = [reply(ticket=ticket, agent=supervisor, text="Please install AnyDesk.", override_guard=True,
                  client_id="form-1") for _ in range(2)]
    assert sent[0].pk == sent[1].pk
    (entry,) = AuditEntry.objects.filter(action="guard.override")
    assert entry.details["message"] == sent[0].pk


@pytest.mark.django_db
def test_macro_asking_for_a_code_cannot_be_saved() -> None:
    with pytest.raises(ValidationError) as error:
        Macro.objects.create(name="bad", body_zh="请提供您的短信验证码", body_en="Thanks.")
    assert "body_zh" in error.value.message_dict
    assert not Macro.objects.filter(name="bad").exists()


@pytest.mark.django_db
def test_safe_macro_saves() -> None:
    Macro.objects.create(name="ok", body_zh="我们绝不会索要您的密码。", body_en="We never ask for codes.")
    assert Macro.objects.filter(name="ok").exists()
