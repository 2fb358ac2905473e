"""The application factory: settings in, a ready FastAPI app out."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from anyio import to_thread
from fastapi import Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.routing import APIRoute
from prometheus_client import CollectorRegistry
from sqlalchemy import Engine

from api import docs_pages, errors, logs
from api.idempotency import Idempotency, keeping_responses
from api.json_bodies import JsonBodies
from api.login_throttle import LoginThrottle
from api.middleware import BodyLimit, Metrics
from api.nul import refuse_nul_characters
from api.openapi import build_openapi
from api.ratelimit import RateLimit, counters_for
from api.reference.document import package_version
from api.revalidation import NotModified, not_modified
from api.routers import (
    absences,
    accounts,
    activity,
    agreement,
    calendars,
    check_ins,
    chore_occurrences,
    chore_preferences,
    chores,
    connections,
    decisions,
    exchange_rates,
    expenses,
    export,
    fairness,
    goal_contributions,
    goals,
    households,
    import_reviews,
    import_rules,
    imports,
    incomes,
    invitations,
    members,
    notification_targets,
    operations,
    pot_contributions,
    pots,
    recurring,
    settlements,
    time_entries,
    webhooks,
)
from api.security_headers import SecurityHeaders
from api.web import install as install_web
from api.web.money import UPLOAD_PATH as WEB_UPLOAD_PATH
from api.webhook_events import document_events
from domain.db import make_engine
from domain.settings import Settings, get_settings

DESCRIPTION = (
    "Fairstead makes a household's money, housework and decisions visible and fair: it "
    "measures each member's share against the household's own agreement and proposes "
    "redistributions that take effect only when the members affected accept them."
)


def operation_id(route: APIRoute) -> str:
    """The endpoint function's name is the operationId: `list_expenses`, `create_expense`."""
    return route.name


def create_app(settings: Settings | None = None, *, engine: Engine | None = None) -> FastAPI:
    settings = settings or get_settings()
    engine = engine or make_engine(
        settings.database_url,
        pool_size=settings.db_pool_size,
        busy_timeout_ms=settings.sqlite_busy_timeout_ms,
    )
    logs.configure(settings.log_level)
    counters = counters_for(settings, engine) if settings.rate_limit_enabled else ()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # Routes are sync and run in anyio's thread pool; size it to the connection pool so a
        # burst waits for a thread instead of timing out waiting for a connection.
        to_thread.current_default_thread_limiter().total_tokens = settings.db_pool_size
        hooks = None
        if settings.deliver_in_process:
            from integrations.hooks_runner import HookRunner

            hooks = HookRunner(engine, settings)
            hooks.start()
        try:
            yield
        finally:
            if hooks is not None:
                await to_thread.run_sync(hooks.close)
            for store in {id(c): c for c in counters}.values():
                await to_thread.run_sync(store.close)

    app = FastAPI(
        title="Fairstead",
        version=package_version(),
        description=DESCRIPTION,
        license_info={
            "name": "AGPL-3.0-or-later (this API description also MIT)",
            "identifier": "AGPL-3.0-or-later",
        },
        generate_unique_id_function=operation_id,
        docs_url=None,  # served from installed assets by api.docs_pages
        redoc_url=None,
        lifespan=lifespan,
        dependencies=[Depends(refuse_nul_characters)],
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.registry = CollectorRegistry()
    errors.install(app)
    docs_pages.install(app)
    app.add_exception_handler(NotModified, not_modified)
    for router in (
        operations.router,
        accounts.users,
        accounts.tokens,
        accounts.me,
        households.router,
        members.router,
        invitations.household_scoped,
        invitations.by_code,
        activity.router,
        expenses.router,
        settlements.router,
        recurring.router,
        exchange_rates.router,
        export.router,
        decisions.router,
        chores.router,
        chore_preferences.router,
        chore_occurrences.router,
        time_entries.router,
        absences.router,
        agreement.router,
        fairness.router,
        check_ins.router,
        imports.router,
        connections.router,
        import_rules.router,
        import_reviews.router,
        webhooks.router,
        pots.router,
        pot_contributions.router,
        incomes.router,
        goals.router,
        goal_contributions.router,
        calendars.router,
        notification_targets.router,
    ):
        app.include_router(keeping_responses(router))
    install_web(app)
    document_events(app.webhooks)
    app.openapi = lambda: build_openapi(app)  # type: ignore[method-assign]

    app.add_middleware(
        Idempotency,
        engine=engine,
        ttl_hours=settings.idempotency_ttl_hours,
        lease_seconds=settings.idempotency_lease_seconds,
    )
    if counters:
        exact, requests = counters
        app.add_middleware(
            LoginThrottle,
            counters=exact,
            per_account=settings.login_failures_per_account,
            per_account_total=settings.login_failures_per_account_total,
            per_ip=settings.login_failures_per_ip,
            window_seconds=settings.login_window_seconds,
        )
        app.add_middleware(
            RateLimit,
            counters=requests,
            per_token=settings.rate_limit_per_token,
            per_ip=settings.rate_limit_per_ip,
            window_seconds=settings.rate_limit_window_seconds,
        )
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["*"],
            allow_headers=["*"],
            expose_headers=["ETag", "Location", "Idempotency-Replayed", "Retry-After"],
        )
    app.add_middleware(JsonBodies)  # inside BodyLimit: a body too large is 413 first
    app.add_middleware(
        BodyLimit,
        max_bytes=settings.max_body_bytes,
        limits={
            imports.UPLOAD_PATH: settings.import_max_bytes,
            WEB_UPLOAD_PATH: settings.import_max_bytes,
        },
    )
    app.add_middleware(SecurityHeaders, docs_paths=docs_pages.PAGES)
    app.add_middleware(Metrics, registry=app.state.registry)
    return app
