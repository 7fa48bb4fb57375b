"""The reasons reviewers start with (editable in the admin afterwards)."""

from django.db import migrations

TEMPLATES = [
    ("handheld-note-unreadable", "request_info", "handheld",
     "手持照片中的纸条看不清。请重新拍摄：纸条上清楚写明申请用途短语、今天的日期和工单号。",
     "The note in the handheld photo cannot be read. Please retake it: the note must clearly show "
     "the phrase, today's date and the ticket number."),
    ("handheld-face-covered", "request_info", "handheld",
     "手持照片中的面部或证件被遮挡。请在光线充足处重新拍摄，面部、证件正面和纸条都要完整清晰。",
     "Your face or the ID card is covered in the handheld photo. Please retake it in good light "
     "with your face, the ID card front and the note all fully visible."),
    ("id-front-unclear", "request_info", "id_front",
     "身份证正面模糊、反光或不完整。请平放拍摄，四角完整，文字清晰。",
     "The ID card front is blurry, has glare or is cut off. Lay it flat and photograph it with all "
     "four corners and readable text."),
    ("id-back-unclear", "request_info", "id_back",
     "身份证反面模糊、反光或不完整，有效期限需清晰可见。",
     "The ID card back is blurry, has glare or is cut off; the validity period must be readable."),
    ("transaction-unreadable", "request_info", "transaction_record",
     "交易记录截图看不清，或缺少时间、类型、金额、对方信息。请重新截图。",
     "The transaction record cannot be read or lacks the time, type, amount or counterparty. "
     "Please take the screenshot again."),
    ("problem-screenshot-missing", "request_info", "problem_screenshot",
     "请上传显示错误提示（含错误码）的完整截图。",
     "Please upload a full screenshot showing the error message (with its code)."),
    ("other-proof-insufficient", "request_info", "other_proof",
     "补充材料不足以证明资金来源。请上传银行流水、付款凭证或场外交易聊天记录。",
     "The other proof does not show where the funds came from. Please upload bank statements, "
     "payment receipts or OTC chat records."),
    ("kyc-mismatch", "reject", "",
     "您提供的身份信息与该账户的实名认证信息不一致。",
     "The identity you gave does not match the account's verified identity."),
    ("ownership-not-proven", "reject", "",
     "提供的材料无法证明您是该账户的所有人。",
     "The materials do not show that you own this account."),
    ("evidence-altered", "reject", "",
     "材料存在修改或重复使用的迹象，无法通过审核。",
     "The materials show signs of editing or reuse and cannot be accepted."),
    ("identity-confirmed", "approve", "",
     "身份和材料核实无误。",
     "Identity and materials verified."),
]


def create(apps, schema_editor):
    ReasonTemplate = apps.get_model("unlock", "ReasonTemplate")
    for code, decision, kind, zh, en in TEMPLATES:
        ReasonTemplate.objects.get_or_create(
            code=code, defaults={"decision": decision, "evidence_kind": kind, "text_zh": zh, "text_en": en}
        )


def remove(apps, schema_editor):
    ReasonTemplate = apps.get_model("unlock", "ReasonTemplate")
    ReasonTemplate.objects.filter(code__in=[t[0] for t in TEMPLATES]).delete()


class Migration(migrations.Migration):
    dependencies = [("unlock", "0001_initial")]
    operations = [migrations.RunPython(create, remove)]
