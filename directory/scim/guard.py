"""What the SCIM endpoint checks before the server sees a request: failed tokens per address, body size and nesting,
and the paging numbers. Each refusal is a SCIM error, never a 500."""

import re

from django.conf import settings
from django.core.cache import cache
from scim2_models import InvalidSyntaxException, InvalidValueException, PayloadTooLargeException

from portal.sign_in_limits import client_address as _client_address

from .provider import MAX_RESULTS

MAX_START_INDEX = 2_000_000_000  # beyond any directory; keeps OFFSET inside a database integer
JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"')
BRACKET = re.compile(rb"[\[\]{}]")


def client_address(request) -> str:
    return _client_address(request) or "unknown"


def _failures_key(address: str) -> str:
    return f"scim-token-failures:{address}"


def too_many_failures(address: str) -> bool:
    return (cache.get(_failures_key(address)) or 0) >= settings.SCIM_TOKEN_FAILURE_LIMIT


def record_failure(address: str) -> None:
    """Count a wrong token; the count ends SCIM_TOKEN_FAILURE_WINDOW seconds after the first failure."""
    key = _failures_key(address)
    if not cache.add(key, 1, timeout=settings.SCIM_TOKEN_FAILURE_WINDOW):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=settings.SCIM_TOKEN_FAILURE_WINDOW)


def bounded_body(request) -> bytes:
    """The body, once its declared and real size and its JSON nesting are within a user's document."""
    limit = settings.SCIM_MAX_BODY_BYTES
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        raise PayloadTooLargeException(detail=f"The body is larger than {limit} bytes")
    body = request.body
    if len(body) > limit:
        raise PayloadTooLargeException(detail=f"The body is larger than {limit} bytes")
    depth = deepest = 0
    for bracket in BRACKET.findall(JSON_STRING.sub(b"", body)):
        depth += 1 if bracket in b"[{" else -1
        deepest = max(deepest, depth)
        if deepest > settings.SCIM_MAX_JSON_DEPTH:
            raise InvalidSyntaxException(detail=f"The JSON is nested more than {settings.SCIM_MAX_JSON_DEPTH} deep")
    return body


def bounded_query(query: dict) -> dict:
    """startIndex from 1 to two thousand million and count from 0 to the published maximum; not a number is 400."""
    query = dict(query)
    for name, low, high in (("startIndex", 1, MAX_START_INDEX), ("count", 0, MAX_RESULTS)):
        if name in query:
            try:
                number = int(str(query[name]).strip())
            except ValueError as error:
                raise InvalidValueException(detail=f"{name} must be a whole number") from error
            query[name] = str(min(max(number, low), high))
    return query
