"""What demo customers write, by channel: realistic Monday-morning cases in zh and en."""

CASES: list[tuple[str, str, str]] = [
    # (language, subject, text)
    ("zh-hans", "账户被锁 - 请求解锁",
     "您好，我的账户今天早上突然无法登录，提示“账户已被风控限制”。UID 在下面，"
     "我没有做过异常操作，请帮我解锁。"),
    ("zh-hans", "提币被限制",
     "我昨天修改了手机号，现在提币提示24小时内不能提现，请问什么时候可以恢复？"),
    ("zh-hans", "账户被盗，资产被转走",
     "我的账户被盗了！刚才收到短信有人登录，资产被转走了，请马上冻结我的账户！"),
    ("zh-hans", "验证码输错太多次",
     "谷歌验证码输错了好几次，现在账户被锁定了，怎么办？"),
    ("zh-hans", "遇到假客服诈骗",
     "有人自称客服在 Telegram 上联系我，让我把币转到安全钱包，这是诈骗吗？"),
    ("zh-hans", "充值未到账", "我两个小时前充值的 USDT 还没有到账，交易哈希已经确认了。"),
    ("zh-hans", "实名认证失败", "实名认证一直提示照片不清晰，我已经重新上传了三次。"),
    ("en", "Account locked after login from new device",
     "Hi, I logged in from my new phone and now my account is locked. I can't log in at all."),
    ("en", "Withdrawal restricted",
     "My withdrawals are restricted since this morning. I need to pay rent, please help."),
    ("en", "Account hacked", "Someone hacked my account and changed my email. Please freeze it."),
    ("en", "How do I unlock my account?",
     "My account was frozen for a compliance review. What documents do you need?"),
    ("en", "Deposit not credited", "My BTC deposit has 6 confirmations but is not credited."),
    ("en", "2FA reset", "I lost my phone with the authenticator app. How do I reset 2FA?"),
]
