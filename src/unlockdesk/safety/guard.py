"""The outbound guard: what an agent reply or a macro must never ask the customer for.

Support never asks for a password, a code, a key or a seed phrase, never asks to install a
remote-desktop tool and never asks to move funds to a "safe" wallet: those are the scammer's
script. Text is judged sentence by sentence, in Chinese and English; a sentence that *warns*
("never share your password", "切勿安装向日葵") is allowed.

`check(text)` is pure: it returns the first violation (a code and a reason for the agent) or
None. Who may override and how it is audited is the caller's business (tickets.reply()).
"""

import re
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from unlockdesk.safety.detect.script import to_simplified

_SENTENCE = re.compile(r"[^.!?。！？;；\n]+[.!?。！？;；]*")
_CLAUSE = re.compile(r"[^,，、:：]+")

_ASKED_FOR_EN = (
    r"(?:password|passcode|pin\b|credentials|login\s+details|(?:backup|recovery)\s+codes?|"
    r"(?:\w+\s+)?digits\s+(?:we|you)\s+(?:just\s+)?(?:sent|texted|emailed)|"
    r"(?:sms|text|email|verification|security|2fa|mfa|otp|one[- ]time|"
    r"google(?:\s+authenticator)?|authenticator|login|confirmation)\s*(?:code|pin)|codes?\s+(?:we|you)"
    r"|codes?\s+(?:from|on)\s+(?:your|the)\s+(?:\w+\s+)?(?:app|phone|sms|text|e-?mail|authenticator)"
    r"|api[\s_-]*key|secret[\s_-]*key|api\s+secret|passphrase|private\s+key|seed(?:\s+phrase)?|"
    r"recovery\s+(?:phrase|words)|mnemonic|(?:12|24)[- ]word)"
)
_ASK_EN = (
    r"(?:send|give|tell|provide|share|enter|type|read|forward|confirm|submit|reply\s+with|"
    r"need|require|let\s+(?:me|us)\s+know|what(?:'s|\s+is|\s+was)|paste|input|show)"
)
_ASKED_FOR_ZH = (
    r"(?:密码|验证码|收到的(?:[四六八]位)?数字|[四六八]位数字|短信里的数字|短信码|动态码|校验码|谷歌验证|安全码|私钥|助记词|种子|API\s*Key|APIKey|"
    r"密钥|秘钥|口令|Passphrase|Secret\s*Key)"
)
_ASK_ZH = (
    r"(?:提供|发送|发给|发我|发一下|发过来|告诉|给我|给一下|报一下|说一下|念一下|输入|填写|提交|"
    r"告知|截图|截个图|复制|回复)"
)
_NEGATION = re.compile(
    r"\b(?:never|not|don'?t|do\s+not|won'?t|will\s+not|no\s+one|nobody|no\s+staff|"
    r"must\s+not|should\s+not|shouldn'?t|cannot|can'?t|avoid|beware)\b"
    r"|不要|切勿|请勿|勿|绝不|绝对不|不会|永远不|从不|从来不|别|禁止|不得|不能|谨防|小心|警惕|不可",
    re.IGNORECASE,
)
_REMOTE = re.compile(
    r"anydesk|teamviewer|team\s+viewer|rustdesk|todesk|ultraviewer|quick\s*support|"
    r"chrome\s+remote\s+desktop|remote\s+(?:desktop|access|control|assistance|support\s+app)|"
    r"screen\s*shar(?:e|ing)|share\s+your\s+screen|向日葵|远程控制|远程协助|远程桌面|远程操作|"
    r"屏幕共享|共享屏幕|共享桌面",
    re.IGNORECASE,
)
_SAFE_WALLET = re.compile(
    r"(?:transfer|move|send|withdraw|deposit)\w*\s+(?:all\s+)?(?:your\s+)?(?:funds|assets|coins|"
    r"crypto|balance|money|usdt|btc|eth|tokens)?\s*(?:\w+\s+){0,3}?to\s+(?:a|an|the|this|our|my|"
    r"following)?\s*(?:safe|secure|safety|protected|protection|new|temporary|verified|insured)\s+"
    r"(?:wallet|address|account|vault)"
    r"|(?:safe|secure|safety|protected)\s+(?:wallet|vault)"
    r"|(?:转|转移|转入|转到|转至|提到|提币到|提现到|充到|存到|划转到)[^，。,.!！?？]{0,12}?"
    r"(?:安全钱包|安全[账帐]户|安全[账帐]号|安全地址|保护[账帐]户|保险[账帐]户|新钱包|以下地址|这个地址|指定地址|监管[账帐]户)"
    r"|(?:transfer|move|send|deposit|pay)\w*\b[^.?!]{0,40}?\b(?:funds|assets|coins|crypto|balance|"
    r"money|usdt|usdc|btc|eth|tokens)\b[^.?!]{0,30}?\bto\s+(?:our|the\s+following|this|the|a|an)\s+"
    r"(?:\w+\s+){0,2}?(?:wallet|address|account|vault)"
    r"|(?:转|转移|转入|转到|转至|充到|存到|打到|打款到|汇到)[^，。,.!！?？]{0,12}?"
    r"(?:我们提供的|我们的|平台(?:指定|提供)的?|指定的?|验证|保证金|审核)(?:钱包|[账帐]户|[账帐]号|地址)"
    r"|安全钱包|安全[账帐]户|监管[账帐]户",
    re.IGNORECASE,
)
# Entering a code in the official app or site is what we do ask for: that is not a hand-over.
_IN_APP = re.compile(
    r"\bin\s+(?:the|our|your)\s+(?:\w+\s+)?(?:app|website|site|page)\b|\bon\s+(?:the|our)\s+"
    r"(?:\w+\s+)?(?:app|website|site|page)\b"
    r"|在\s*(?:App|APP|app|应用|官方网站|官网|网页|页面|客户端)\s*(?:内|中|里|上)?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Violation:
    code: str
    reason: str | Promise
    sentence: str


REASONS: dict[str, Promise] = {
    "asks_secret": _(
        "it asks the customer for a password, a code, a key or a seed phrase. Support never asks "
        "for these."
    ),
    "remote_access": _(
        "it asks the customer to install or allow remote-desktop access (AnyDesk, TeamViewer, "
        "向日葵 …). Support never does this."
    ),
    "safe_wallet": _(
        "it asks the customer to move funds to a \"safe\" wallet or account. This is a scam "
        "pattern; support never asks for it."
    ),
}


# "我们已向您的手机发送验证码": support sending a code is not support asking for it.
_WE_SENT = re.compile(
    r"(?:我们|系统|平台|官方)[^，,。！？!?]{0,12}?(?:发送|发出|发)(?:了|过)?(?:一[个条次])?(?:新的)?"
    r"(?:[四六八]位)?(?:短信|邮件|邮箱)?(?:验证码|动态码|校验码)"
)


def _asks_secret(sentence: str) -> bool:
    en = re.search(rf"\b{_ASK_EN}\b[^.?!]{{0,60}}?\b{_ASKED_FOR_EN}", sentence, re.IGNORECASE)
    rest = _WE_SENT.sub("", sentence)
    zh = re.search(rf"{_ASK_ZH}[^。！？]{{0,20}}?{_ASKED_FOR_ZH}", rest, re.IGNORECASE) or (
        rest != sentence and _BACK_TO_ME_ZH.search(rest.strip()))
    asked = re.search(rf"{_ASKED_FOR_ZH}\s*(?:是多少|是什么|多少|发来|发过来|发我|发给我|给我|告诉我|报给我|"
                      rf"报一下|说一下|念一下)", sentence, re.IGNORECASE)
    handed = re.search(rf"[把将][^。！？]{{0,15}}?{_ASKED_FOR_ZH}[^。！？]{{0,10}}?(?:发|给|告诉|报|提供|说)",
                       sentence, re.IGNORECASE)
    if _IN_APP.search(sentence) and not handed:
        return False
    return bool(en or zh or asked or handed)


# "…验证码，发给我" / "…a code, please send it to me": the ask names the secret one clause back.
_BACK_TO_ME_ZH = re.compile(
    r"(?:^|[，,])\s*(?:请|麻烦|麻烦您|您)?(?:把它|将它)?(?:直接)?(?:发给|发|告诉|报给|念给|给)我"
    r"(?:们)?(?:一下|就行|就可以|即可|吧)?\s*[。.!！]?\s*$"
)
_BACK_TO_ME_EN = re.compile(
    r"\b(?:send|give|tell|read|forward|share|text|email)\b[^.?!]{0,20}?\b(?:it|that|this|them|the\s+"
    r"(?:number|digits))\b[^.?!]{0,12}?\b(?:to\s+(?:me|us)|over|back)\b|\b(?:tell|read)\s+(?:me|us)\s+"
    r"(?:it|that|this|them|what\s+it\s+says)\b",
    re.IGNORECASE,
)


def _clauses(text: str) -> list[tuple[str, bool]]:
    """Clauses without a warning word ("Don't worry, send me the code" still asks), each with
    whether an earlier clause of its sentence named a secret (warning clauses included)."""
    found = []
    for sentence in _SENTENCE.finditer(text):
        named = False
        for clause in _CLAUSE.finditer(sentence.group()):
            value = clause.group().strip()
            if value and not _NEGATION.search(value):
                found.append((value, named))
            named = named or bool(re.search(rf"{_ASKED_FOR_ZH}|\b{_ASKED_FOR_EN}", value, re.IGNORECASE))
    return found


def check(text: str) -> Violation | None:
    """The first clause that asks for something support never asks for, or None.

    Traditional Chinese is read as Simplified (請提供您的密碼); the clause is quoted as read.
    """
    for clause, secret_named_before in _clauses(to_simplified(text)):
        sentence = clause
        follow_up = secret_named_before and (
            _BACK_TO_ME_ZH.search(sentence) or _BACK_TO_ME_EN.search(sentence))
        if _asks_secret(sentence) or (follow_up and not _IN_APP.search(sentence)):
            return Violation("asks_secret", REASONS["asks_secret"], sentence)
        if _REMOTE.search(sentence):
            return Violation("remote_access", REASONS["remote_access"], sentence)
        if _SAFE_WALLET.search(sentence):
            return Violation("safe_wallet", REASONS["safe_wallet"], sentence)
    return None
