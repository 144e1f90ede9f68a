"""The SCIM 2.0 endpoint: a thin Django view around scim2-server's handler, authenticated by a provisioning token.

Before anything reads the body: the token is checked (wrong tokens are counted per client address and slowed), then
the body's size and nesting are bounded, and startIndex and count are brought within what a page can be.
"""

import json
import logging

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from scim2_models import NotFoundException, NotImplementedException, SCIMException, UnauthorizedException
from scim2_server.handler import ScimHandler
from scim2_server.requests import ScimRequest
from scim2_server.routing import Operation
from scim2_server.service import ScimService

from . import entra, guard, tokens
from .provider import provider
from .storage import PortalUserStorage

log = logging.getLogger("directory.scim")
PREFIX = "/scim/v2"
LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"


def _handler() -> ScimHandler:
    return ScimHandler(ScimService(provider()), PortalUserStorage())


def _respond(response) -> HttpResponse:
    body = "" if response.body is None else json.dumps(response.body)
    reply = HttpResponse(body, status=response.status.value, content_type=response.headers.get("Content-Type"))
    for name, value in response.headers.items():
        if name.lower() != "content-type":
            reply[name] = value
    reply["Cache-Control"] = "no-store"
    return reply


@csrf_exempt
@login_not_required
def endpoint(request, path: str = ""):
    handler = _handler()
    relative = "/" + path.removesuffix(".scim")
    try:
        if relative.rstrip("/") != "/ServiceProviderConfig":
            refused = _authenticate(request)
            if refused is not None:
                return refused
        if relative.rstrip("/").split("/")[1:2] == ["Groups"]:
            return _groups(request, relative)
        raw = guard.bounded_body(request)
        body = entra.normalise(request.method, relative, raw)
        scim_request = ScimRequest(
            method=request.method,
            base_url=request.build_absolute_uri(PREFIX),
            path=relative,
            query=guard.bounded_query(request.GET.dict()),
            headers=dict(request.headers),
            body=body,
        )
        target = handler.service.match(scim_request)
        if target.operation is Operation.patch and body != raw and not json.loads(body).get("Operations"):
            # Every operation named an attribute the portal does not keep: nothing to change.
            scim_request = ScimRequest(
                method="GET", base_url=scim_request.base_url, path=relative, headers=scim_request.headers
            )
        response = handler.handle(scim_request)
    except SCIMException as error:
        log.info("SCIM %s %s refused: %s", request.method, relative, error)
        response = handler.service.error_response(error)
    return _respond(response)


def _authenticate(request) -> HttpResponse | None:
    """None for a live token, else 401; an address that keeps sending wrong tokens gets 429 until it waits
    (RFC 6585; SCIM's own tooMany is about filters, so the error body carries no scimType)."""
    address = guard.client_address(request)
    if guard.too_many_failures(address):
        log.warning("SCIM: too many wrong tokens from %s", address)
        error = {
            "schemas": [ERROR],
            "status": "429",
            "detail": "Too many wrong tokens from this address: wait a few minutes",
        }
        reply = HttpResponse(json.dumps(error), status=429, content_type="application/scim+json")
        reply["Retry-After"] = str(settings.SCIM_TOKEN_FAILURE_WINDOW)
        return reply
    if tokens.authenticate(request.headers.get("Authorization")) is None:
        guard.record_failure(address)
        raise UnauthorizedException(detail="A live provisioning token is needed")
    return None


def _groups(request, relative: str) -> HttpResponse:
    """Groups are not provisioned (README, SCIM set-up). A search finds none, so Entra's lookup is clean; anything
    that would create or change a group is 501, which Entra's provisioning log shows the administrator."""
    if request.method != "GET":
        raise NotImplementedException(
            detail="Group provisioning is off: in Entra set Provision Microsoft Entra ID Groups to No"
        )
    if relative.rstrip("/") != "/Groups":
        raise NotFoundException(detail="No such Group: the portal does not provision groups")
    empty = {"schemas": [LIST_RESPONSE], "totalResults": 0, "startIndex": 1, "itemsPerPage": 0, "Resources": []}
    reply = HttpResponse(json.dumps(empty), content_type="application/scim+json")
    reply["Cache-Control"] = "no-store"
    return reply
