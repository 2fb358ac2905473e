"""Budgeting-app connectors: each turns one outside source into `ImportedTransaction` rows.

`build_connector` makes one from a stored connection (provider, credentials, config);
`REQUIRED` and `OPTIONAL` name the keys each provider takes, so the API can refuse a
connection that lacks one before any sync runs. Every problem with the keys is an
`InvalidInput` whose `field` is `provider`, `credentials.<key>` or `config.<key>`.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Mapping

import httpx

from domain.errors import InvalidInput
from domain.imports.records import Connector
from domain.money import is_known_currency
from integrations.connectors import lunchmoney, splitwise, ynab
from integrations.connectors.actual import ActualConnector, ActualLogin, BudgetOpener
from integrations.connectors.firefly import FireflyConnector
from integrations.connectors.http import Sleep
from integrations.connectors.lunchmoney import LunchMoneyConnector
from integrations.connectors.splitwise import SplitwiseConnector
from integrations.connectors.ynab import YnabConnector

__all__ = ["OPTIONAL", "REQUIRED", "build_connector"]

# provider: (credential keys, config keys) that must be present and non-empty
REQUIRED: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "ynab": (("token",), ("budget_id",)),
    "firefly": (("token",), ("base_url",)),
    "lunchmoney": (("token",), ()),
    "splitwise": (("api_key",), ()),
    "actual": (("password",), ("server_url", "file", "currency")),
}

# provider: (credential keys, config keys) that may be given
OPTIONAL: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "ynab": ((), ("base_url",)),
    "firefly": ((), ("overlap_days", "start_date")),
    "lunchmoney": ((), ("base_url", "overlap_days", "start_date", "page_size")),
    "splitwise": ((), ("base_url", "group_id", "page_size")),
    "actual": (("encryption_password",), ("overlap_days", "start_date")),
}


def build_connector(
    provider: str,
    client: httpx.Client,
    *,
    credentials: Mapping[str, str],
    config: Mapping[str, object],
    sleep: Sleep = time.sleep,
    today: Callable[[], dt.date] = dt.date.today,
    actual_opener: BudgetOpener | None = None,
) -> Connector:
    """The connector for one stored connection. `client` carries every HTTP request (the
    Actual connector excepted: `actualpy` has its own); `sleep` and `today` are injected so
    that retries and date windows are testable without waiting or a clock."""
    if provider not in REQUIRED:
        raise InvalidInput(
            f"unknown provider {provider!r}; expected one of {', '.join(sorted(REQUIRED))}",
            field="provider",
        )
    keys = _Keys(provider, credentials, config)
    if provider == "ynab":
        return YnabConnector(
            client,
            token=keys.secret("token"),
            budget_id=keys.text("budget_id"),
            base_url=keys.url("base_url") or ynab.DEFAULT_BASE_URL,
            sleep=sleep,
        )
    if provider == "firefly":
        return FireflyConnector(
            client,
            token=keys.secret("token"),
            base_url=keys.required_url("base_url"),
            overlap_days=keys.count("overlap_days", default=7, least=0),
            start_date=keys.date("start_date"),
            today=today,
            sleep=sleep,
        )
    if provider == "lunchmoney":
        return LunchMoneyConnector(
            client,
            token=keys.secret("token"),
            base_url=keys.url("base_url") or lunchmoney.DEFAULT_BASE_URL,
            overlap_days=keys.count("overlap_days", default=7, least=0),
            start_date=keys.date("start_date"),
            page_size=keys.count("page_size", default=500, least=1),
            today=today,
            sleep=sleep,
        )
    if provider == "splitwise":
        return SplitwiseConnector(
            client,
            api_key=keys.secret("api_key"),
            base_url=keys.url("base_url") or splitwise.DEFAULT_BASE_URL,
            group_id=keys.optional_text("group_id"),
            page_size=keys.count("page_size", default=100, least=1),
            sleep=sleep,
        )
    return ActualConnector(
        login=ActualLogin(
            server_url=keys.required_url("server_url"),
            file=keys.text("file"),
            password=keys.secret("password"),
            encryption_password=credentials.get("encryption_password") or None,
        ),
        currency=keys.currency("currency"),
        overlap_days=keys.count("overlap_days", default=7, least=0),
        start_date=keys.date("start_date"),
        today=today,
        opener=actual_opener,
    )


class _Keys:
    """Checked access to one connection's credentials and config."""

    def __init__(
        self, provider: str, credentials: Mapping[str, str], config: Mapping[str, object]
    ) -> None:
        self._credentials = credentials
        self._config = config
        required_credentials, required_config = REQUIRED[provider]
        optional_credentials, optional_config = OPTIONAL[provider]
        for section, given, known in (
            ("credentials", credentials, required_credentials + optional_credentials),
            ("config", config, required_config + optional_config),
        ):
            for key in given:
                if key not in known:
                    raise InvalidInput(
                        f"{provider} takes no {section} key {key!r}; it takes "
                        f"{', '.join(known) or 'none'}",
                        field=f"{section}.{key}",
                    )
        for key in required_credentials:
            if not isinstance(credentials.get(key), str) or not credentials[key].strip():
                raise InvalidInput(
                    f"{provider} needs the credential {key!r}", field=f"credentials.{key}"
                )
        for key in required_config:
            if config.get(key) in (None, ""):
                raise InvalidInput(f"{provider} needs the setting {key!r}", field=f"config.{key}")

    def secret(self, key: str) -> str:
        return self._credentials[key].strip()

    def optional_text(self, key: str) -> str | None:
        value = self._config.get(key)
        if value is None or value == "":
            return None
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise InvalidInput(f"{key} must be text", field=f"config.{key}")
        return str(value).strip()

    def text(self, key: str) -> str:
        value = self.optional_text(key)
        if value is None:
            raise InvalidInput(f"the setting {key!r} is missing", field=f"config.{key}")
        return value

    def url(self, key: str) -> str | None:
        value = self.optional_text(key)
        if value is not None and not value.startswith(("https://", "http://")):
            raise InvalidInput(f"{key} must be an http(s) URL", field=f"config.{key}")
        return value

    def required_url(self, key: str) -> str:
        value = self.url(key)
        if value is None:
            raise InvalidInput(f"the setting {key!r} is missing", field=f"config.{key}")
        return value

    def count(self, key: str, *, default: int, least: int) -> int:
        value = self._config.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < least:
            raise InvalidInput(
                f"{key} must be a whole number of at least {least}", field=f"config.{key}"
            )
        return value

    def date(self, key: str) -> dt.date | None:
        value = self.optional_text(key)
        if value is None:
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise InvalidInput(
                f"{key} must be a date like 2025-01-31", field=f"config.{key}"
            ) from None

    def currency(self, key: str) -> str:
        code = self.text(key).upper()
        if not is_known_currency(code):
            raise InvalidInput(
                f"{code!r} is not a supported ISO 4217 currency", field=f"config.{key}"
            )
        return code
