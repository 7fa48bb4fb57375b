"""Analysis is shared by every request of a process, so it must be safe across threads."""

from concurrent.futures import ThreadPoolExecutor

from unlockdesk.helpcenter.search import analysis


def stems(prefix: str) -> list[str]:
    return [analysis.stem(f"{prefix}{i}relational") for i in range(3000)] + \
        [analysis.stem(f"{prefix}{i}izations") for i in range(3000)]


def test_stemming_from_many_threads_gives_the_same_stems_as_one_thread() -> None:
    analysis.stem.cache_clear()
    with ThreadPoolExecutor(max_workers=6) as pool:
        parallel = list(pool.map(stems, "abcdef"))
    analysis.stem.cache_clear()
    assert parallel == [stems(prefix) for prefix in "abcdef"]
    assert parallel[0][0] == "a0rel" and parallel[0][3000] == "a0iz"
