"""The secret scanner on the labelled corpus and on the cases the checksum exists for."""

import io
import json
import re

import pytest
from django.core.management import call_command
from mnemonic import Mnemonic

from tests.safety import corpus
from tests.safety.corpus import near_misses, with_secrets
from unlockdesk.safety.detect import phrases
from unlockdesk.safety.scanner import scan


@pytest.mark.parametrize("item", with_secrets(), ids=lambda item: item["id"])
def test_every_labelled_secret_is_replaced_by_a_typed_placeholder(item: dict) -> None:
    result = scan(item["text"])
    for secret in item["secrets"]:
        assert secret["value"] not in result.redacted
        assert f"[REDACTED:{secret['kind']}]" in result.redacted


@pytest.mark.parametrize("item", near_misses(), ids=lambda item: item["id"])
def test_near_miss_survives_unchanged(item: dict) -> None:
    result = scan(item["text"])
    assert (result.redacted, result.findings) == (item["text"], ())


def test_findings_index_the_original_text() -> None:
    text = "hello, my password is Hunter2024!x ok"
    (finding,) = scan(text).findings
    assert text[finding.start : finding.end] == "Hunter2024!x"


def test_twelve_wordlist_words_with_a_wrong_checksum_and_no_context_survive() -> None:
    words = Mnemonic("english").to_mnemonic(bytes(range(16))).split()
    words[0], words[1] = words[1], words[0]
    text = " ".join(words)
    assert not Mnemonic("english").check(text)
    assert scan(text).findings == ()


def test_chinese_prose_of_wordlist_characters_is_not_a_seed() -> None:
    text = "我的账户在昨天晚上被锁定了我不知道是什么原因请帮我看一下是不是因为我换了手机登录"
    assert scan(text).findings == ()


def test_chinese_seed_glued_to_its_cue_is_redacted_and_the_cue_kept() -> None:
    seed = Mnemonic("chinese_simplified").to_mnemonic(bytes(range(16))).replace(" ", "")
    assert scan(f"我的助记词是{seed}").redacted == "我的助记词是[REDACTED:seed_phrase]"


def test_mistyped_chinese_seed_after_its_cue_is_redacted_from_the_first_word() -> None:
    words = Mnemonic("chinese_simplified").to_mnemonic(bytes(range(16))).split()
    words[0], words[1] = words[1], words[0]
    assert not Mnemonic("chinese_simplified").check(" ".join(words))
    assert scan("助记词 " + " ".join(words)).redacted == "助记词 [REDACTED:seed_phrase]"


def test_overlapping_findings_leave_no_fragment_behind() -> None:
    result = scan("私钥 password: 0x" + "ab" * 32)
    assert "ab" * 8 not in result.redacted


def test_scan_command_prints_one_json_object_per_input_line(monkeypatch: pytest.MonkeyPatch) -> None:
    out = io.StringIO()
    monkeypatch.setattr("sys.stdin", io.StringIO("my password is Hunter2024!x\nUID 10000001\n"))
    call_command("scan", stdout=out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert lines == [
        {"redacted": "my password is [REDACTED:password]",
         "findings": [{"kind": "password", "start": 15, "end": 27}]},
        {"redacted": "UID 10000001", "findings": []},
    ]


HOSTILE = {
    "letters": "a" * 20000,
    "hex": "ab" * 10000,
    "digits": "1" * 20000,
    "english wordlist run": " ".join(Mnemonic("english").wordlist[i % 2048] for i in range(3000)),
    "chinese wordlist run": "".join(Mnemonic("chinese_simplified").wordlist[i % 2048] for i in range(5000)),
    "wide gap": "abandon" + " " * 20000 + "ability",
    "at signs": "a@" * 10000,
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_message_is_answered_and_nothing_is_invented(name: str) -> None:
    """Inputs that once took 6 to 40 s each (quadratic backtracking, per-word list scans);
    their speed is measured by bench/safety.py (`hostile_worst_ms`), not here."""
    from unlockdesk.safety.guard import check
    from unlockdesk.safety.links import candidates

    findings = scan(HOSTILE[name]).findings
    assert check(HOSTILE[name]) is None and candidates(HOSTILE[name]) == []
    if name == "english wordlist run":
        # 3000 wordlist words: some 12-word windows pass the 4-bit checksum by chance, and a
        # customer who pastes that much wordlist text loses nothing by having it redacted.
        assert findings and {f.kind for f in findings} == {"seed_phrase"}
    else:
        assert not findings


def test_chinese_seed_glued_to_its_cue_and_to_the_next_sentence_is_redacted() -> None:
    seed = Mnemonic("chinese_simplified").to_mnemonic(bytes(range(16))).replace(" ", "")
    redacted = scan(f"我的助记词是{seed}请帮我找回账户").redacted
    assert redacted == "我的助记词是[REDACTED:seed_phrase]请帮我找回账户"


def test_prose_with_commas_after_a_seed_cue_is_not_a_seed() -> None:
    assert scan("助记词我从来没有给过别人，请问还需要什么材料").findings == ()


def test_every_phrase_rule_match_carries_one_of_its_labels() -> None:
    """The phrase rules run only on a text holding one of their labels: a rule whose match can
    lack them would let that secret through, so every match in the corpus is checked against
    its own rule's labels, in the rule's case rules."""
    for number, rule in enumerate(phrases.RULES):
        labels = re.compile("|".join(re.escape(label) for label in rule.labels), rule.pattern.flags)
        matches = [match.group() for item in corpus.items() for match in rule.pattern.finditer(item["text"])]
        assert matches, f"rule {number} ({rule.kind}) is not exercised by the corpus"
        for found in matches:
            assert labels.search(found), (number, rule.kind, found)


def test_a_text_without_any_label_skips_the_phrase_rules() -> None:
    assert phrases.find_given_secrets("hello, my account is locked since 2024-05-01: 884213") == []
    assert phrases.find_given_secrets("my PIN: 884213")  # a label in any case
    assert phrases.find_given_secrets("验证码 884213")
