"""/api/docs and the schema behind it: served by us, under the site's Content-Security-Policy."""

from typing import Any

import httpx

from unlockdesk.api.scopes import Scope


def test_docs_page_loads_its_assets_from_this_site(live_server: Any) -> None:
    page = httpx.get(f"{live_server.url}/api/docs")
    assert page.status_code == 200
    csp = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "cdn" not in page.text.lower() and "<script>" not in page.text
    for asset in ("swagger-ui-bundle.js", "swagger-ui-init.js", "swagger-ui.css"):
        assert f"/static/ninja/{asset}" in page.text
        assert httpx.get(f"{live_server.url}/static/ninja/{asset}").status_code == 200


def test_every_operation_names_its_scope_and_its_errors(live_server: Any) -> None:
    schema = httpx.get(f"{live_server.url}/api/v1/openapi.json").json()
    operations = [op for path in schema["paths"].values() for op in path.values()]
    assert len(operations) >= 12
    for operation in operations:
        assert operation["x-required-scope"] in Scope.values
        assert operation["security"] == [{"ApiKeyAuth": []}]
        assert {"401", "403", "429"} <= set(operation["responses"])
