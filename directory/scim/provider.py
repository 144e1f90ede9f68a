"""What the portal's SCIM service publishes: the User resource with only the attributes the portal keeps.

The schemas are RFC 7643's own (shipped by scim2-server), trimmed to what the directory stores, plus one small
extension for the start date. Publishing only these tells Entra ID and any checker exactly what round-trips.
"""

import copy
from functools import cache

from scim2_models import (
    AuthenticationScheme,
    External,
    Reference,
    ResourceType,
    Schema,
    ScimProvider,
    ServiceProviderConfig,
)
from scim2_server.utils import load_json_resource

CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE_USER = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
PORTAL_USER = "urn:gov:wales:params:scim:schemas:extension:portal:2.0:User"
KEPT = {
    CORE_USER: {"userName", "name", "displayName", "preferredLanguage", "active", "emails"},
    ENTERPRISE_USER: {"employeeNumber", "department", "manager"},
}
NAME_PARTS = {"givenName", "familyName", "formatted"}
MAX_RESULTS = 200

PORTAL_EXTENSION = {
    "id": PORTAL_USER,
    "name": "PortalUser",
    "description": "What the social media guidance portal keeps beyond the core and enterprise user.",
    "attributes": [
        {
            "name": "employeeHireDate",
            "type": "string",
            "multiValued": False,
            "description": "The day the person started, as an ISO 8601 date (2026-04-01) or date and time, as Entra ID sends it; joiners get their own due date from it.",
            # The format by example; scim2-tester fills the attribute from these rather than with random text.
            "canonicalValues": ["2026-04-01", "2025-09-15T00:00:00Z"],
            "required": False,
            "caseExact": False,
            "mutability": "readWrite",
            "returned": "default",
            "uniqueness": "none",
        }
    ],
}


def _schemas() -> list[dict]:
    schemas = []
    for schema in copy.deepcopy(load_json_resource("default-schemas.json")):
        if schema["id"] not in KEPT:
            continue
        schema["attributes"] = [
            attribute for attribute in schema["attributes"] if attribute["name"] in KEPT[schema["id"]]
        ]
        for attribute in schema["attributes"]:
            if attribute["name"] == "name":
                attribute["subAttributes"] = [part for part in attribute["subAttributes"] if part["name"] in NAME_PARTS]
            if attribute["name"] == "userName":
                attribute["caseExact"] = False  # Entra's user principal names are compared without case
        schemas.append(schema)
    return [*schemas, PORTAL_EXTENSION]


def _resource_types() -> list[dict]:
    user = next(
        item for item in copy.deepcopy(load_json_resource("default-resource-types.json")) if item["id"] == "User"
    )
    user["schemaExtensions"] = [
        {"schema": ENTERPRISE_USER, "required": False},
        {"schema": PORTAL_USER, "required": False},
    ]
    return [user]


def _config() -> ServiceProviderConfig:
    return ServiceProviderConfig.model_validate(
        {
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
            "documentationUri": "https://github.com/",
            "patch": {"supported": True},
            "bulk": {"supported": False, "maxOperations": 0, "maxPayloadSize": 0},
            "filter": {"supported": True, "maxResults": MAX_RESULTS},
            "changePassword": {"supported": False},
            "sort": {"supported": False},
            "etag": {"supported": False},
            "authenticationSchemes": [
                AuthenticationScheme(
                    type=AuthenticationScheme.Type.oauthbearertoken,
                    name="Bearer token",
                    description="A token made by `manage.py scim_token create` or in the admin, sent as Authorization: Bearer <token>",
                    spec_uri=Reference[External]("https://datatracker.ietf.org/doc/html/rfc6750"),
                    primary=True,
                ).model_dump()
            ],
        }
    )


@cache
def provider() -> ScimProvider:
    return ScimProvider.from_discovery(
        [Schema.model_validate(schema) for schema in _schemas()],
        [ResourceType.model_validate(item) for item in _resource_types()],
        config=_config(),
    )
