"""What `make bench` serves with uvicorn: the Fairstead app, and beside it in the same
process a bare FastAPI app answering `GET /bare`.

    uvicorn bench.load.served:create --factory

The bare endpoint is the floor every figure is divided by: the same interpreter, event loop,
thread pool and uvicorn worker, and a sync route like all of Fairstead's, but no database,
no auth and no middleware. Every other path, and the lifespan, go to the app that
`fairstead serve` runs, configured by the same `FAIRSTEAD_*` variables.
"""

import os

from fastapi import FastAPI
from starlette.types import ASGIApp, Receive, Scope, Send

from api.app import create_app

BARE_PATH = "/bare"


def bare_app() -> FastAPI:
    bare = FastAPI()

    @bare.get(BARE_PATH)
    def get_bare() -> dict[str, int]:
        # Which worker answered: the runner waits until it has heard from every one.
        return {"worker": os.getpid()}

    return bare


def create() -> ASGIApp:
    fairstead = create_app()
    bare = bare_app()

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == BARE_PATH:
            await bare(scope, receive, send)
        else:
            await fairstead(scope, receive, send)

    return app
