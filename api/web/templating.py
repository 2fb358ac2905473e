"""Jinja2 templates (autoescaped) and Babel formatting in the reader's locale.

The locale is the browser's (Accept-Language, negotiated against Babel's data); amounts are
in the household's currency, from integer minor units, never through a float.
"""

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_datetime
from babel.numbers import format_currency, get_currency_precision
from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

TEMPLATES = Path(__file__).parent / "templates"
DEFAULT_LOCALE = "en"

environment = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(default=True),
    trim_blocks=True,
    lstrip_blocks=True,
    auto_reload=False,  # templates ship with the package: no stat() per render
)


def locale_of(request: Request) -> str:
    """The first language of the browser's list that Babel knows, else English."""
    wanted = []
    for part in request.headers.get("accept-language", "").split(",")[:10]:
        tag = part.split(";", 1)[0].strip().replace("-", "_")
        if tag and tag != "*" and len(tag) <= 20:
            wanted.append(tag)
    for tag in wanted:
        try:
            return str(Locale.parse(tag))
        except (UnknownLocaleError, ValueError):
            continue
    return DEFAULT_LOCALE


def money(minor: int, currency: str, locale: str) -> str:
    """`1234, 'EUR', 'de_DE'` → `12,34 €`; exact for any ISO 4217 exponent."""
    exponent = get_currency_precision(currency)
    return format_currency(Decimal(minor).scaleb(-exponent), currency, locale=locale)


def day(value: date | datetime, locale: str) -> str:
    if isinstance(value, datetime):
        return format_datetime(value, "medium", locale=locale)
    return format_date(value, "medium", locale=locale)


def render(
    request: Request, name: str, context: dict[str, Any], *, status_code: int = 200
) -> HTMLResponse:
    locale = locale_of(request)
    html = environment.get_template(name).render(
        {
            "request_path": request.url.path,
            "locale": locale,
            "lang": locale.split("_", 1)[0],
            "money": lambda minor, currency: money(minor, currency, locale),
            "day": lambda value: day(value, locale),
            **context,
        }
    )
    return HTMLResponse(html, status_code=status_code, headers={"Cache-Control": "no-store"})
