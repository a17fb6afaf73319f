"""``create_app(settings)``: routes, middleware, error handlers and a lifespan that opens
the store, migrates it and loads the fixtures before the first request is answered."""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import AsyncIterator, Callable

import anyio
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import ClientDisconnect

from emulator import seed
from emulator.acoustic import routes as acoustic
from emulator.acoustic import seed as acoustic_seed
from emulator.acoustic.errors import AcousticError, TokenError
from emulator.acoustic.files import FtpRoot
from emulator.acoustic.rotation import Rotator
from emulator.core.clock import Clock
from emulator.core.config import Settings
from emulator.core.errors import EloquaError, OAuthError
from emulator.core.outbound import Policy
from emulator.domain.directory import load_directory
from emulator.engine.callbacks import Outbound
from emulator.engine.worker import Worker
from emulator.http import errors
from emulator.http.faults import FaultInjector, load_rules
from emulator.http.guard import AllowedHosts, ControlGuard
from emulator.http.journal import Journal
from emulator.http.metrics import Metrics, MetricsMiddleware
from emulator.http.overrides import OverrideHeaders
from emulator.http.paths import PathNormaliser
from emulator.http.pod_headers import PodHeaders
from emulator.http.recorder import Recorder
from emulator.http.state import AppState
from emulator.routes import all_routes
from emulator.store import Store
from emulator.store.snapshots import Shelf

log = logging.getLogger("emulator")


def create_app(
    settings: Settings | None = None, *, clock: Callable[[], float] = time.time
) -> Starlette:
    settings = settings or Settings()
    # ``clock`` is the source; the app's clock is emulated on top of it (/_emulator/clock)
    emulated = clock if isinstance(clock, Clock) else Clock(clock)
    state = AppState(settings=settings, directory=load_directory(settings.users), clock=emulated)
    metrics = Metrics()
    state.journal = Journal(settings.journal_size)
    if settings.faults is not None:
        state.faults.extend(load_rules(settings.faults))
    ftp = FtpRoot(settings.acoustic_ftp_root, settings.db)  # where BEX rotations write

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        store = Store(settings.db)
        try:
            loaded = store.write_sync(seed.ensure_loaded, settings.fixtures, emulated())
            log.info(
                "fixtures %s from %s", "loaded" if loaded else "already in store", settings.fixtures
            )
            store.write_sync(acoustic_seed.ensure_loaded, settings.fixtures, emulated())
            state.store = store
            state.snapshots = Shelf(settings.snapshots_dir, settings.db)
            allowed = Policy.of(settings.outbound_allow, settings.host)  # --outbound-allow
            outbound = state.outbound = Outbound(settings.callback_timeout, allowed)
            try:
                async with anyio.create_task_group() as tasks:
                    state.worker = Worker(store, emulated, outbound, settings.sync_chunk)
                    state.worker.listeners.append(metrics.sync_ended)
                    tasks.start_soon(state.worker.run, tasks)
                    tasks.start_soon(store.checkpoints)
                    rotator = Rotator(store, ftp, emulated, settings.acoustic_empty_files)
                    state.clock_listeners.append(rotator.rotate_due)
                    tasks.start_soon(rotator.run)
                    state.ready = True
                    try:
                        yield
                    finally:
                        tasks.cancel_scope.cancel()
            finally:
                await outbound.aclose()
        finally:
            state.ready = False
            state.clock_listeners.clear()
            state.worker = None
            state.outbound = None
            state.store = None
            if state.snapshots is not None:
                state.snapshots.close()
                state.snapshots = None
            ftp.close()
            store.close()

    routes = [*all_routes(), *acoustic.routes()]
    state.after_reset.append(
        lambda db, now: acoustic_seed.reset(db, settings.fixtures, now)  # the Acoustic tables
    )
    state.after_reset.append(lambda db, now: ftp.empty())  # and the files rotations wrote
    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(AllowedHosts, settings=settings),
            Middleware(PathNormaliser, templates=[r.path for r in routes]),
            Middleware(Recorder, state=state),
            Middleware(OverrideHeaders),
            Middleware(ControlGuard, token=settings.control_token),
            Middleware(PodHeaders),
            Middleware(MetricsMiddleware, metrics=metrics),
            Middleware(FaultInjector, state=state, metrics=metrics),
        ],
        exception_handlers={
            EloquaError: errors.eloqua_error,
            OAuthError: errors.oauth_error,
            ClientDisconnect: errors.client_gone,
            AcousticError: acoustic.acoustic_error,
            TokenError: acoustic.token_error,
            # on Acoustic's paths in its envelope, elsewhere Eloqua's (emulator.http.errors)
            HTTPException: acoustic.http_exception,
            Exception: acoustic.server_error,
        },
        lifespan=lifespan,
    )
    app.state.emulator = state
    app.state.acoustic_ftp = ftp
    app.state.metrics = metrics
    return app
