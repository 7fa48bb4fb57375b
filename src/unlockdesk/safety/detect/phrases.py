"""Secrets the customer *gives as such*: "my password is …", "验证码：…", "API key: …".

Each rule needs the label and a connector (is, :, 是, 为 …) or, in Chinese, the value glued to
the label; then a value of the right shape. What is only *mentioned* ("I forgot my password",
"验证码收不到", "the password is wrong") survives: the value must not be an ordinary word,
and a code must not be a date, an amount or a phone number.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from unlockdesk.safety.types import Finding

# A value: no spaces, no CJK characters or CJK punctuation, no quotes.
_VALUE = r"[^\s\u3000-\u303f\uff00-\uffef\u4e00-\u9fff\"'“”‘’<>\[\]]"
# A label may be quoted, as a JSON or config key is: "passphrase": "…".
_CONNECT_EN = r"[\"'”’]?\s*(?:(?:is|was|are)\s*[:：=]?|[:：=]|[-=]>|-)\s*[\"'“‘]?"
_CONNECT_ZH = r"[\"'”’]?\s*(?:(?:是|为)\s*[:：=]?|[:：=])\s*[\"'“‘]?"

NOT_A_PASSWORD = frozenset({
    "wrong", "incorrect", "correct", "right", "not", "too", "invalid", "expired", "changed", "change",
    "reset", "same", "still", "being", "been", "required", "needed", "forgotten", "forgot", "lost",
    "weak", "strong", "ok", "okay", "fine", "locked", "blocked", "working", "the", "a", "an", "my",
    "your", "our", "their", "that", "this", "it", "what", "and", "or", "but", "no", "never", "empty",
    "blank", "long", "short", "case-sensitive", "different", "new", "old", "unknown", "same.", "wrong.",
    "correct.", "incorrect.", "right.", "changed.", "definitely", "probably", "already", "also", "just",
    "only", "please", "now",
})
NOT_CODE_WORDS = frozenset({
    "error", "status", "zip", "postal", "country", "area", "invite", "invitation", "referral", "promo",
    "promotion", "coupon", "product", "bank", "swift", "branch", "reference", "ref", "order",
    "tracking", "response", "http", "exit", "return",
    "phishing",  # our own "Your anti-phishing code: 884213", quoted back in a reply
})
# After a code: a date, an amount, a count, a time or a phone/number continues: not a code.
_NOT_CODE_AFTER = re.compile(
    r"^(?:[年月日号次位个元秒/.:,-]\d|[年月日号次位个元秒]|\s*(?:USDT|USD|BTC|ETH|RMB|CNY|元|美元|块|"
    r"次|位|分钟|minutes?|times?|digits?|days?|years?))",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Rule:
    kind: str
    pattern: re.Pattern[str]
    accept: Callable[[re.Match[str], str], bool] = lambda match, text: True
    # Words one of which every match contains, as the pattern's own flags match them: a text
    # with none of any rule's is skipped in one search (most texts: 9 in 10 of a mail corpus).
    labels: tuple[str, ...] = field(kw_only=True)


def _password_value(match: re.Match[str], text: str) -> bool:
    value = match.group("secret")
    bare = value.lower().rstrip(".,;!?)")
    if bare in NOT_A_PASSWORD or set(value) <= set("*•·xX") or bare.startswith("[redacted"):
        return False
    return len(bare) >= 4


def _glued_password(match: re.Match[str], text: str) -> bool:
    """"密码abc123" / "登录密码 abc123": without a connector the value must hold a digit."""
    return any(ch.isdigit() for ch in match.group("secret")) and _password_value(match, text)


def _code_value(match: re.Match[str], text: str) -> bool:
    after = text[match.end("secret") : match.end("secret") + 8]
    if _NOT_CODE_AFTER.match(after):
        return False
    before = text[max(0, match.start("secret") - 3) : match.start("secret")]
    return not re.search(r"[+＋]\s*$", before)


def _generic_code(match: re.Match[str], text: str) -> bool:
    word = (match.group("pre") or "").lower()
    return word not in NOT_CODE_WORDS and _code_value(match, text)


# Four to eight digits, also as read out or copied from an app: "884 201", "77 88 99",
# "6 6 1 2 3 4".
_CODE_VALUE = (
    r"(?P<secret>(?<![\d.,])(?:\d{3}[ -]\d{3}(?![ -]?\d)(?![.,]\d)|\d\d(?: \d\d){2}(?! ?\d)|"
    r"\d(?: \d){5}(?! ?\d)|\d{4,8})(?![\d]))"
)

RULES: tuple[Rule, ...] = (
    Rule(
        "password",
        re.compile(
            r"\b(?:pass\s?word|passwd|passcode|pwd|pw|pin)s?"
            r"(?:\s+(?:for|of|to)\s+(?:(?:my|the|your)\s+)?[A-Za-z]{1,20}(?:\s+[A-Za-z]{1,20})?(?=\s*[:：=]))?"
            r"(?:\s+(?:I|we)\s+(?:use|used|set|chose|picked|created|entered|typed|tried))?"
            + _CONNECT_EN + rf"(?P<secret>{_VALUE}{{4,64}})",
            re.IGNORECASE,
        ),
        _password_value,
        labels=("pass", "pw", "pin"),
    ),
    Rule(
        "password",
        re.compile(rf"\b(?:pass\s*[:：=]|my\s+pass\s+(?:is|was))\s*(?P<secret>{_VALUE}{{4,64}})",
                   re.IGNORECASE),
        _password_value,
        labels=("pass",),
    ),
    Rule(
        "password",
        re.compile(r"密码" + _CONNECT_ZH + rf"(?P<secret>{_VALUE}{{4,64}})"),
        _password_value,
        labels=("密码",),
    ),
    Rule("password", re.compile(rf"密码\s?(?P<secret>[A-Za-z0-9]{_VALUE}{{5,63}})"), _glued_password,
         labels=("密码",)),
    Rule(
        "otp_code",
        re.compile(
            r"\b(?:sms|text|e-?mail|mail|phone|2fa|two[- ]factor|mfa|otp|one[- ]time|verification|"
            r"verify|security|confirmation|login|sign[- ]in|auth(?:entication|enticator)?|google|"
            r"withdrawal)\s+(?:auth(?:enticator)?\s+)?(?:code|pin|token|otp)s?"
            r"(?:\s+(?:I\s+(?:got|received|have)|you\s+sent(?:\s+me)?|I\s+was\s+sent))?"
            r"(?:" + _CONNECT_EN + r"|\s+)" + _CODE_VALUE,
            re.IGNORECASE,
        ),
        _code_value,
        labels=("code", "pin", "token", "otp"),
    ),
    Rule(
        "otp_code",
        re.compile(
            r"\bcodes?\s+(?:from|in)\s+(?:the\s+|my\s+|your\s+)?(?:sms|text(?:\s+message)?|e-?mail|"
            r"app|authenticator|message)" + r"(?:" + _CONNECT_EN + r"|\s+)" + _CODE_VALUE,
            re.IGNORECASE,
        ),
        _code_value,
        labels=("code",),
    ),
    Rule(
        "otp_code",
        re.compile(
            r"\b(?:google\s+authenticator|authenticator|2fa|mfa|otp)(?:" + _CONNECT_EN + r"|\s+)"
            + _CODE_VALUE,
            re.IGNORECASE,
        ),
        _code_value,
        labels=("authenticator", "2fa", "mfa", "otp"),
    ),
    Rule(
        "otp_code",
        re.compile(
            r"(?:\b(?P<pre>[A-Za-z]{1,20})\s+)?\bcodes?"
            r"(?:\s+(?:you|they|it)\s+(?:just\s+)?sent(?:\s+me)?|\s+I\s+(?:just\s+)?(?:got|received))?"
            r"(?:" + _CONNECT_EN + r"|\s+)" + _CODE_VALUE,
            re.IGNORECASE,
        ),
        _generic_code,
        labels=("code",),
    ),
    Rule(
        "otp_code",
        re.compile(
            r"(?:验证码|校验码|动态码|动态口令|安全码|确认码|谷歌码|谷歌验证器?|google\s*验证器?|"
            r"身份验证器|短信码)(?:是|为|:|：|=|\s)*(?:我?收到的是|收到的)?\s*"
            + _CODE_VALUE,
            re.IGNORECASE,
        ),
        _code_value,
        labels=("码", "口令", "验证"),
    ),
    Rule(
        "otp_code",
        re.compile(
            r"\b(?:backup|recovery|2fa|mfa)\s+codes?" + _CONNECT_EN
            + r"(?P<secret>[A-Za-z0-9]{4,5}(?:-[A-Za-z0-9]{4,5}){1,3})(?![A-Za-z0-9-])",
            re.IGNORECASE,
        ),
        labels=("code",),
    ),
    Rule(
        "api_key",
        re.compile(
            r"(?:\bapi[\s_-]*key|\bapikey|\baccess[\s_-]*key|api\s*密钥|api\s*金钥|API\s*Key)"
            r"(?:" + _CONNECT_EN + r"|" + _CONNECT_ZH + r"|\s+)"
            r"(?P<secret>[A-Za-z0-9][A-Za-z0-9-]{15,63})(?![A-Za-z0-9-])",
            re.IGNORECASE,
        ),
        labels=("api", "key"),
    ),
    Rule(
        "api_secret",
        re.compile(
            r"(?:\bsecret[\s_-]*key|\bsecretkey|\bapi[\s_-]*secret|\bsecret|密钥|秘钥)"
            r"(?:" + _CONNECT_EN + r"|" + _CONNECT_ZH + r"|\s+)"
            r"(?P<secret>[A-Za-z0-9+/=_-]{16,128})(?![A-Za-z0-9+/=_-])",
            re.IGNORECASE,
        ),
        labels=("secret", "密钥", "秘钥"),
    ),
    Rule(
        "api_passphrase",
        re.compile(
            r"(?:\b(?:api[\s_-]*)?pass[\s_-]?phrase|口令|密码短语)"
            r"(?:" + _CONNECT_EN + r"|" + _CONNECT_ZH + rf")(?P<secret>{_VALUE}{{4,64}})",
            re.IGNORECASE,
        ),
        _password_value,
        labels=("pass", "口令", "密码"),
    ),
)


_ANY_LABEL = re.compile("|".join(re.escape(label) for rule in RULES for label in rule.labels),
                        re.IGNORECASE)


def find_given_secrets(text: str) -> list[Finding]:
    findings: list[Finding] = []
    if not _ANY_LABEL.search(text):
        return findings
    for rule in RULES:
        for match in rule.pattern.finditer(text):
            if rule.accept(match, text):
                findings.append(Finding(rule.kind, match.start("secret"), match.end("secret")))
    return findings
