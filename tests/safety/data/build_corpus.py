# ruff: noqa: E501  (one corpus text per line reads best)
"""Rebuild corpus.jsonl: `python tests/safety/data/build_corpus.py` (deterministic).

Each line: {"id", "lang", "text", "secrets": [{"kind", "value"}]}. A text without secrets is a
near-miss: it looks like one (hashes, addresses, UIDs, codes mentioned) and must survive.
Seed phrases, WIF and extended keys are generated from fixed entropy so their checksums are real.
"""

import hashlib
import json
from pathlib import Path

from mnemonic import Mnemonic

B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def b58check(payload: bytes) -> str:
    raw = payload + hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4]
    number = int.from_bytes(raw, "big")
    out = ""
    while number:
        number, rem = divmod(number, 58)
        out = B58[rem] + out
    return "1" * (len(raw) - len(raw.lstrip(b"\0"))) + out


def key(n: int) -> bytes:
    return hashlib.sha256(f"unlockdesk corpus key {n}".encode()).digest()


def wif(n: int, compressed: bool = True) -> str:
    return b58check(b"\x80" + key(n) + (b"\x01" if compressed else b""))


EN = Mnemonic("english")
ZH = Mnemonic("chinese_simplified")
en12 = EN.to_mnemonic(key(1)[:16])
en24 = EN.to_mnemonic(key(2))
en12b = EN.to_mnemonic(key(3)[:16])
zh12 = ZH.to_mnemonic(key(4)[:16])
zh12b = ZH.to_mnemonic(key(5)[:16])
zh12c = ZH.to_mnemonic(key(6)[:16])
xprv = Mnemonic.to_hd_master_key(EN.to_seed(en12b))
numbered = " ".join(f"{i}. {w}" for i, w in enumerate(en24.split(), 1))
typo_words = en12.split()
typo_words[4], typo_words[5] = typo_words[5], typo_words[4]  # two words swapped: checksum fails
typo = " ".join(typo_words)
hex1 = key(7).hex()
hex2 = key(8).hex()
txh = key(9).hex()
txh2 = key(10).hex()
good_wif = wif(16)
mistyped_wif = good_wif[:-1] + ("z" if good_wif[-1] != "z" else "y")  # checksum now fails
zh_commas = "、".join(ZH.to_mnemonic(key(18)[:16]).split())
paren_numbered = " ".join(f"{i}) {w}" for i, w in enumerate(EN.to_mnemonic(key(19)[:16]).split(), 1))

