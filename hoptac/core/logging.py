"""Log records that carry the request they belong to, and the JSON log format.

`settings.LOGGING` (config/settings/base.py) puts `RequestContextFilter` on the console handler
and picks the formatter by HOPTAC_LOG_FORMAT: `text` (the default, one readable line) or
`json` (`JsonFormatter`, one JSON object a line, for a log collector). The request id comes
from hoptac.core.request_id, which sets it for the time of each request.
"""

from __future__ import annotations

import logging
from typing import Any

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter as BaseJsonFormatter

from hoptac.core.request_id import current_request_id

# The fields every JSON line starts with, in this order; an access line adds method, path,
# status, duration_ms and user_id (hoptac.core.request_id), other records their own extras.
FIRST_FIELDS = ("time", "level", "logger", "message", "request_id")


class RequestContextFilter(logging.Filter):
    """Gives every record the id of the request being served ("-" outside a request). Django
    logs a 4xx/5xx response (`django.request`) after the middleware has returned, with the
    request attached to the record: the id is then read from the request."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            request = getattr(record, "request", None)
            record.request_id = current_request_id() or getattr(request, "request_id", None) or "-"
        return True


class JsonFormatter(BaseJsonFormatter):
    """python-json-logger, set for hoptac: time (ISO 8601, UTC), level, logger, message,
    request_id, then the record's extras; Vietnamese text kept readable (not \\u-escaped).
    Django's `request` extra (the whole request object) is left out."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(
            "%(levelname)s %(name)s %(message)s %(request_id)s",
            rename_fields={"levelname": "level", "name": "logger"},
            timestamp="time",
            reserved_attrs=[*RESERVED_ATTRS, "request", "server_time", "taskName"],
            json_ensure_ascii=False,
        )

    def process_log_record(self, log_data: dict[str, Any]) -> dict[str, Any]:
        first = {key: log_data.pop(key) for key in FIRST_FIELDS if key in log_data}
        return {**first, **log_data}
