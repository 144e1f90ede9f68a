"""The SCIM 2.0 endpoint: a thin Django view around scim2-server's handler, authenticated by a provisioning token."""

import json
import logging

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from scim2_models import SCIMException, UnauthorizedException
from scim2_server.handler import ScimHandler
from scim2_server.requests import ScimRequest
from scim2_server.routing import Operation
from scim2_server.service import ScimService

from . import entra, tokens
from .provider import provider
from .storage import PortalUserStorage

log = logging.getLogger("directory.scim")
PREFIX = "/scim/v2"


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
    body = entra.normalise(request.method, relative, request.body)
    scim_request = ScimRequest(
        method=request.method,
        base_url=request.build_absolute_uri(PREFIX),
        path=relative,
        query=request.GET.dict(),
        headers=dict(request.headers),
        body=body,
    )
    try:
        target = handler.service.match(scim_request)
        if target.operation is not Operation.service_provider_config:
            token = tokens.authenticate(request.headers.get("Authorization"))
            if token is None:
                raise UnauthorizedException(detail="A live provisioning token is needed")
        if target.operation is Operation.patch and body != request.body and not json.loads(body).get("Operations"):
            # Every operation named an attribute the portal does not keep: nothing to change.
            scim_request = ScimRequest(method="GET", base_url=scim_request.base_url, path=relative, headers=scim_request.headers)
        response = handler.handle(scim_request)
    except SCIMException as error:
        log.info("SCIM %s %s refused: %s", request.method, relative, error)
        response = handler.service.error_response(error)
    return _respond(response)
