"""Every error on the Eloqua surface is JSON in the ``failures`` shape of reference §13.2,
and nothing ever answers with a traceback."""

from __future__ import annotations

import pytest
from starlette.routing import Route

from emulator import Settings, create_app
from tests.conftest import LOCAL, basic

ERROR_CASES = [
    ("GET", "/api/bulk/2.0/nowhere", basic(), 404),
    ("GET", "/api/bulk/2.0/contacts/fields/12345678", basic(), 404),
    ("GET", "/totally/unknown", {}, 404),
    ("DELETE", "/api/bulk/2.0/contacts/fields", basic(), 405),
    ("PUT", "/id", basic(), 405),
    ("GET", "/api/bulk/2.0/contacts/fields", {}, 401),
    ("GET", "/api/bulk/2.0/contacts/fields?limit=0", basic(), 400),
    ("GET", "/api/bulk/2.0/activities/fields?activityType=x", basic(), 400),
]


@pytest.mark.parametrize(("method", "path", "headers", "status"), ERROR_CASES)
def test_errors_render_failures_with_field_and_constraint(client, method, path, headers, status):
    response = client.request(method, path, headers=headers)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    failures = response.json()["failures"]
    assert failures
    for failure in failures:
        assert set(failure) <= {"field", "constraint", "value"}
        assert isinstance(failure["field"], str)
        assert failure["field"]
        assert isinstance(failure["constraint"], str)
        assert failure["constraint"]


def test_405_names_the_allowed_methods(client) -> None:
    response = client.delete("/api/bulk/2.0/contacts/fields", headers=basic())
    assert "GET" in response.headers["allow"]
    assert response.json() == {
        "failures": [
            {
                "field": "method",
                "constraint": "The requested method is not supported by this resource.",
                "value": "DELETE",
            }
        ]
    }


def test_unexpected_errors_are_an_eloqua_shaped_500_without_details() -> None:
    from starlette.testclient import TestClient

    app = create_app(Settings(db=":memory:"))

    async def explode(request):
        raise RuntimeError("secret internals")

    app.router.routes.append(Route("/boom", explode))
    with TestClient(app, base_url=LOCAL, raise_server_exceptions=False) as client:
        response = client.get("/boom")
    assert response.status_code == 500
    assert response.json() == {
        "failures": [{"field": "request", "constraint": "The service has encountered an error."}]
    }
    assert "secret" not in response.text
