"""What providers post, read defensively: strict JSON and typed field access, one error type.

Every channel adapter raises BadPayload, and only that, for input it cannot read, so each
webhook answers a clear 400 (providers stop retrying a 4xx) instead of a 500 that they retry
forever. The rules hold for anything a stranger can send, signed or not:

- JSON nested deeper than MAX_DEPTH is refused before anything walks it (the C parser would
  raise RecursionError, which is not a ValueError);
- a lone surrogate (`"\\ud800"`) is refused: no database stores it and no encoder writes it;
- so is NUL (`"\\u0000"`), which PostgreSQL text cannot hold;
- NaN and Infinity (which Python's parser accepts) are refused: they are not JSON;
- a field of the wrong type is refused, never coerced into a different message.
"""

import json
from typing import Any

MAX_DEPTH = 32
# Provider ids are short; a longer one is not an id (and would not fit the stored key).
MAX_ID_CHARS = 100


class BadPayload(ValueError):
    """A provider's body or field that this desk cannot read; `str(exc)` says which and why."""


def load_object(body: bytes | str, *, max_depth: int = MAX_DEPTH) -> dict[str, Any]:
    """The body as a JSON object, or BadPayload. Never raises anything else."""
    data = load_value(body, max_depth=max_depth)
    if not isinstance(data, dict):
        raise BadPayload("body is not a JSON object")
    return data


def load_value(body: bytes | str, *, max_depth: int = MAX_DEPTH) -> Any:
    """Any JSON value (arrays too) under the depth and text rules, or BadPayload."""
    try:
        data = json.loads(body, parse_constant=_no_constant)
    except RecursionError as exc:
        raise BadPayload("JSON nested too deeply") from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadPayload("body is not JSON") from exc
    check_tree(data, max_depth=max_depth)
    return data


def _no_constant(name: str) -> Any:
    raise BadPayload(f"{name} is not JSON")


def check_tree(data: Any, *, max_depth: int = MAX_DEPTH) -> None:
    """Walk a parsed value without recursion: depth and text rules, or BadPayload."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            if depth > max_depth:
                raise BadPayload("JSON nested too deeply")
            for key, item in value.items():
                _check_text(key)
                stack.append((item, depth + 1))
        elif isinstance(value, list):
            if depth > max_depth:
                raise BadPayload("JSON nested too deeply")
            stack.extend((item, depth + 1) for item in value)
        elif isinstance(value, str):
            _check_text(value)


def _check_text(value: str) -> None:
    if value.isascii():
        if "\x00" in value:
            raise BadPayload("text holds a NUL character")
        return
    try:
        value.encode("utf-8")  # faster than a regular expression over long text
    except UnicodeEncodeError as exc:
        raise BadPayload("text holds a lone surrogate (not Unicode)") from exc
    if "\x00" in value:
        raise BadPayload("text holds a NUL character")


def obj(data: dict[str, Any], key: str) -> dict[str, Any]:
    """An optional nested object: absent or null is empty; anything else is refused."""
    value = data.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise BadPayload(f"{key} is not an object")
    return value


def objects(data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    """An optional list of objects: absent or null is empty; a non-object item is refused."""
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise BadPayload(f"{key} is not a list of objects")
    return value


def text(data: dict[str, Any], key: str) -> str:
    """An optional string: absent or null is ""; a number, list or object is refused."""
    value = data.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise BadPayload(f"{key} is not a string")
    return value


def ident(data: dict[str, Any], key: str) -> str:
    """A required id, as providers send them (string or integer, never bool, empty or long)."""
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int | str) or value == "":
        raise BadPayload(f"{key} is missing or not an id")
    if len(str(value)) > MAX_ID_CHARS:
        raise BadPayload(f"{key} is too long for an id")
    return str(value)
