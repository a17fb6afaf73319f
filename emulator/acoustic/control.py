"""The control plane's Acoustic operations: add e-mail events, rotate a BEX job now, list
the export files rotations wrote and download one. Not Acoustic's API (a pod offers none of
them): they sit under ``/_emulator/acoustic/``, behind the control plane's guards, and
fail in its ``failures`` shape; route names are the operationIds of
``openapi/emulator-control.yaml``.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from emulator.acoustic import events, rotation
from emulator.acoustic.core import files as shapes
from emulator.acoustic.core import messages as m
from emulator.acoustic.files import FtpRoot
from emulator.core.errors import Failure, ValidationFailed
from emulator.http import ids  # noqa: F401 (registers the {id:eloqua} convertor)
from emulator.http.bodies import read_json
from emulator.http.responses import json_response
from emulator.http.state import state_of

PREFIX = "/_emulator/acoustic"
EVENTS_BODY_MAX = 16 * 1024 * 1024  # 10,000 events of a few hundred bytes each


def ftp_of(request: Request) -> FtpRoot:
    """The FTP root ``create_app`` made for this app."""
    ftp: FtpRoot = request.app.state.acoustic_ftp
    return ftp


async def add_acoustic_events(request: Request) -> Response:
    """``{"events": [...]}``: all added, in order, or none (400 with every failure)."""
    state = state_of(request)
    body = await read_json(request, EVENTS_BODY_MAX)
    added = await state.db.write(events.add, body, state.clock())
    return json_response(added, 201)


async def rotate_acoustic_job(request: Request) -> Response:
    """The job's rotation now: one file of the events since its last; the next scheduled
    one is ``jobFrequency`` hours later."""
    state = state_of(request)
    done = await state.db.write(
        rotation.rotate_now,
        ftp_of(request),
        request.path_params["id"],
        state.clock(),
        state.settings.acoustic_empty_files,
    )
    return json_response(done, 201)


async def list_acoustic_files(request: Request) -> Response:
    """Newest first; ``?jobId=N`` for one job's."""
    state = state_of(request)
    text = request.query_params.get("jobId")
    job_id = None
    if text is not None:
        if not (text.isascii() and text.isdigit() and len(text) < 19):
            raise ValidationFailed([Failure("jobId", m.FILES_JOB_ID, text)])
        job_id = int(text)
    listed = await state.db.read(rotation.listing, job_id)
    return json_response({**listed, "ftpRoot": str(ftp_of(request).directory)})


async def download_acoustic_file(request: Request) -> Response:
    """The bytes of a file a rotation wrote, as they are in the FTP folder."""
    state = state_of(request)
    user, name = request.path_params["user"], request.path_params["name"]
    path, fmt = await state.db.read(rotation.find_file, ftp_of(request), user, name)
    return FileResponse(
        path,
        media_type=f"{shapes.MEDIA_TYPES[fmt]}; charset={shapes.ENCODING}",
        filename=name,
    )


def routes() -> list[Route]:
    return [
        Route(
            f"{PREFIX}/events", add_acoustic_events, methods=["POST"], name="add_acoustic_events"
        ),
        Route(
            f"{PREFIX}/jobs/{{id:eloqua}}/rotate",
            rotate_acoustic_job,
            methods=["POST"],
            name="rotate_acoustic_job",
        ),
        Route(f"{PREFIX}/files", list_acoustic_files, methods=["GET"], name="list_acoustic_files"),
        Route(
            f"{PREFIX}/files/{{user}}/{{name}}",
            download_acoustic_file,
            methods=["GET"],
            name="download_acoustic_file",
        ),
    ]
