"""Links the desk sends point at the address it serves on."""

import os
import subprocess
import sys

PRINT_SITE_URL = "import django; django.setup(); from django.conf import settings; print(settings.SITE_URL)"


def _site_url(**env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if k not in {"PORT", "UNLOCKDESK_SITE_URL"}}
    result = subprocess.run(
        [sys.executable, "-c", PRINT_SITE_URL], env={**clean, "DJANGO_SETTINGS_MODULE": "unlockdesk.settings",
                                                     **env},
        capture_output=True, text=True, check=True, timeout=60,
    )
    return result.stdout.strip()


def test_demo_on_another_port_links_to_that_port() -> None:
    assert _site_url(PORT="8811") == "http://127.0.0.1:8811"


def test_configured_public_address_wins_and_loses_its_trailing_slash() -> None:
    assert _site_url(PORT="8811", UNLOCKDESK_SITE_URL="https://support.example.com/") == \
        "https://support.example.com"
