"""A fixed-window counter in the cache, for public endpoints anyone may hammer (the verifier,
sign-in codes)."""

import time

from django.core.cache import cache


def allow(scope: str, key: str, *, limit: int, window: int = 60) -> bool:
    """Count one hit for `key`; False once `limit` hits were counted in the current window."""
    bucket = f"ratelimit:{scope}:{key}:{int(time.time() // window)}"
    cache.add(bucket, 0, timeout=window + 5)
    try:
        hits = cache.incr(bucket)
    except ValueError:  # evicted between add and incr
        cache.set(bucket, 1, timeout=window + 5)
        hits = 1
    return hits <= limit
