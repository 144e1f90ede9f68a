"""Microsoft Entra ID's habits, turned into the RFC 7644 requests scim2-server expects, before it reads them.

Entra sends operation names as "Replace"/"Add", booleans as the strings "True"/"False", attribute paths as keys of a
path-less value ({"name.givenName": "Llŷr"}), the manager as a bare id, and attributes from its default mappings
that the portal does not keep (title, phone numbers, addresses). Those last are dropped rather than failing the
whole person: the README tells administrators to remove them from the mapping.
"""

import json

from .provider import CORE_USER, ENTERPRISE_USER, KEPT, PORTAL_USER

BOOLEAN_ATTRIBUTES = {"active", "primary"}
KNOWN_TOP = KEPT[CORE_USER] | {"schemas", "id", "externalId", "meta", ENTERPRISE_USER, PORTAL_USER}
# An extension's attributes the portal publishes; others (the enterprise costCenter, division…) are ignored like title.
EXTENSION_KEPT = {ENTERPRISE_USER: KEPT[ENTERPRISE_USER], PORTAL_USER: {"employeeHireDate"}}


def _boolean(value):
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return value


def _attribute_of(path: str) -> str:
    """The top-level attribute a PATCH path names: 'emails[type eq "work"].value' -> 'emails'."""
    for urn in (ENTERPRISE_USER, PORTAL_USER, CORE_USER):
        if path.startswith(urn + ":"):
            return urn if urn != CORE_USER else _attribute_of(path[len(urn) + 1 :])
        if path == urn:
            return urn
    return path.split("[", 1)[0].split(".", 1)[0]


def _kept(path: str) -> bool:
    attribute = _attribute_of(path)
    if attribute in EXTENSION_KEPT and path != attribute:
        return path[len(attribute) + 1 :].split("[", 1)[0].split(".", 1)[0] in EXTENSION_KEPT[attribute]
    return attribute in KNOWN_TOP


def _published(document: dict) -> dict:
    """The document without attributes, or extension sub-attributes, that the portal's schemas do not publish."""
    kept = {key: value for key, value in document.items() if _kept(key)}
    for urn, names in EXTENSION_KEPT.items():
        if isinstance(kept.get(urn), dict):
            kept[urn] = {key: value for key, value in kept[urn].items() if key in names}
    return kept


def _clean_value(path: str, value):
    leaf = path.rsplit(":", 1)[-1].rsplit(".", 1)[-1].split("[", 1)[0]
    if leaf in BOOLEAN_ATTRIBUTES:
        return _boolean(value)
    if path.endswith(":manager") and isinstance(value, str):
        return {"value": value}
    if isinstance(value, dict):
        return _clean_document(value)
    if isinstance(value, list):
        return [_clean_document(item) if isinstance(item, dict) else item for item in value]
    return value


def _clean_document(document: dict) -> dict:
    cleaned = {}
    for key, value in document.items():
        if key in BOOLEAN_ATTRIBUTES:
            value = _boolean(value)
        elif key == "manager" and isinstance(value, str):
            value = {"value": value}
        elif isinstance(value, dict):
            value = _clean_document(value)
        elif isinstance(value, list):
            value = [_clean_document(item) if isinstance(item, dict) else item for item in value]
        cleaned[key] = value
    return cleaned


def _operations(operation: dict) -> list[dict]:
    op = str(operation.get("op", "")).lower()
    path = operation.get("path")
    value = operation.get("value")
    if path:
        if not _kept(path):
            return []
        if path in EXTENSION_KEPT and isinstance(value, dict):
            value = _published({path: value})[path]
        return [
            {**operation, "op": op, "value": _clean_value(path, value)}
            if "value" in operation
            else {**operation, "op": op}
        ]
    if isinstance(value, dict):
        # A path-less value may hold dotted paths as keys; each becomes its own operation.
        plain = _published({key: val for key, val in value.items() if "." not in key.split(":")[-1]})
        dotted = [(key, val) for key, val in value.items() if "." in key.split(":")[-1] and _kept(key)]
        result = [{"op": op, "value": _clean_document(plain)}] if plain else []
        result += [{"op": op, "path": key, "value": _clean_value(key, val)} for key, val in dotted]
        return result
    return [{**operation, "op": op}]


def normalise(method: str, path: str, body: bytes) -> bytes:
    """The request body Entra sent, made standard. Anything that is not a JSON object is left for the server to refuse."""
    if method not in ("POST", "PUT", "PATCH") or not body or path.rstrip("/").endswith(".search"):
        return body
    try:
        document = json.loads(body)
    except ValueError:
        return body
    if not isinstance(document, dict):
        return body
    if method == "PATCH" and isinstance(document.get("Operations"), list):
        operations = [clean for item in document["Operations"] if isinstance(item, dict) for clean in _operations(item)]
        document = {**document, "Operations": operations}
    elif method in ("POST", "PUT") and "Operations" not in document:
        document = _clean_document(_published(document))
    return json.dumps(document).encode()
