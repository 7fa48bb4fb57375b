"""Refusals and missing pages are pages of the site, in the reader's language, fit for a phone."""

import httpx
import pytest
from django.template.loader import render_to_string
from django.test import Client

pytestmark = pytest.mark.django_db

VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1">'


def test_missing_page_is_styled_and_speaks_chinese_by_default(client: Client) -> None:
    response = client.get("/no-such-page/")
    body = response.content.decode()
    assert response.status_code == 404
    assert VIEWPORT in body and "找不到这个页面" in body and "/verify/" in body


def test_missing_page_speaks_english_to_an_english_reader(client: Client) -> None:
    body = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "This page does not exist" in body


def test_refused_csrf_is_a_page_of_the_site_not_djangos(live_server) -> None:  # type: ignore[no-untyped-def]
    """Over real HTTP: the test client skips CSRF checks, a browser does not."""
    response = httpx.post(f"{live_server.url}/portal/signin/", data={"identifier": "a@example.com"},
                          headers={"Accept-Language": "en"})
    assert response.status_code == 403
    assert "This form has expired" in response.text and VIEWPORT in response.text
    assert "CSRF verification failed" not in response.text


def test_server_error_page_needs_no_request_and_carries_both_languages() -> None:
    body = render_to_string("500.html")
    assert VIEWPORT in body and "出错了" in body and "Something went wrong" in body


def test_favicon_is_served_not_missing(live_server) -> None:  # type: ignore[no-untyped-def]
    response = httpx.get(f"{live_server.url}/favicon.ico", follow_redirects=True)
    assert response.status_code == 200 and response.text.startswith("<svg")
