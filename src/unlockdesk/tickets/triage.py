"""Keyword triage: category, priority and queue for a new ticket.

A stolen account or fraud is urgent (P1): minutes decide whether funds leave. Order matters:
the first matching rule wins.
"""

import re
from dataclasses import dataclass

from unlockdesk.chinese import to_simplified
from unlockdesk.tickets.models import Category, Priority

_RULES: list[tuple[Category, Priority, str, re.Pattern[str]]] = [
    (Category.STOLEN_ACCOUNT, Priority.URGENT, "security",
     re.compile(r"被盗|盗号|被黑|资产被转|不是我(本人)?操作|stolen|hacked|unauthori[sz]ed|compromised",
                re.IGNORECASE)),
    (Category.FRAUD, Priority.URGENT, "security",
     re.compile(r"诈骗|骗子|被骗|假客服|钓鱼|scam|fraud|phishing|fake support", re.IGNORECASE)),
    (Category.ACCOUNT_LOCKED, Priority.HIGH, "unlock",
     re.compile(r"被锁|锁定|冻结|解锁|限制登录|无法登录|登不上|locked|frozen|freeze|unlock|restricted"
                r"|can'?t log ?in|cannot log ?in", re.IGNORECASE)),
    (Category.WITHDRAWAL, Priority.NORMAL, "general",
     re.compile(r"提币|提现|withdraw", re.IGNORECASE)),
    (Category.DEPOSIT, Priority.NORMAL, "general",
     re.compile(r"充值|充币|未到账|deposit", re.IGNORECASE)),
    (Category.KYC, Priority.NORMAL, "general",
     re.compile(r"实名|身份认证|KYC|identity verification", re.IGNORECASE)),
    (Category.SECURITY, Priority.NORMAL, "general",
     re.compile(r"2FA|谷歌验证|验证器|安全设置|防钓鱼码|authenticator|anti-phishing", re.IGNORECASE)),
]


@dataclass(frozen=True)
class Triage:
    category: Category
    priority: Priority
    queue_slug: str


def triage(subject: str, text: str) -> Triage:
    """The rules are written once, in Simplified: Traditional text (帳戶被凍結) is converted first."""
    haystack = to_simplified(f"{subject}\n{text}")
    for category, priority, queue, pattern in _RULES:
        if pattern.search(haystack):
            return Triage(category, priority, queue)
    return Triage(Category.OTHER, Priority.NORMAL, "general")