S = [  # (lang, text, [(kind, value)])
    ("en", "My password is Hunter2024!x, please help me log in.", [("password", "Hunter2024!x")]),
    ("en", "password: Qw8#mZ2p", [("password", "Qw8#mZ2p")]),
    ("en", "Login pwd = tiger_Lily88 but it says locked", [("password", "tiger_Lily88")]),
    ("en", "my trading password is 884213", [("password", "884213")]),
    ("en", "The SMS code I got is 482913, can you check?", [("otp_code", "482913")]),
    ("en", "verification code: 550192", [("otp_code", "550192")]),
    ("en", "Google Authenticator code 731004 is what the app shows", [("otp_code", "731004")]),
    ("en", "2FA 908172 just now", [("otp_code", "908172")]),
    ("en", "email code is 4471", [("otp_code", "4471")]),
    ("en", "Here is my API key: 8c4e2b7a-1f3d-4e5a-9b6c-0d7e8f9a1b2c",
     [("api_key", "8c4e2b7a-1f3d-4e5a-9b6c-0d7e8f9a1b2c")]),
    ("en", "secret key = 3F6A9C2E7B1D4F8A0C5E9B2D6F1A4C7E", [("api_secret", "3F6A9C2E7B1D4F8A0C5E9B2D6F1A4C7E")]),
    ("en", "API passphrase: Moon#Rise88", [("api_passphrase", "Moon#Rise88")]),
    ("en", "apikey 5b1e7c3a-2d4f-4a6b-8c9d-0e1f2a3b4c5d secretkey 9A8B7C6D5E4F3A2B1C0D9E8F7A6B5C4D "
           "passphrase: Bot$2024x",
     [("api_key", "5b1e7c3a-2d4f-4a6b-8c9d-0e1f2a3b4c5d"), ("api_secret", "9A8B7C6D5E4F3A2B1C0D9E8F7A6B5C4D"),
      ("api_passphrase", "Bot$2024x")]),
    ("en", f"my private key is 0x{hex1}", [("private_key", f"0x{hex1}")]),
    ("en", f"private key {hex2} from my old wallet", [("private_key", hex2)]),
    ("en", f"Here is my wallet key {wif(11)}", [("private_key", wif(11))]),
    ("en", f"{wif(12, compressed=False)}", [("private_key", wif(12, compressed=False))]),
    ("en", f"my seed phrase is {en12}", [("seed_phrase", en12)]),
    ("en", f"Recovery words:\n{numbered}", [("seed_phrase", numbered[3:])]),
    ("en", f"{en12b} please restore my wallet", [("seed_phrase", en12b)]),
    ("en", f"my recovery phrase: {typo}", [("seed_phrase", typo)]),
    ("en", "token: ghp_A1b2C3d4E5f6G7h8I9j0KlMnOpQrStUv", [("high_entropy", "ghp_A1b2C3d4E5f6G7h8I9j0KlMnOpQrStUv")]),
    ("en", "Authorization: bearer eyJhbGciOiJIUzI1NiJ9xQ7pL2mN8vR4tY6w",
     [("high_entropy", "eyJhbGciOiJIUzI1NiJ9xQ7pL2mN8vR4tY6w")]),
    ("en", f"my xprv {xprv}", [("private_key", xprv)]),
    ("en", "Password - S3cure!pass", [("password", "S3cure!pass")]),
    ("en", "card pin: 8842", [("password", "8842")]),
    ("en", "otp: 771234", [("otp_code", "771234")]),
    ("en", "API Secret: 7C2E9B1D4F8A0C5E3F6A9C2E7B1D4F8A", [("api_secret", "7C2E9B1D4F8A0C5E3F6A9C2E7B1D4F8A")]),
    ("en", "passphrase is CoinBox!77", [("api_passphrase", "CoinBox!77")]),
    ("en", "2FA code 908172 and password: Pw!88aa", [("otp_code", "908172"), ("password", "Pw!88aa")]),
    ("zh", "我的密码是 Abc123456", [("password", "Abc123456")]),
    ("zh", "登录密码：qwe!2345", [("password", "qwe!2345")]),
    ("zh", "资金密码是884213", [("password", "884213")]),
    ("zh", "密码Zx9981aa，帮我看看", [("password", "Zx9981aa")]),
    ("zh", "验证码是 731942", [("otp_code", "731942")]),
    ("zh", "短信验证码：208814，请尽快处理", [("otp_code", "208814")]),
    ("zh", "谷歌验证码 551203", [("otp_code", "551203")]),
    ("zh", "邮箱验证码为 9931", [("otp_code", "9931")]),
    ("zh", "谷歌验证器：660122", [("otp_code", "660122")]),
    ("zh", "API Key：6f1d7c2a-9e4b-4d2f-8a1c-3b5e7d9f0a12", [("api_key", "6f1d7c2a-9e4b-4d2f-8a1c-3b5e7d9f0a12")]),
    ("zh", "密钥：9D2E6F1A4C7B3E8F0A5D2C9B6E1F4A7C", [("api_secret", "9D2E6F1A4C7B3E8F0A5D2C9B6E1F4A7C")]),
    ("zh", "口令：Hello2024#", [("api_passphrase", "Hello2024#")]),
    ("zh", f"私钥 0x{key(13).hex()}", [("private_key", f"0x{key(13).hex()}")]),
    ("zh", f"我的私钥是 {wif(14)}", [("private_key", wif(14))]),
    ("zh", f"助记词：{zh12}", [("seed_phrase", zh12)]),
    ("zh", f"{zh12b}", [("seed_phrase", zh12b)]),
    ("zh", f"助记词：{zh12c.replace(' ', '')}", [("seed_phrase", zh12c.replace(" ", ""))]),
    ("zh", f"这是我的助记词 {en12b}", [("seed_phrase", en12b)]),
    ("zh", "授权码 token：Zq8Lm2Pv7Xr4Tn9Kw3Bd6Hy", [("high_entropy", "Zq8Lm2Pv7Xr4Tn9Kw3Bd6Hy")]),
    ("zh", "我的密码是 Hunter2024!x 验证码 731942 快帮我", [("password", "Hunter2024!x"), ("otp_code", "731942")]),
    ("zh", "新密码是Pa55word!", [("password", "Pa55word!")]),
    ("zh", "身份验证器 445566", [("otp_code", "445566")]),
    ("zh", "收到的验证码是 312456", [("otp_code", "312456")]),
    ("zh", "交易密码为 Trade#2024", [("password", "Trade#2024")]),
    ("zh", f"私钥：{key(15).hex()}", [("private_key", key(15).hex())]),
    # Added after the scanner was first written (held out, then fixed where the scanner missed).
    ("en", "Hi, the code you sent me is 738291 but the app says invalid", [("otp_code", "738291")]),
    ("en", "my passcode: 9921AbC!", [("password", "9921AbC!")]),
    ("zh", "您好，我的谷歌验证码是：884 201", [("otp_code", "884 201")]),
    ("zh", "短信验证码 6 6 1 2 3 4", [("otp_code", "6 6 1 2 3 4")]),
    ("en", "Password for the account: dragon!Fly77", [("password", "dragon!Fly77")]),
    ("en", "pw: zxcv!9876", [("password", "zxcv!9876")]),
    ("zh", "登录密码 abcd1234", [("password", "abcd1234")]),
    ("en", "Here's my 2FA backup code: 8F3K-29QZ-LL7M", [("otp_code", "8F3K-29QZ-LL7M")]),
    ("en", f"private key: {mistyped_wif}", [("private_key", mistyped_wif)]),
    ("zh", f"钱包私钥：{wif(17, compressed=False)}", [("private_key", wif(17, compressed=False))]),
    ("zh", f"我的助记词：{zh_commas}", [("seed_phrase", zh_commas)]),
    ("en", f"words from my wallet backup card:\n{paren_numbered}", [("seed_phrase", paren_numbered[3:])]),
]
# Third block, 2026-11-25: probes written without looking at the detectors; the misses among
# them (Chinese seeds glued to the words before them, "是：", "the password I use is",
# "pass:", "code from the SMS", "77 88 99"; in a second pass, a key alone on the line below its
# label and quoted JSON keys) were fixed in the detectors.
zh_glued_seed = ZH.to_mnemonic(key(30)[:16]).replace(" ", "")
zh_spaced_seed = ZH.to_mnemonic(key(31)[:16])
zh_comma_seed = "，".join(ZH.to_mnemonic(key(32)[:16]).split())
en15 = EN.to_mnemonic(key(33)[:20])
zh_hant_seed = Mnemonic("chinese_traditional").to_mnemonic(key(41)[:16])
S += [
    ("zh", f"我的助记词是{zh_glued_seed}", [("seed_phrase", zh_glued_seed)]),
    ("zh", f"我的助记词是 {zh_spaced_seed}，请帮我找回资产", [("seed_phrase", zh_spaced_seed)]),
    ("zh", f"助记词 {zh_comma_seed}", [("seed_phrase", zh_comma_seed)]),
    ("zh", "登录密码是：abc12345，帮我看看为什么登不上", [("password", "abc12345")]),
    ("zh", "我密码是：woaini520", [("password", "woaini520")]),
    ("en", "The password I use is Tr0ub4dor&3 and it stopped working", [("password", "Tr0ub4dor&3")]),
    ("en", "login: zhang.wei@example.com pass: letmein99", [("password", "letmein99")]),
    ("en", "Code from the SMS: 481516", [("otp_code", "481516")]),
    ("en", "security code 77 88 99", [("otp_code", "77 88 99")]),
    ("en", f"My seed phrase is {en15}", [("seed_phrase", en15)]),
    ("zh", "刚收到验证码 481516 你们看看", [("otp_code", "481516")]),
    ("en", f"wallet key {wif(34, compressed=False)}", [("private_key", wif(34, compressed=False))]),
    ("en", f"My private key is below:\n{key(35).hex()}\nPlease help.", [("private_key", key(35).hex())]),
    ("zh", f"私钥如下\n\n0x{key(36).hex()}", [("private_key", f"0x{key(36).hex()}")]),
    ("en", '{"apiKey": "5f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f", "passphrase": "Trade2024"}',
     [("api_key", "5f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f"), ("api_passphrase", "Trade2024")]),
    ("en", "my pass is Hunter2024 and I am still locked out", [("password", "Hunter2024")]),
    ("en", "password -> Kite88fly", [("password", "Kite88fly")]),
    # Traditional Chinese (Taiwan, Hong Kong; Big5 mail): every one of these was missed.
    ("zh-hant", "我的密碼是 abc12345，請幫我解鎖", [("password", "abc12345")]),
    ("zh-hant", "簡訊驗證碼是 662190", [("otp_code", "662190")]),
    ("zh-hant", f"私鑰：{key(40).hex()}", [("private_key", key(40).hex())]),
    ("zh-hant", "API金鑰：0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0", [("api_key", "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0")]),
    ("zh-hant", f"助記詞：{zh_hant_seed}", [("seed_phrase", zh_hant_seed)]),
]

