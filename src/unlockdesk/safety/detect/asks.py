"""What an agent's clause asks the customer for: the outbound guard's vocabulary, zh and en.

A scammer rarely says "send me your verification code"; they say "the 6 numbers you just
received", "那串数字发一下", "the words you wrote down". So a secret is named directly (password,
OTP, API key, private key, seed phrase) or by description: the digits that arrived by SMS or
show in the authenticator, the string the wallet exported, the words written down at setup.
An ask is a hand-over verb near such a name (send, read me, paste, what is, 发一下, 报给我,
是多少, a screenshot of it). Typing a code into the official app or site is what we *do* ask
for, so that is not a hand-over. Measured on tests/safety/data/guard_corpus.jsonl by
bench/guard.py; every pattern here is there because a labelled draft needed it.
"""

import re

# --- secrets named directly or described (en) ---------------------------------------------
ASKED_FOR_EN = (
    r"(?:password|passcode|pin\b|credentials|login\s+details|sign[- ]?in\s+details|"
    r"(?:backup|recovery)\s+codes?|otp\b|2fa\s+codes?|"
    r"(?:\w{1,30}\s+)?digits\s+(?:we|you)\s+(?:just\s+)?(?:sent|texted|emailed)|"
    r"(?:sms|text|email|verification|security|2fa|mfa|otp|one[- ]time|"
    r"google(?:\s+authenticator)?|authenticator|login|confirmation)\s*(?:code|pin|number)|codes?\s+(?:we|you)"
    r"|codes?\s+(?:from|on|in)\s+(?:your|the)\s+(?:\w{1,30}\s+)?(?:app|phone|sms|text|e-?mail|authenticator)"
    r"|api[\s_-]*key|secret[\s_-]*key|api\s+(?:secret|credentials)|passphrase|private\s+key|seed(?:\s+phrase)?|"
    r"recovery\s+(?:phrase|words)|mnemonic|(?:12|24|twelve|twenty-four)[- ]words?"
    # described: the digits that arrived, the numbers in the SMS, what the authenticator shows
    r"|(?:\d|six|four|eight)[- ]?digit\s+(?:number|code)s?\b[^.?!]{0,30}?\b"
    r"(?:arriv|receiv|got|came|sent|show)"
    r"|(?:numbers?|digits?|code)\s+(?:that\s+|which\s+)?(?:you\s+)?(?:just\s+|have\s+)?"
    r"(?:received|got|get|arrived|came|see)"
    r"|(?:numbers?|digits?|code)\s+(?:in|from|on)\s+(?:the|your|that|this)\s+(?:\w{1,30}\s+){0,2}?"
    r"(?:sms|text|message|e-?mail|authenticator|phone|screen)"
    r"|(?:numbers?|digits?|code)\s+(?:is\s+|are\s+)?(?:showing|shown|displayed)"
    r"|(?:authenticator|sms|text\s+message|e-?mail)\b[^.?!]{0,25}?\b(?:shows|says?|showing)"
    r"|(?:current|latest|new|six[- ]digit|6[- ]digit)\s+code|(?:code|number|digits)\s+in\s+it\b"
    r"|(?:security|verification)\s+(?:e-?mail|sms|text|message)"
    r"|(?:sms|text(?:\s+message)?|e-?mail|message)\s+(?:\w{1,30}\s+){0,3}?with\s+(?:the|a|your)\s+(?:code|number|digits)"
    r"|authenticator(?:\s+app)?\b"
    r"|what\s+(?:it|the\s+(?:sms|text|message|e-?mail))\s+says"
    # the key of a wallet, the key and secret of the API page
    r"|key\s+of\s+(?:your|the)\s+wallet|wallet'?s?\s+(?:private\s+)?key|key\s+and\s+(?:the\s+)?secret"
    # the words written down at setup
    r"|words?\s+(?:that\s+)?(?:you\s+)?(?:wrote|written|saved|noted|backed|copied|kept|got)"
    r"|words\s+(?:on|from)\s+(?:the|your)\s+(?:\w{1,30}\s+)?(?:sheet|card|paper|backup|note)|list\s+of\s+words|backup\s+(?:words|card|phrase)|phrase\s+(?:that\s+)?you\s+(?:were\s+given|got|saved|wrote)"
    r"|(?:paper|card)\s+(?:where|on\s+which)\s+you\s+wrote"
    r"|(?:do\s+)?you\s+type\s+when[^.?!]{0,30}?sign\s*in)"
)
ASK_EN = (
    r"(?:send|give|tell|provide|share|enter|type|read|forward|confirm|submit|reply\s+with|drop|post|"
    r"copy|email|e-mail|need|require|let\s+(?:me|us)\s+(?:know|have)|what(?:'s|\s+is|\s+was|\s+are|"
    r"\s+were|\s+does)?|message|dm|text|whatsapp|photograph|upload|paste|input|show|screenshot|photo|picture|export)"
)
# --- secrets named directly or described (zh) ---------------------------------------------
ASKED_FOR_ZH = (
    r"(?:密码|验证码|收到的(?:[四六八]位)?数字|[四六八]位数字?|短信里的数字|短信码|动态码|校验码|谷歌验证|"
    r"验证器|安全码|私钥|助记词|种子|恢复短语|备份短语|API\s*Key|APIKey|Secret|Passphrase|密钥|秘钥|口令"
    # described: 那串数字, 那一长串字符, 那12个单词, 短信里那几个数字, 现在的码
    r"|(?:[那这]一?长?[串些几个]|\d{1,3}个|十二个|二十四个|几个)[^，。！？,]{0,4}?(?:数字|字符|单词|英文|码)"
    r"|(?:收到|短信|邮件|邮箱|验证器|手机|显示|里面|现在)[^，。！？,]{0,6}?(?:数字|(?<![错代])码)"
    r"|(?:抄|记|写|备份)[^，。！？,]{0,8}?(?:单词|词|短语)"
    r"|短信截图|验证短信|短信内容|短信全文|邮件内容|(?:钱包|API)[^，。！？,]{0,8}?(?:导出|页面上)[^，。！？,]{0,6}?(?:字符|串))"
)
ASK_ZH = (
    r"(?:提供|发送|发给|发我|发一下|发过来|发来|告诉|给我|给一下|报一下|报给|说一下|念|输入|填写|提交|"
    r"告知|截图|截个图|复制|回复|打出来|拍照|拍一下|拍下)"
)
# "的验证码是多少" / "助记词发我": the secret first, then the ask.
ASKED_AFTER_ZH = (
    r"(?:是多少|是什么|多少|发来|发过来|发我|发给我|给我|告诉我|报给我|报一下|说一下|念一下|念给我|"
    r"发一下|报|打出来|(?:打|发|输|写|贴)在这里)"
)

