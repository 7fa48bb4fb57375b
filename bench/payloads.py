"""What reading webhook bodies strictly costs: intake.payloads.load_object (depth, surrogate,
NUL and NaN rules, walked without recursion) against a bare json.loads, on bodies providers
really send, and how fast a hostile body is refused.

    .venv/bin/python bench/payloads.py [--rounds 200]

Bodies: a Facebook batch of 100 messaging events (about 25 KB), a Postmark inbound mail with a
1 MB text body, and JSON nested 100,000 deep (refused). Timings are the median of the rounds.
Last line: BENCH payloads fb_plain_us=.. fb_strict_us=.. fb_overhead=.. mail_strict_us=..
deep_refuse_ms=..
"""

import sys
from pathlib import Path

# Run as a script, bench/ is first on sys.path, where sibling benchmarks (bench/email.py)
# would shadow the standard library.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from typing import Any  # noqa: E402

from unlockdesk.intake.payloads import BadPayload, load_object  # noqa: E402


def facebook_batch(events: int = 100) -> bytes:
    return json.dumps({"object": "page", "entry": [{"id": "page", "time": 1764000000, "messaging": [
        {"sender": {"id": str(5500 + n)}, "recipient": {"id": "page"}, "timestamp": 1764000000 + n,
         "message": {"mid": f"m_{n}", "text": f"我的账户被锁了，第 {n} 条 help please"}}
        for n in range(events)]}]}, ensure_ascii=False).encode()


def postmark_mail(size: int = 1_000_000) -> bytes:
    return json.dumps({"FromFull": {"Email": "chen@example.com", "Name": "陈先生"},
                       "ToFull": [{"Email": "support@okx.com", "Name": ""}], "Subject": "提现被冻结",
                       "TextBody": "提现被冻结 withdrawal frozen " * (size // 40), "HtmlBody": "",
                       "Headers": [{"Name": "Message-ID", "Value": "<pm@example.com>"}],
                       "Attachments": []}, ensure_ascii=False).encode()


def median_us(action: Callable[[], Any], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e6


def refuse(body: bytes) -> None:
    try:
        load_object(body)
    except BadPayload:
        return
    raise AssertionError("a hostile body was accepted")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=200)
    rounds = parser.parse_args().rounds
    fb, mail = facebook_batch(), postmark_mail()
    deep = b'{"message": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    fb_plain = median_us(lambda: json.loads(fb), rounds)
    fb_strict = median_us(lambda: load_object(fb), rounds)
    mail_plain = median_us(lambda: json.loads(mail), max(10, rounds // 10))
    mail_strict = median_us(lambda: load_object(mail), max(10, rounds // 10))
    deep_refuse = median_us(lambda: refuse(deep), max(10, rounds // 10))
    print(f"facebook batch ({len(fb)} bytes): json.loads {fb_plain:.0f} us, strict {fb_strict:.0f} us")
    print(f"postmark mail ({len(mail)} bytes): json.loads {mail_plain:.0f} us, strict {mail_strict:.0f} us")
    print(f"100,000-deep body ({len(deep)} bytes) refused in {deep_refuse / 1000:.2f} ms")
    print(f"BENCH payloads fb_plain_us={fb_plain:.0f} fb_strict_us={fb_strict:.0f} "
          f"fb_overhead={fb_strict / fb_plain:.2f} mail_strict_us={mail_strict:.0f} "
          f"deep_refuse_ms={deep_refuse / 1000:.2f}")


if __name__ == "__main__":
    main()
