"""Help search quality and speed: the shipped articles hidden among 10,000 generated ones.

For each language the index holds the shipped articles plus 10,000 generated exchange notices
(deposits, withdrawals, network upgrades, trading rules: the same vocabulary the real
articles use). The labelled queries in bench/helpsearch_queries.json, written as customers
ask, each list the acceptable article slugs. Printed per configuration:

    mrr5     mean reciprocal rank of the first acceptable article in the top 5
    recall3  share of queries with an acceptable article in the top 3
    p95_ms   95th percentile of one search (results with highlights), over all queries x rounds
    p95_best_ms  the same over each query's fastest round: the figure without other
             processes' noise (the machine is shared; the load average is printed too)

A warm-up pass runs every query once, untimed (the typo index is built on first use).

"ours" is the shipped configuration (domain dictionary, synonyms, stemming, typo tolerance);
"baseline" is plain BM25F on the same fields: jieba's general dictionary, stemming, no
synonyms, no typo tolerance. Timings are noisy on a shared 2-core machine.

    .venv/bin/python bench/helpsearch.py [--generated 10000] [--rounds 5] [--show-misses]
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# bench/ holds scripts named like standard modules (email.py): never import from it.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT / "src"))

from unlockdesk.brand import brand  # noqa: E402
from unlockdesk.helpcenter import shipped  # noqa: E402
from unlockdesk.helpcenter.search import Analyzer, Document, SearchIndex  # noqa: E402

QUERIES = Path(__file__).with_name("helpsearch_queries.json")

COINS = ["BTC", "ETH", "USDT", "USDC", "SOL", "XRP", "DOGE", "TRX", "TON", "ADA", "OKB", "LTC",
         "DOT", "AVAX", "LINK", "ARB", "OP", "APT", "SUI", "PEPE", "SHIB", "FIL", "ATOM", "NEAR"]
NETWORKS = ["ERC20", "TRC20", "BEP20", "Solana", "Arbitrum One", "Optimism", "Polygon", "X Layer",
            "Base", "Avalanche C-Chain", "TON", "Aptos"]

ZH_TITLES = [
    "关于{brand}暂停 {coin} {net} 网络充提业务的公告",
    "{coin} 在 {net} 网络的充币与提币说明",
    "{coin} 提币手续费与最小提币数量调整公告",
    "{brand}将上线 {coin}/USDT 现货交易",
    "{coin} 永续合约资金费率与保证金规则说明",
    "{net} 网络升级期间 {coin} 充值到账延迟说明",
    "{coin} 赚币活动规则（第 {n} 期）",
    "如何查询 {coin} 在 {net} 上的充值到账情况",
    "{brand}下架 {coin} 部分交易对的公告",
    "{coin} 杠杆交易借币利率调整通知",
]
ZH_SENTENCES = [
    "{net} 网络升级期间，{coin} 的充值和提币将暂时关闭，交易不受影响。",
    "升级完成后我们将恢复 {coin} 的充提业务，无需用户进行任何操作。",
    "请确认充值地址与网络一致，选错网络可能导致资产无法到账。",
    "提币手续费根据链上拥堵情况动态调整，以提币页面显示为准。",
    "用户账户内的资产不会受到影响，请放心。",
    "活动期间完成实名认证的用户可参与，每个账户限参与一次。",
    "如果您在交易中遇到问题，可以在 App 内联系在线客服。",
    "充值到账需要 {n} 个网络确认，请耐心等待。",
    "为保障资金安全，系统可能对异常提币申请进行额外审核。",
    "合约交易存在较高风险，请合理控制仓位，避免爆仓。",
    "现货交易的最小下单数量为 {n} {coin}。",
    "奖励将在活动结束后 {n} 个工作日内发放到您的资金账户。",
    "若充值长时间未到账，请提供交易哈希以便查询。",
    "本次调整后，{coin} 的最小提币数量变更为 {n}。",
    "请勿向陌生地址转账，谨防诈骗。",
    "子账户之间的划转实时到账，不收取手续费。",
    "API 用户请注意接口限频的变化。",
    "{brand}保留对本活动的最终解释权。",
]
EN_TITLES = [
    "{brand} suspends {coin} deposits and withdrawals on {net}",
    "{coin} deposits and withdrawals on the {net} network",
    "Adjustment of {coin} withdrawal fees and minimum withdrawal amount",
    "{brand} will list {coin}/USDT for spot trading",
    "{coin} perpetual swap funding rate and margin rules",
    "Delayed {coin} deposits during the {net} network upgrade",
    "{coin} Earn campaign rules (round {n})",
    "How to check a {coin} deposit on {net}",
    "{brand} delists some {coin} trading pairs",
    "{coin} margin borrowing rate update",
]
EN_SENTENCES = [
    "During the {net} network upgrade, {coin} deposits and withdrawals are suspended; trading goes on.",
    "We will resume {coin} deposits and withdrawals after the upgrade; users need to take no action.",
    "Make sure the deposit address matches the network; choosing the wrong network may lose funds.",
    "Withdrawal fees follow on-chain congestion and are shown on the withdrawal page.",
    "Assets in user accounts are not affected.",
    "Users who completed identity verification can join; one entry per account.",
    "If you have a problem with a trade, contact customer support in the app.",
    "A deposit is credited after {n} network confirmations.",
    "To keep funds safe, unusual withdrawal requests may get an extra review.",
    "Derivatives trading carries high risk; manage your positions to avoid liquidation.",
    "The minimum order size for spot trading is {n} {coin}.",
    "Rewards are paid to your funding account within {n} working days after the campaign.",
    "If a deposit has not arrived after a long time, send us the transaction hash.",
    "After this change, the minimum {coin} withdrawal amount is {n}.",
    "Never send funds to addresses you do not know; beware of scams.",
    "Transfers between sub-accounts are instant and free.",
    "API users, please note the new rate limits.",
    "{brand} reserves the right of final interpretation of this campaign.",
]


def generated(language: str, count: int, rng: random.Random) -> list[Document]:
    titles, sentences = (ZH_TITLES, ZH_SENTENCES) if language == "zh-hans" else (EN_TITLES, EN_SENTENCES)
    name = brand().name(language)
    docs = []
    for i in range(count):
        values = {"brand": name, "coin": rng.choice(COINS), "net": rng.choice(NETWORKS),
                  "n": str(rng.randint(1, 60))}
        title = rng.choice(titles).format(**values)
        body = " ".join(s.format(**values) for s in rng.sample(sentences, rng.randint(4, 8)))
        docs.append(Document(key=f"generated-{language}-{i}", title=title, body=body, category="notices"))
    return docs


def evaluate(indexes: dict[str, SearchIndex], queries: list[dict[str, object]],
             rounds: int) -> dict[str, float]:
    reciprocal, found3, misses = [], 0, []
    for item in queries:
        ranked = [m.document.key for m in indexes[str(item["language"])].search(str(item["query"]), 5)]
        expected = set(item["expected"])  # type: ignore[call-overload]
        rank = next((i + 1 for i, key in enumerate(ranked) if key in expected), 0)
        reciprocal.append(1 / rank if rank else 0.0)
        found3 += 1 if 0 < rank <= 3 else 0
        if rank != 1:
            misses.append(f"    rank {rank or '-'}: {item['query']!r} -> {ranked[:3]}")
    timings: list[float] = []
    best = [float("inf")] * len(queries)
    for _round in range(rounds):
        for i, item in enumerate(queries):
            index = indexes[str(item["language"])]
            started = time.perf_counter()
            index.search(str(item["query"]), 5)
            elapsed = (time.perf_counter() - started) * 1000
            timings.append(elapsed)
            best[i] = min(best[i], elapsed)
    timings.sort()
    best.sort()
    return {
        "mrr5": statistics.fmean(reciprocal),
        "recall3": found3 / len(queries),
        "p95_ms": timings[int(len(timings) * 0.95) - 1],
        "p50_ms": timings[len(timings) // 2],
        "p95_best_ms": best[int(len(best) * 0.95) - 1],
        "misses": misses,  # type: ignore[dict-item]
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--generated", type=int, default=10_000, help="generated articles per language")
    parser.add_argument("--rounds", type=int, default=5, help="timed passes over the queries")
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()
    queries = json.loads(QUERIES.read_text(encoding="utf-8"))
    rng = random.Random(8)
    corpora = {lang: shipped.search_documents(lang) + generated(lang, args.generated, rng)
               for lang in ("zh-hans", "en")}
    sizes = {lang: len(docs) for lang, docs in corpora.items()}
    print(f"queries: {len(queries)} ({sum(q['language'] == 'zh-hans' for q in queries)} zh-hans, "
          f"{sum(q['language'] == 'en' for q in queries)} en); articles per language: {sizes}")
    results = {}
    for name, analyzer, typos in (("ours", Analyzer(), True),
                                  ("baseline", Analyzer(domain_dictionary=False, synonyms=False), False)):
        started = time.perf_counter()
        indexes = {lang: SearchIndex(docs, analyzer, typo_tolerance=typos) for lang, docs in corpora.items()}
        build_s = time.perf_counter() - started
        results[name] = evaluate(indexes, queries, max(1, args.rounds))
        r = results[name]
        print(f"{name:9s} build={build_s:.1f}s mrr5={r['mrr5']:.3f} recall3={r['recall3']:.3f} "
              f"p50_ms={r['p50_ms']:.2f} p95_ms={r['p95_ms']:.2f} p95_best_ms={r['p95_best_ms']:.2f} "
              f"load1={os.getloadavg()[0]:.2f}")
        if args.show_misses:
            print("\n".join(r["misses"]))  # type: ignore[arg-type]
    ours, base = results["ours"], results["baseline"]
    n = max(sizes.values())
    print(f"BENCH helpsearch articles={n} mrr5={ours['mrr5']:.3f} recall3={ours['recall3']:.3f} "
          f"p95_ms={ours['p95_ms']:.2f} baseline_mrr5={base['mrr5']:.3f} "
          f"baseline_recall3={base['recall3']:.3f} baseline_p95_ms={base['p95_ms']:.2f} "
          f"load1={os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