NEGATION = re.compile(
    r"\b(?:never|not|don'?t|do\s+not|won'?t|will\s+not|no\s+one|nobody|no\s+staff|"
    r"must\s+not|should\s+not|shouldn'?t|cannot|can'?t|avoid|beware|scam\w*|uninstall|no\s+such|"
    r"there\s+is\s+no|if\s+(?:someone|anyone|somebody|a\s+caller)|anyone\s+who|whoever|"
    r"if\s+you\s+(?:have\s+)?(?:already\s+)?(?:installed|shared|sent|gave|given|downloaded|pasted|"
    r"transferred))\b"
    r"|不要|切勿|请勿|勿|绝不|绝对不|不会|永远不|从不|从来不|不做|无需|不需要|"
    r"别(?:把|将|给|告诉|发|相信|安装|下载|转|点|泄露|透露|输入|共享)|禁止|不得|不能|谨防|小心|警惕|不可|骗|卸载|所谓|不存在|"
    r"(?:如|如果|若|要是)有人|有人(?:让|要|叫|问|向)|(?:如|如果|若)您?已经?(?:安装|下载|发|转|共享|泄露)",
    re.IGNORECASE,
)
REMOTE = re.compile(
    r"anydesk|teamviewer|team\s+viewer|rustdesk|todesk|ultraviewer|quick\s*support|"
    r"chrome\s+remote\s+desktop|remote\s+(?:desktop|access|control|assistance|support\s+app)|"
    r"screen\s*shar(?:e|ing)|share\s+your\s+screen|(?:present|show)\s+your\s+screen|"
    r"(?:control|take\s+over|access)\s+(?:of\s+)?your\s+(?:computer|pc|laptop|phone|device|screen)|"
    r"\bcontrol\s+of\s+your\b|remotely|"
    r"(?:download|install)\s+(?:this|the|our)\s+(?:\w{1,30}\s+)?(?:app|tool|software|program)\b[^.?!]{0,40}?\b(?:id|code)\b|"
    r"向日葵|远程|屏幕共享|共享屏幕|共享一下屏幕|共享桌面|(?:识别码|设备码)",
    re.IGNORECASE,
)
SAFE_WALLET = re.compile(
    r"(?:transfer|move|send|withdraw|deposit)\w*\s+(?:all\s+)?(?:your\s+)?(?:funds|assets|coins|"
    r"crypto|balance|money|usdt|btc|eth|tokens|everything)?\s*(?:\w{1,30}\s+){0,3}?to\s+(?:a|an|the|this|our|my|"
    r"following)?\s*(?:safe|secure|safety|protected|protection|new|temporary|verified|insured)\s+"
    r"(?:\w{1,30}\s+)?(?:wallet|address|account|vault)"
    r"|(?:safe|secure|safety|protected|verification|compliance)\s+(?:\w{1,30}\s+)?(?:wallet|vault|account|address)"
    r"|test\s+(?:transfer|deposit|payment)|(?:unlock|unfreeze|release|security)\s+(?:fee|deposit|margin)"
    r"|(?:转|转移|转入|转到|转至|提到|提币到|提现到|充到|存到|划转到)[^，。,.!！?？]{0,12}?"
    r"(?:安全钱包|安全[账帐]户|安全[账帐]号|安全地址|保护[账帐]户|保险[账帐]户|新钱包|新地址|以下地址|下面地址|这个地址|"
    r"指定地址|监管[账帐]户)"
    r"|(?:transfer|move|send|deposit|pay)\w*\b[^.?!]{0,40}?\b(?:funds|assets|coins|crypto|balance|"
    r"money|usdt|usdc|btc|eth|tokens)\b[^.?!]{0,30}?\bto\s+(?:our|the\s+following|this|the|a|an)\s+"
    r"(?:\w{1,30}\s+){0,2}?(?:wallet|address|account|vault)"
    r"|(?:转|转移|转入|转到|转至|充到|存到|打到|打款到|汇到|往)[^，。,.!！?？]{0,12}?"
    r"(?:我们提供的|我们的|我给您的|平台(?:指定|提供)的?|指定的?|验证|保证金|审核|保护|下面|以下)(?:这个)?"
    r"(?:钱包|[账帐]户|[账帐]号|地址)"
    r"|(?:保证金|测试|小额)[^，。,.!！?？]{0,12}?(?:钱包|地址|转)|(?:转|打)[^，。,.!！?？]{0,8}?(?:测试|小额)"
    r"|(?:解冻|解锁|解封)[^，。,.!！?？]{0,8}?(?:手续费|保证金|费)"
    r"|(?:支付|缴纳|付)[^，。,.!！?？]{0,12}?到[^，。,.!！?？]{0,6}?(?:钱包|地址|[账帐]户)"
    r"|安全钱包|安全[账帐]户|监管[账帐]户|保护钱包",
    re.IGNORECASE,
)
# Entering a code in the official app or site is what we do ask for: that is not a hand-over.
IN_APP = re.compile(
    r"\bin(?:to)?\s+(?:the|our|your)\s+(?!authenticator|wallet|e-?mail)(?:\w{1,30}\s+)?(?:app|website|site|page)\b"
    r"|\bon\s+(?:the|our)\s+(?!authenticator|wallet)(?:\w{1,30}\s+)?(?:app|website|site|page)\b"
    r"|在\s*\w{0,4}?\s*(?:App|APP|app|应用|官方网站|官网|网页|页面|客户端)\s*(?:内|中|里|上)?",
    re.IGNORECASE,
)
# "我们已向您的手机发送验证码": support sending a code is not support asking for it.
WE_SENT_ZH = re.compile(
    r"(?:我们|系统|平台|官方)[^，,。！？!?]{0,12}?(?:发送|发出|发)(?:了|过)?(?:一[个条次])?(?:新的)?"
    r"(?:[四六八]位)?(?:短信|邮件|邮箱)?(?:验证码|动态码|校验码)"
)
# "…验证码，发给我" / "…a code, please send it to me": the ask names the secret one clause back.
BACK_TO_ME_ZH = re.compile(
    r"(?:^|[，,])\s*(?:请|麻烦|麻烦您|您)?(?:把它|将它)?(?:直接)?(?:发给|发|告诉|报给|念给|给)我"
    r"(?:们)?(?:一下|就行|就可以|即可|吧)?\s*[。.!！]?\s*$"
    r"|^(?:把|将)?里面的[^，。！？]{0,6}(?:发|告诉|报|给)"
    r"|(?:把|将)(?:它|数字|内容|号码|那个|这个)[^，。！？]{0,4}?(?:回复|发|告诉|报|念|转发|给)(?:给)?我"
)
BACK_TO_ME_EN = re.compile(
    r"\b(?:send|give|tell|read|forward|share|text|email|copy|paste)\b[^.?!]{0,20}?\b(?:it|that|this|them|the\s+"
    r"(?:number|digits))\b[^.?!]{0,12}?\b(?:to\s+(?:me|us)|over|back|here)\b|\b(?:tell|read)\s+(?:me|us)\s+"
    r"(?:it|that|this|them|what\s+it\s+says)\b|\bwhat\s+it\s+says\b"
    r"|\breply\s+(?:here\s+)?with\s+(?:it|that|this|them)\b|\blist\s+them\b"
    r"|\b(?:type|paste|put|write)\s+(?:it|that|this|them)\s+(?:here|below|in\s+(?:this|the)\s+chat)",
    re.IGNORECASE,
)
NAMES_SECRET = re.compile(rf"{ASKED_FOR_ZH}|短信|\b{ASKED_FOR_EN}|\b(?:sms|text(?:\s+message)?)\b",
                          re.IGNORECASE)


def asks_secret(clause: str) -> bool:
    """The clause asks the customer to hand over a secret (not to type it into our app)."""
    en = re.search(rf"\b{ASK_EN}\b[^.?!]{{0,60}}?\b{ASKED_FOR_EN}", clause, re.IGNORECASE)
    rest = WE_SENT_ZH.sub("", clause)
    zh = re.search(rf"{ASK_ZH}[^。！？]{{0,20}}?{ASKED_FOR_ZH}", rest, re.IGNORECASE) or (
        rest != clause and BACK_TO_ME_ZH.search(rest.strip()))
    asked = re.search(rf"{ASKED_FOR_ZH}[^，,。！？]{{0,6}}?{ASKED_AFTER_ZH}", rest, re.IGNORECASE)
    handed = re.search(rf"[把将][^。！？]{{0,15}}?{ASKED_FOR_ZH}[^。！？]{{0,10}}?"
                       r"(?:发|给|告诉|报|提供|说|复制|输入)", rest, re.IGNORECASE)
    if IN_APP.search(clause) and not (handed and not re.search(r"输入", clause)):
        return False
    return bool(en or zh or asked or handed)
