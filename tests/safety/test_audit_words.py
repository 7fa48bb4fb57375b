"""Every action the desk writes to the audit log is said in words on the audit page."""

import re
from pathlib import Path

from django.utils import translation

from unlockdesk.safety.audit_words import audit_action, audit_detail_name
from unlockdesk.safety.labels import audit_details
from unlockdesk.tickets.services.bulk import KINDS
from unlockdesk.unlock.types import DecisionKind

SRC = Path(__file__).resolve().parents[2] / "src" / "unlockdesk"
_LITERAL = re.compile(r'(?:action=|_audit\([^,]+, [^,]+, )"([a-z_0-9]+\.[a-z_0-9]+)"')


def recorded_actions() -> set[str]:
    """The literal action codes in the code base, and the ones built from a known set."""
    found = {m.group(1) for path in SRC.rglob("*.py") for m in _LITERAL.finditer(path.read_text())}
    found |= {f"unlock.{kind}" for kind in DecisionKind.values}
    found |= {f"ticket.bulk_{kind}" for kind in KINDS}
    found |= {f"{model}.{change}" for model in ("officialchannel", "blockedcontact")
              for change in ("add", "change", "delete")}
    return found


def test_every_recorded_action_has_words_in_english_and_chinese() -> None:
    actions = recorded_actions()
    assert {"report.export", "sla.breach", "records.downloaded", "ticket.assign"} <= actions
    for language in ("en", "zh-hans"):
        with translation.override(language):
            missing = sorted(a for a in actions if audit_action(a) == a)
            assert not missing, f"{language}: no words for {missing}"
    with translation.override("zh-hans"):
        assert audit_action("report.export") == "导出报表"
        assert audit_action("officialchannel.delete") == "官方渠道已删除"


def test_an_unknown_action_is_shown_as_it_is() -> None:
    assert audit_action("something.new") == "something.new"


def recorded_detail_names() -> set[str]:
    """The keyword names of every audit.record(...) call in the code base (the details)."""
    import ast

    names: set[str] = set()
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "record" and getattr(node.func.value, "id", "") == "audit"):
                names |= {kw.arg for kw in node.keywords if kw.arg} - {"actor", "action", "target", "ip"}
    return names


def test_every_detail_name_has_words_and_values_are_not_python() -> None:
    names = recorded_detail_names()
    assert {"reason", "high_risk", "round", "via"} <= names
    with translation.override("zh-hans"):
        missing = sorted(n for n in names
                         if not re.search(r"[\u4e00-\u9fff]", audit_detail_name(n)) and n != "sha256")
        assert not missing, f"no Chinese words for the audit details {missing}"
        assert audit_details({"high_risk": True, "items": ["id_front", "handheld"], "why": ""}) == [
            ("高风险", "是"), ("要求补充的材料", "身份证正面、手持照片"), ("查看理由", "—")]
    with translation.override("en"):
        assert audit_details({"late_minutes": 12, "shared": False}) == [
            ("Minutes late", "12"), ("Shared", "No")]
        assert audit_details({"new_thing": 1}) == [("new thing", "1")]


def test_codes_in_details_are_said_in_words() -> None:
    details = {"clock": "first_response", "items": ["id_front", "handheld"], "via": "phone",
               "form": "preview", "restrictions": ["withdraw"], "reason": "a free text reason"}
    with translation.override("en"):
        shown = dict(audit_details(details))
        assert shown["SLA clock"] == "first response"
        assert shown["Items asked for"] == "ID card, front, Handheld photo"
        assert shown["Through"] == "the phone line"
        assert shown["Reason"] == "a free text reason"      # not a code: as stored
    with translation.override("zh-hans"):
        shown = dict(audit_details(details))
        assert shown["查看方式"] == "预览图"
        assert shown["途径"] == "电话热线"
        assert not re.search(r"[a-z]_[a-z]", " ".join(v for k, v in shown.items() if k != "原因"))
