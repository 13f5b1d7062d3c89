"""The OpenAPI schema documents every route, resolves every reference, and refuses unknown fields."""

from __future__ import annotations

import json
import re

from fastapi.testclient import TestClient


def test_schema_is_served_and_every_reference_resolves(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    text = json.dumps(schema)
    referenced = set(re.findall(r"#/components/schemas/(\w+)", text))
    assert referenced <= set(schema["components"]["schemas"])
    assert "WebhookIn" in referenced


def test_every_api_route_is_documented(client: TestClient) -> None:
    documented = set(client.get("/openapi.json").json()["paths"])
    routes = {getattr(r, "path", "") for r in client.app.routes}  # type: ignore[attr-defined]
    api = {p for p in routes if p.startswith("/api/v1/") and p != "/api/v1/live"}
    assert api <= documented


def test_request_bodies_refuse_unknown_fields(client: TestClient) -> None:
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    bodies = [name for name in schemas if name.endswith("In")]
    assert bodies
    assert all(schemas[name].get("additionalProperties") is False for name in bodies)


def test_pages_forbid_inline_code_and_foreign_origins(client: TestClient) -> None:
    page = client.get("/agent")
    assert page.status_code == 200
    policy = page.headers["content-security-policy"]
    assert "default-src 'self'" in policy
    assert "unsafe-inline" not in policy
