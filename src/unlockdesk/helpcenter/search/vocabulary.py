"""The support domain's words: the segmentation dictionary, synonym groups and stop words.

Synonym groups hold analysed terms (Chinese words as jieba keeps them, English as Snowball
stems), so a query term expands to its siblings after the same analysis the index used.
"""

# Words jieba must keep whole (its general dictionary splits or misses most of them).
DOMAIN_WORDS: tuple[str, ...] = (
    "被锁", "锁了", "盗了", "盗走", "转走", "几天", "多长时间", "索要", "真假", "真伪", "账号", "帐号",
    "锁住", "被骗", "骗局", "跟进", "锁定", "冻结", "解冻", "解锁", "解封", "封号", "被封", "限制",
    "解除限制",
    "自助冻结", "紧急冻结", "提币", "提现", "出金", "充币", "充值", "入金", "到账", "客服", "人工客服",
    "在线客服", "人工", "验证码", "动态码", "短信验证码", "邮箱验证码", "谷歌验证", "谷歌验证器",
    "身份验证器", "双重验证", "二次验证", "防钓鱼码", "工单", "工单号", "工号", "手持", "手持照片",
    "手持身份证", "身份证", "实名", "实名认证", "身份认证", "风控", "风险控制", "被盗", "盗号", "被黑",
    "钓鱼", "诈骗", "骗子", "假客服", "官方渠道", "官网", "交易哈希", "哈希", "链上", "解锁申请",
    "安全设置", "登录密码", "资金密码", "异常登录", "陌生设备", "合规审查", "合规", "助记词", "私钥",
    "远程控制", "安全钱包", "转账", "交易记录", "在线聊天", "电话客服", "邮件", "邮箱", "申诉",
    "审核", "驳回", "材料", "纸条", "进度", "查询进度", "导出", "手机号", "换绑", "重置", "重置密码",
    "输错", "错误次数", "24小时", "冷静期", "安全锁", "聊天记录", "电报", "推特", "脸书", "热线",
    "紧急", "资金安全", "术语", "名词解释", "交易哈希值", "TXID", "UID", "KYC", "2FA",
)

# Each group: words that mean the same to a customer. A query term also finds its siblings,
# at a lower weight than itself. English members are written as words and stemmed on load.
SYNONYM_GROUPS: tuple[tuple[str, ...], ...] = (
    ("被锁", "锁了", "锁住", "锁定", "冻结", "限制", "封号", "被封", "安全锁",
     "locked", "frozen", "freeze", "restricted", "suspended", "blocked", "banned", "disabled"),
    ("解锁", "解冻", "解封", "解除限制", "unlock", "unfreeze", "lift", "restore", "reactivate"),
    ("提币", "提现", "出金", "withdraw", "withdrawal", "cashout"),
    ("充币", "充值", "入金", "deposit", "topup"),
    ("客服", "人工客服", "在线客服", "人工", "支持", "support", "agent", "staff", "service"),
    ("验证码", "动态码", "短信验证码", "邮箱验证码", "code", "otp", "passcode"),
    ("谷歌验证", "谷歌验证器", "身份验证器", "双重验证", "二次验证", "2fa", "authenticator"),
    ("被盗", "盗号", "被黑", "盗", "盗了", "盗走", "stolen", "hacked", "compromised", "steal", "takeover"),
    ("钓鱼", "诈骗", "骗子", "被骗", "骗局", "假客服", "scam", "phishing", "fraud", "fake", "scammer"),
    ("工单", "工单号", "ticket", "case"),
    ("实名", "实名认证", "身份认证", "kyc", "verification"),
    ("身份证", "证件", "passport"),
    ("手持", "手持照片", "手持身份证", "handheld", "selfie"),
    ("官网", "官方", "官方渠道", "真的", "真假", "真伪", "official", "genuine", "real", "really",
     "authentic", "legit", "legitimate"),
    ("账户", "账号", "帐户", "帐号", "account"),
    ("修改", "更改", "改", "变更", "换绑", "change", "changing", "update"),
    ("材料", "文件", "附件", "资料", "document", "file", "attachment", "paperwork"),
    ("补充", "添加", "追加", "补交", "add", "supplement"),
    ("多久", "几天", "多长时间", "long", "days"),
    ("索要", "要求", "ask", "request"),
    ("不能", "无法", "不了", "can't", "cannot", "unable"),
    ("电话", "热线", "电话客服", "phone", "call", "hotline"),
    ("邮件", "邮箱", "email", "mail"),
    ("在线聊天", "聊天", "chat"),
    ("风控", "风险控制", "risk"),
    ("交易哈希", "哈希", "交易哈希值", "txid", "hash"),
    ("助记词", "私钥", "seed", "mnemonic"),
    ("进度", "查询进度", "跟进", "status", "progress", "track", "follow"),
    ("驳回", "拒绝", "rejected", "declined", "denied"),
    ("输错", "错误次数", "wrong", "incorrect"),
    ("电报", "telegram"), ("推特", "twitter"), ("脸书", "facebook"),
)



def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


CHINESE_STOP_WORDS = _words(
    "的 了 吗 呢 吧 啊 呀 我 我们 你 你们 您 他 她 它 是 在 和 与 及 或 就 都 也 还 请 把 被 给 "
    "这 那 这个 那个 一个 有 没 没有 会 能 可以 要 想 让 对 从 到 为 以 于 之 个 之后 如果 "
    "怎么 怎么办 怎样 如何 哪 哪里 吗？ 一下 该 现在"
)

ENGLISH_STOP_WORDS = _words(
    "a an and are as at be been but by can could did do does for from had has have how i if in "
    "into is it its me my no not of on or our so than that the their them then there these they "
    "this to was we were what when where which who will with would you your yours am i'm "
    "do don't get got"
)
