"""On Acoustic's paths every error is Acoustic's envelope (no route, wrong method, an
unexpected error); Eloqua's paths keep Eloqua's shape; and Acoustic's paths are not
folded onto Eloqua's spellings."""

from __future__ import annotations

from starlette.routing import Route
from starlette.testclient import TestClient

from emulator import Settings, create_app
from tests.acoustic.helpers import JOBS, TOKEN, Acoustic, errors
from tests.conftest import LOCAL, basic


def test_an_unknown_rest_path_is_an_envelope_404(acoustic: Acoustic) -> None:
    response = acoustic.client.get("/rest/bulkeventexport/jobs", headers=acoustic.headers)
    assert response.status_code == 404
    assert response.json() == errors(["Resource not found: /rest/bulkeventexport/jobs"])


def test_acoustic_paths_keep_their_case(acoustic: Acoustic) -> None:
    response = acoustic.client.get("/REST/bulkeventexport/jobdefinition", headers=acoustic.headers)
    assert response.status_code == 404
    assert response.json()["failures"]  # not Acoustic's path: Eloqua's 404
    # and Eloqua's REST path, spelled in lower case, is still folded onto its route
    assert acoustic.client.get("/api/rest/2.0/assets/campaigns", headers=basic()).status_code == 200


def test_a_wrong_method_is_an_envelope_405_naming_the_allowed_ones(acoustic: Acoustic) -> None:
    response = acoustic.client.patch(f"{JOBS}/1", headers=acoustic.headers)
    assert response.status_code == 405
    assert response.headers["allow"] == "DELETE, GET, HEAD, PUT"
    assert response.json() == errors(["Request method PATCH is not supported here"])
    token = acoustic.client.get(TOKEN)
    assert (token.status_code, token.headers["allow"]) == (405, "POST")
    assert token.json() == errors(["Request method GET is not supported here"])


def test_eloqua_paths_keep_eloquas_errors(client) -> None:
    response = client.get("/api/bulk/2.0/nothing-here", headers=basic())
    assert response.status_code == 404
    assert "failures" in response.json()


def test_an_unexpected_error_on_an_acoustic_path_is_an_envelope_500_without_details() -> None:
    app = create_app(Settings(db=":memory:"))

    async def explode(request):
        raise RuntimeError("secret internals")

    app.router.routes.append(Route("/rest/boom", explode))
    with TestClient(app, base_url=LOCAL, raise_server_exceptions=False) as client:
        response = client.get("/rest/boom")
    assert response.status_code == 500
    assert response.json() == errors(
        [
            "An unexpected error occurred. If the problem continues, please contact your "
            "system administrator."
        ]
    )
    assert "secret" not in response.text
