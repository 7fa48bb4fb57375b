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

from unlockdesk.safety.detect.asks import (
    BACK_TO_ME_EN,
    BACK_TO_ME_ZH,
    IN_APP,
    NAMES_SECRET,
    NEGATION,
    REMOTE,
    SAFE_WALLET,
    asks_secret,
)
from unlockdesk.safety.detect.script import to_simplified

_SENTENCE = re.compile(r"[^.!?。！？;；\n]+[.!?。！？;；]*")
_CLAUSE = re.compile(r"[^,，、:：]+")


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


# A clause with none of these continues the previous one's list ("We do not use AnyDesk,
# TeamViewer or any remote tool"), so it stays under that clause's warning word.
_OWN_VERB = re.compile(
    r"\b(?:send|give|tell|share|install|download|transfer|move|paste|type|read|enter|provide|open|join)\b"
    r"|发|告诉|给我|安装|下载|转|提供|输入|报|念|开",
    re.IGNORECASE,
)


def _clauses(text: str) -> list[tuple[str, bool]]:
    """Clauses without a warning word ("Don't worry, send me the code" still asks), each with
    whether an earlier clause of the draft named a secret (warning clauses included)."""
    found = []
    named = False  # "A code just arrived. Type it here": the name may be a sentence back
    for sentence in _SENTENCE.finditer(text):
        warned = False
        for clause in _CLAUSE.finditer(sentence.group()):
            value = clause.group().strip()
            warned = bool(NEGATION.search(value)) or (warned and not _OWN_VERB.search(value))
            if value and not warned:
                found.append((value, named))
            named = named or bool(NAMES_SECRET.search(value))
    return found


def check(text: str) -> Violation | None:
    """The first clause that asks for something support never asks for, or None.

    Traditional Chinese is read as Simplified (請提供您的密碼); the clause is quoted as read.
    """
    for clause, secret_named_before in _clauses(to_simplified(text)):
        follow_up = secret_named_before and (BACK_TO_ME_ZH.search(clause) or BACK_TO_ME_EN.search(clause))
        if REMOTE.search(clause):  # "install ToDesk and tell me the code": the tool is the point
            return Violation("remote_access", REASONS["remote_access"], clause)
        if asks_secret(clause) or (follow_up and not IN_APP.search(clause)):
            return Violation("asks_secret", REASONS["asks_secret"], clause)
        if SAFE_WALLET.search(clause):
            return Violation("safe_wallet", REASONS["safe_wallet"], clause)
    return None
