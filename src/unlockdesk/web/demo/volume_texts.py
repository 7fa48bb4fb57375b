"""Sentences synthetic customers and agents write, zh and en, for `load-volume`.

Messages are 1-3 of these plus identifiers (amounts, coins, hashes, order numbers), so the
index sees common words and a long tail of rare terms, as a real desk's does.
"""

SUBJECTS_ZH = [
    "账户被锁 - 请求解锁", "提币被限制", "账户被盗，资产被转走", "验证码输错太多次", "遇到假客服诈骗",
    "充值未到账", "实名认证失败", "提现一直在审核中", "手机号无法接收短信验证码", "谷歌验证器丢失",
    "法币交易对方不放币", "合约爆仓有疑问", "资金密码忘记了", "登录提示异常设备", "邮箱被盗请冻结账户",
    "链上转账显示成功但未到账", "申请注销账户", "理财产品赎回延迟", "API 密钥被禁用", "活动奖励没有发放",
]
SUBJECTS_EN = [
    "Account locked after login from new device", "Withdrawal restricted", "Account hacked",
    "How do I unlock my account?", "Deposit not credited", "2FA reset", "KYC verification failed",
    "P2P seller did not release coins", "Wrong network deposit", "Cannot receive SMS codes",
    "Withdrawal pending for hours", "Suspicious login email", "Close my account",
    "Staking rewards missing", "API key disabled", "Margin call question", "Fees look wrong",
    "Someone impersonating support on Telegram", "Email changed without my consent",
    "Transfer between sub-accounts failed",
]
CUSTOMER_ZH = [
    "您好，我的账户今天早上突然无法登录，提示账户已被风控限制。", "我没有做过异常操作，请帮我解锁。",
    "我昨天修改了手机号，现在提币提示24小时内不能提现。", "请问什么时候可以恢复？",
    "我的账户被盗了，刚才收到短信有人登录。", "资产被转走了，请马上冻结我的账户！",
    "谷歌验证码输错了好几次，现在账户被锁定了，怎么办？",
    "有人自称客服在电报上联系我，让我把币转到安全钱包。",
    "我两个小时前充值的 USDT 还没有到账，交易哈希已经确认了。",
    "实名认证一直提示照片不清晰，我已经重新上传了三次。",
    "提币到冷钱包地址一直显示处理中。",
    "我已经按照要求上传了身份证正反面和手持照片。", "为什么我的账户被冻结了？",
    "请尽快处理，我急需用钱。", "法币订单已经付款，卖家一直不放币。", "我换了新手机，验证器里的数据都没了。",
    "链上显示已经确认了十二个区块。", "客服说会在二十四小时内回复，但是已经过去三天了。",
    "我的邮箱收到了一封奇怪的登录提醒。", "这个地址是我自己的钱包，没有问题。",
]
CUSTOMER_EN = [
    "Hi, I logged in from my new phone and now my account is locked.", "I can't log in at all.",
    "My withdrawals are restricted since this morning.", "I need to pay rent, please help.",
    "Someone hacked my account and changed my email.", "Please freeze it right now.",
    "My account was frozen for a compliance review. What documents do you need?",
    "My BTC deposit has six confirmations but is not credited.",
    "I lost my phone with the authenticator app. How do I reset 2FA?",
    "The seller has not released the coins although I paid an hour ago.",
    "I sent the funds on the wrong network by mistake.", "Is this email really from you?",
    "The transfer shows as completed on the explorer.", "I uploaded my passport twice already.",
    "Why is my account restricted?", "Please escalate this, it has been three days.",
    "I did not authorise this login from an unknown device.", "The staking rewards did not arrive.",
    "My API key stopped working after the update.", "The fee charged looks far too high.",
]
AGENT_ZH = [
    "您好，我是客服，已收到您的工单，正在为您核实。", "为了保护您的资产安全，请勿向任何人透露密码和验证码。",
    "请提供最近一笔充值的交易哈希，以便我们查询。", "您的账户因异地登录触发风控，已为您提交解锁申请。",
    "我们已经联系了链上团队，预计两个小时内到账。", "请通过官方渠道上传材料，我们不会通过电报联系您。",
    "经核实，该笔提币已在链上确认。", "您的解锁申请已通过审核，请重新登录。",
]
AGENT_EN = [
    "Thanks for reaching out, I am looking into this now.",
    "For your safety, never share your password or verification codes with anyone.",
    "Could you send the transaction hash of the deposit?",
    "Your account was restricted after a login from a new location; I have opened an unlock request.",
    "The blockchain team confirms the deposit; it will be credited within two hours.",
    "Official staff never contact you first on Telegram.",
    "The withdrawal is confirmed on chain.", "Your unlock request was approved, please sign in again.",
]
NOTES = [
    "内部备注：用户身份已核实，等待风控复核。", "Internal: KYC matches, waiting for risk review.",
    "内部备注：疑似诈骗受害者，已标记。", "Internal: escalated to the on-chain team.",
]
NAMES_ZH = ["张伟", "王芳", "李娜", "刘洋", "陈杰", "杨静", "赵磊", "黄丽", "周敏", "吴强"]
NAMES_EN = ["Alex Chen", "Sam Lee", "Maria Garcia", "John Smith", "Priya Patel", "Tom Brown"]
COINS = ["USDT", "BTC", "ETH", "SOL", "TRX", "OKB", "USDC", "DOGE"]