N = [  # near-misses: nothing may be redacted
    ("en", "I forgot my password and can't log in."),
    ("en", "The password is wrong every time I try."),
    ("en", "I changed my password yesterday, then my account was locked."),
    ("en", "I did not receive the SMS code."),
    ("en", "The verification code expired after 10 minutes."),
    ("en", "I entered the 2FA code 3 times and it failed."),
    ("en", f"Deposit tx hash 0x{txh} not credited after 2 hours"),
    ("en", f"TXID: {txh2} for my BTC withdrawal"),
    ("en", "My deposit address is 0x742d35Cc6634C0532925a3b844Bc454e4438f44e"),
    ("en", "I sent to TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE (TRC20) and it is not there"),
    ("en", "BTC address 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"),
    ("en", "withdrawal to bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq is stuck"),
    ("en", "UID 10000001, order number 2024050112345678."),
    ("en", "I withdrew 5000 USDT on 2024-05-01 at 14:32."),
    ("en", "My phone number is +86 138 0013 8000."),
    ("en", "Error code: 50113 when I log in."),
    ("en", "Is my API key safe? I deleted it yesterday."),
    ("en", "Your support said never to share the seed phrase, right?"),
    ("en", "What is an anti-phishing code?"),
    ("en", "The code in the email didn't work."),
    ("en", "Order ID 3309871122 shows pending; amount 0.5 BTC."),
    ("en", "Invitation code is 882211"),
    ("en", "My referral code: 45AB12"),
    ("en", "The withdrawal of 12345678 sat failed."),
    ("en", "Ticket UD-7K3F9X, please update."),
    ("en", "I used the password reset link but it expired."),
    ("en", "Zip code is 100020"),
    ("en", "I have 12 words written on paper but I won't share them."),
    ("en", "Please abandon the old ticket about my account, I opened a new one."),
    ("en", "Transaction ID T10000001003 for my P2P trade"),
    ("en", "My API key name is trading-bot"),
    ("en", "the secret question answer was wrong"),
    ("en", "Bank reference code 2024050112"),
    ("en", "I received a code at 14:32 on 2024-05-01"),
    ("en", "My account was locked after I logged in from a new phone. I have the ID card and the "
           "deposit records ready, what else do you need for the unlock application?"),
    ("en", "Someone called me saying he was support and asked for my password, I did not give it."),
    ("en", "Please check block 840000 on the explorer, my transfer is there."),
    ("zh", "我忘记密码了，登不上"),
    ("zh", "密码错误次数太多被锁了"),
    ("zh", "验证码收不到怎么办"),
    ("zh", "验证码错误 3 次"),
    ("zh", "我的UID是10000001，订单号2024050112345678"),
    ("zh", f"充值交易哈希 0x{txh}，一直没到账"),
    ("zh", "提币地址 TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE，金额 500 USDT"),
    ("zh", "手机号 13800138000 已经不用了"),
    ("zh", "2024年5月1日转了 5000 USDT"),
    ("zh", "我修改了密码之后账户就被冻结了"),
    ("zh", "请问防钓鱼码是什么？"),
    ("zh", "客服说永远不要泄露助记词，对吗？"),
    ("zh", "谷歌验证器丢了，怎么重置？"),
    ("zh", "API 密钥已经删除了"),
    ("zh", "私钥我没有给任何人"),
    ("zh", "密码是对的，但是登不上"),
    ("zh", "验证码 2024年5月1日收到的"),
    ("zh", "工单号 UD-7K3F9X 进度如何？"),
    ("zh", "我的邀请码是 882211"),
    ("zh", "我的账户在昨天晚上被锁定了，我不知道是什么原因，请帮我看一下是不是因为我换了手机登录。"),
    ("zh", "交易ID：T10000001003"),
    ("zh", "转账记录截图已经上传，请查收"),
    ("zh", f"区块浏览器显示 txid 是 {txh2}"),
    ("zh", "验证码发到13812345678了吗？"),
    ("zh", "有人冒充客服让我下载向日葵，我没有下载"),
    ("zh", "我在2024-05-01 14:32提币 0.5 BTC 到冷钱包"),
    ("zh", "我的身份证号已经提交了，请尽快审核解锁"),
    ("zh", "是不是因为我在国外登录，所以账户被风控了？一直显示限制登录和提币。"),
    # Added with the held-out secrets above.
    ("en", "Order 20240512000123 amount 1,250.00 USDT"),
    ("zh", "我手机号是 +86 139 1234 5678，验证码一直收不到"),
    ("en", "My UID is 38291045 and my password was reset yesterday"),
    ("zh", f"交易哈希：{key(20).hex()}"),
    ("zh", "验证码过期了，能重新发一个吗？2024/05/12 10:20"),
    ("en", "Please refund 300 USDT to address TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE"),
    ("en", "I reset my PIN twice today."),
    ("zh", "密码 错误 3 次，现在被锁了"),
    ("en", "The password for my account is locked, what now?"),
    ("en", f"Deposit of 0.25 ETH, tx 0x{key(21).hex()}, block 19876543"),
    ("zh", "订单号 883920114，金额 2,000 USDT，时间 2024-05-12 10:20:33"),
    ("en", "They asked for the code 3 times on the phone, I hung up."),
]
N += [  # third block, see above
    ("zh", "密码被别人改了"),
    ("zh", "登录密码和资金密码都忘了"),
    ("zh", "我的验证码是收不到的"),
    ("zh", "助记词我已经抄在纸上了，不会发给任何人"),
    ("zh", "我的助记词是什么我不知道，当时没有备份"),
    ("zh", "身份证号 110101199003078888"),
    ("zh", "提现金额 5000 USDT，时间 2024-05-21 10:22:33"),
    ("zh", "验证码发了5次"),
    ("en", "The verification code was sent to 138****8000"),
    ("en", "My password got changed by someone"),
    ("en", "The password I used was the same as always"),
    ("en", "I sent BTC to 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"),
    ("en", "my wallet address is 0xde0B295669a9FD93d5F28D9Ec85E40f4cb697BAe"),
    ("en", "refid 7f3a9c2e-1b4d-4e5f-8a9b-0c1d2e3f4a5b"),
    ("en", "The 2FA code was 6 digits long"),
    ("en", "Please call me at +1 (415) 555-0134"),
    ("en", f"Transaction hash below:\n{key(37).hex()}"),
    ("zh", f"充值交易哈希：\n\n0x{key(38).hex()}\n一直没到账"),
    ("en", f"Hi,\n{key(39).hex()}\nthis deposit did not arrive"),
    # Prose of wordlist characters right after the cue, which the checksum let through 1 in 16.
    ("zh", "助记词我从来没有给过别人，请问还需要什么材料"),
    ("zh", "助记词我记在笔记本上了，客服说不能提供"),
    ("en", "My pass is expired, how do I renew the password?"),
    ("zh-hant", "密碼錯誤太多次，帳戶被鎖了"),
    ("zh-hant", "驗證碼一直收不到，請問怎麼辦？"),
    ("zh-hant", f"充值交易雜湊值：{key(42).hex()}"),
    ("zh-hant", "客服說永遠不要洩露助記詞和私鑰，對嗎？"),
    # Our own email quoted back in a reply.
    ("en", "Thanks!\n\n> Your anti-phishing code: 884213. An email without it is not from us.\n> Ticket number: UD-7K3F9X"),
]


def main() -> None:
    out = Path(__file__).with_name("corpus.jsonl")
    lines = []
    for i, (lang, text, secrets) in enumerate(S, 1):
        for _kind, value in secrets:
            assert value in text, (i, value)
        lines.append({"id": f"s{i:03d}", "lang": lang, "text": text,
                      "secrets": [{"kind": k, "value": v} for k, v in secrets]})
    for i, (lang, text) in enumerate(N, 1):
        lines.append({"id": f"n{i:03d}", "lang": lang, "text": text, "secrets": []})
    out.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8")
    print(f"{len(lines)} texts ({len(S)} with secrets, {len(N)} near-misses) -> {out}")


if __name__ == "__main__":
    main()
