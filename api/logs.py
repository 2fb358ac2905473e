"""Logging for the API and the worker, with nothing secret in it.

httpx logs every request's URL at INFO, and a webhook URL can be a secret itself (Home
Assistant's `/api/webhook/<id>`), so it logs warnings only. At `debug`, SQLAlchemy logs its
statements, never at its own DEBUG, which would log every row read (password and token
hashes, webhook secrets). uvicorn's access log shows the
path, and `POST /v1/invitations/{code}/accept` carries an invitation code there: it is
replaced before the line is written, and so is a calendar feed's `?token=` (calendar apps
cannot send headers). Other tokens and passwords travel in headers and bodies, which nothing
logs; SQL is logged without its parameters (domain.db).
"""

import logging
import re

_INVITATION = re.compile(r"^(/v1/invitations/)[^/?]+")
_URL_TOKEN = re.compile(r"([?&]token=)[^&#\s]*")


def _redact(text: str) -> str:
    return _URL_TOKEN.sub(r"\1…", _INVITATION.sub(r"\1…", text))


class RedactInvitationCodes(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                _redact(arg) if isinstance(arg, str) else arg for arg in record.args
            )
        return True


def configure(level: str) -> None:
    logging.basicConfig(level=level.upper())
    root = logging.getLogger().level
    for chatty in ("httpx", "httpcore"):
        logging.getLogger(chatty).setLevel(max(logging.WARNING, root))
    if root <= logging.DEBUG:
        logging.getLogger("sqlalchemy.engine").setLevel(logging.INFO)
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, RedactInvitationCodes) for f in access.filters):
        access.addFilter(RedactInvitationCodes())
