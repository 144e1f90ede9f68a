"""The request (or task) id every log line carries: set once at the start, read by the logging filter."""

import contextvars
import re
import uuid

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

# HAProxy's unique-id, a UUID, or any short token; anything else (too long, odd characters) is replaced, so a client
# cannot write arbitrary text into the operators' logs.
_ACCEPTABLE = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def new_id() -> str:
    return uuid.uuid4().hex


def accept(header_value: str | None) -> str:
    return header_value if header_value and _ACCEPTABLE.match(header_value) else new_id()
