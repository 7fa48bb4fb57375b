"""`unlockdesk scan` writes valid UTF-8 whatever bytes it is fed, in any locale."""

import json
import os
import subprocess
import sys

import pytest

UNDECODABLE = b"password: Hunter2024!x \xff\xfe\xc3(\n\xe4\xb8\xad\xe6\x96\x87 ok \xed\xa0\x80\n"


@pytest.mark.parametrize("locale", ["C", "C.UTF-8"])
def test_undecodable_input_comes_out_as_replacement_characters(locale: str) -> None:
    env = {**os.environ, "LC_ALL": locale, "LANG": locale, "DJANGO_SETTINGS_MODULE": "unlockdesk.settings"}
    env.pop("PYTHONIOENCODING", None)
    done = subprocess.run([sys.executable, "-m", "django", "scan"], input=UNDECODABLE,
                          capture_output=True, env=env, timeout=120, check=True)
    text = done.stdout.decode("utf-8")  # strict: any byte passed through raises here
    first, second = [json.loads(line) for line in text.splitlines()]
    assert first["redacted"].startswith("password: [REDACTED:password]")
    assert "\ufffd" in first["redacted"]
    assert second["redacted"].startswith("中文 ok") and second["redacted"].endswith("\ufffd")
    assert b"\xff" not in done.stdout and b"\xed\xa0\x80" not in done.stdout
