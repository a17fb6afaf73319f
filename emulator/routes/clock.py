"""The emulated clock (``core/clock``): read it, move it forward, or set it to a later
moment. Every ``now`` of the emulator reads it, so a test sees tokens expire, staged and
exported data and definitions go, and ``seconds:S`` syncs progress without waiting."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from emulator.core import clock
from emulator.http.bodies import read_json
from emulator.http.responses import json_response
from emulator.http.state import state_of


async def get_clock(request: Request) -> Response:
    return json_response(clock.describe(state_of(request).clock))


async def advance_clock(request: Request) -> Response:
    """``{"seconds": N}``; the worker is woken to purge what the jump made expire, and the
    Acoustic rotations the jump passed are written before the answer."""
    state = state_of(request)
    clock.advance(state.clock, await read_json(request))
    await state.clock_moved()
    return json_response(clock.describe(state.clock))


async def set_clock(request: Request) -> Response:
    """``{"now": "<ISO 8601>"}``, never earlier than the clock shows (409)."""
    state = state_of(request)
    clock.set_to(state.clock, await read_json(request))
    await state.clock_moved()
    return json_response(clock.describe(state.clock))


def routes() -> list[Route]:
    return [
        Route("/_emulator/clock", get_clock, methods=["GET"], name="get_clock"),
        Route("/_emulator/clock", set_clock, methods=["POST"], name="set_clock"),
        Route("/_emulator/clock/advance", advance_clock, methods=["POST"], name="advance_clock"),
    ]
