"""A SCIM User document and a person in the directory, each made from the other.

Writing: the attributes the portal keeps are copied onto the user (name, email, staff number, department, line
manager, language, start date, active). Reading: the stored document with the user's current values laid over it.
"""

import datetime
import unicodedata

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from scim2_models import InvalidValueException, UniquenessException

from portal.text import normalise_newlines

from ..importing import values
from ..models import Department, ScimIdentity
from .provider import ENTERPRISE_USER, PORTAL_USER


def primary_email(document: dict) -> str:
    emails = [email for email in document.get("emails") or [] if isinstance(email, dict) and email.get("value")]
    chosen = next((e for e in emails if e.get("primary")), None) or next(
        (e for e in emails if e.get("type") == "work"), None
    )
    return ((chosen or (emails[0] if emails else {})).get("value") or "").strip()


def portal_language(tag: str | None) -> str:
    return (
        "cy"
        if (tag or "").strip().lower().replace("_", "-").split("-")[0] in ("cy", "cym", "welsh", "cymraeg")
        else "en"
    )


def _limit(value: str, field: str, label: str) -> str:
    value = normalise_newlines(value)
    limit = get_user_model()._meta.get_field(field).max_length  # type: ignore[union-attr]  # a text field's
    if limit is not None and len(value) > limit:
        raise InvalidValueException(detail=f"{label} is longer than {limit} characters")
    return _printable(value, label)


def _printable(value: str, label: str) -> str:
    """No control or format characters (CR/LF, ESC, BEL, U+202E and other bidi overrides): names reach email
    headers and bodies, charts and exports, where these would forge lines or reverse text."""
    for character in value:
        if unicodedata.category(character) in ("Cc", "Cf", "Zl", "Zp"):
            raise InvalidValueException(detail=f"{label} holds a control character (U+{ord(character):04X})")
    return value


def department_named(name: str) -> Department | None:
    """The department with this name or code; a new one (Welsh name to follow) if the portal has none."""
    name = normalise_newlines(name).strip()[:200]
    if not name:
        return None
    key = values.department_key(name)
    for department in Department.objects.all():
        if (
            key in (values.department_key(department.name_en), values.department_key(department.name_cy))
            or department.code.upper() == name.upper()
        ):
            return department
    taken = {code.upper() for code in Department.objects.values_list("code", flat=True)}
    return Department.objects.create(code=values.derived_code(name, taken), name_en=name, name_cy="")


def _hire_date(value) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(str(value)[:10])
    except ValueError as error:
        raise InvalidValueException(detail="employeeHireDate is not a date") from error


def apply(document: dict, user, identity: ScimIdentity | None) -> None:
    """Copy what the portal keeps from a SCIM document onto ``user`` (not saved). Refuses what the database would."""
    User = get_user_model()
    user.username = _limit((document.get("userName") or "").strip(), "username", "userName")
    if not user.username:
        raise InvalidValueException(detail="userName is required")
    others = User.objects.exclude(pk=user.pk)
    if others.filter(username__iexact=user.username).exists():
        raise UniquenessException(detail="userName is already taken")
    name = document.get("name") or {}
    user.first_name = _limit((name.get("givenName") or "").strip(), "first_name", "name.givenName")
    user.last_name = _limit((name.get("familyName") or "").strip(), "last_name", "name.familyName")
    email = _limit(primary_email(document).lower(), "email", "emails")
    if email:
        try:
            validate_email(email)
        except ValidationError as error:
            raise InvalidValueException(detail="emails holds an address that is not valid") from error
    user.email = email
    active = document.get("active")
    user.is_active = True if active is None else bool(active)  # no value means the default: active
    user.preferred_language = portal_language(document.get("preferredLanguage"))
    enterprise = document.get(ENTERPRISE_USER) or {}
    number = (enterprise.get("employeeNumber") or "").strip() or None
    if number and others.filter(staff_number=number).exists():
        raise UniquenessException(detail="employeeNumber is already another person's staff number")
    user.staff_number = _limit(number, "staff_number", "employeeNumber") if number else None
    department = _printable(str(enterprise.get("department") or ""), "department")
    user.department = department_named(department) if department else None
    manager = (enterprise.get("manager") or {}).get("value") if isinstance(enterprise.get("manager"), dict) else None
    user.line_manager = _manager(manager, user)
    user.start_date = _hire_date((document.get(PORTAL_USER) or {}).get("employeeHireDate"))


def _manager(resource_id: str | None, user):
    """The line manager a manager reference names; a reference to nobody the portal knows is kept in the document only."""
    if not resource_id:
        return None
    identity = (
        ScimIdentity.objects.filter(resource_id=_uuid(resource_id), deleted_at__isnull=True)
        .select_related("user")
        .first()
    )
    if identity is None or identity.user_id == user.pk:
        return None
    return identity.user


def _uuid(value: str):
    import uuid

    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def stored_document(document: dict) -> dict:
    """What is kept of a SCIM document: not the server's id and meta, and of the emails only the one the portal uses."""
    for label in ("displayName", "externalId"):
        _printable(str(document.get(label) or ""), label)
    _printable(str((document.get("name") or {}).get("formatted") or ""), "name.formatted")
    stored = {key: value for key, value in document.items() if key not in ("id", "meta")}
    emails = [email for email in stored.get("emails") or [] if isinstance(email, dict)]
    if emails:
        chosen = primary_email({"emails": emails}).lower()
        stored["emails"] = [email for email in emails if (email.get("value") or "").strip().lower() == chosen][:1]
    return stored


def read(identity: ScimIdentity, manager_ids: dict[int, str] | None = None) -> dict:
    """The SCIM document for a person: what was sent, with what the directory holds now laid over it."""
    user = identity.user
    document = dict(identity.document)
    document["schemas"] = sorted(set(document.get("schemas") or []) | {"urn:ietf:params:scim:schemas:core:2.0:User"})
    document["id"] = str(identity.resource_id)
    if identity.external_id:
        document["externalId"] = identity.external_id
    _overlay_core(document, user)
    _section(document, ENTERPRISE_USER, _enterprise_now(dict(document.get(ENTERPRISE_USER) or {}), user, manager_ids))
    _section(document, PORTAL_USER, _portal_now(dict(document.get(PORTAL_USER) or {}), user))
    document["meta"] = {
        "resourceType": "User",
        "created": user.date_joined.isoformat(),
        "lastModified": max(identity.modified_at, user.date_joined).isoformat(),
        "version": f'W/"{identity.version}"',
    }
    return document


def _overlay_core(document: dict, user) -> None:
    """The core schema's attributes as the directory holds them now: user name, name, email, active, language."""
    document["userName"] = user.username
    name = dict(document.get("name") or {})
    _overlay(name, "givenName", user.first_name)
    _overlay(name, "familyName", user.last_name)
    _overlay(document, "name", name)
    if user.email:
        emails = [dict(email) for email in document.get("emails") or []]
        if primary_email({"emails": emails}).lower() != user.email:
            emails = [{"value": user.email, "type": "work", "primary": True}] + [
                e for e in emails if not e.get("primary")
            ]
        document["emails"] = emails
    if "active" in document or not user.is_active:
        document["active"] = user.is_active
    if portal_language(document.get("preferredLanguage")) != user.preferred_language:
        document["preferredLanguage"] = user.preferred_language


def _enterprise_now(enterprise: dict, user, manager_ids: dict[int, str] | None) -> dict:
    """The enterprise extension as the directory holds it now: staff number, department (kept as sent while it
    names the same department) and line manager."""
    _overlay(enterprise, "employeeNumber", user.staff_number)
    department = user.department
    if department is None:
        enterprise.pop("department", None)
    elif values.department_key(enterprise.get("department") or "") not in (
        values.department_key(department.name_en),
        values.department_key(department.name_cy),
        department.code.lower(),
    ):
        enterprise["department"] = department.name_en
    if user.line_manager_id:
        manager_id = (manager_ids or {}).get(user.line_manager_id) or _identity_id(user.line_manager)
        stored = enterprise.get("manager")
        stored = stored if isinstance(stored, dict) else {}
        if stored.get("value") != manager_id:
            enterprise["manager"] = {"value": manager_id, "$ref": f"Users/{manager_id}"}  # the server makes it a URL
    elif _manager((enterprise.get("manager") or {}).get("value"), user) is not None:
        enterprise.pop("manager", None)
    return enterprise


def _portal_now(portal: dict, user) -> dict:
    if user.start_date is None:
        portal.pop("employeeHireDate", None)
    elif _hire_date(portal.get("employeeHireDate")) != user.start_date:
        portal["employeeHireDate"] = user.start_date.isoformat()
    return portal


def _overlay(section: dict, key: str, value) -> None:
    if value:
        section[key] = value
    else:
        section.pop(key, None)


def _section(document: dict, urn: str, section: dict) -> None:
    section = {key: value for key, value in section.items() if key != "schemas"}
    if section:
        document[urn] = section
        document["schemas"] = sorted(set(document["schemas"]) | {urn})
    else:
        document.pop(urn, None)
        document["schemas"] = [schema for schema in document["schemas"] if schema != urn]


def _identity_id(user) -> str:
    identity, _created = ScimIdentity.objects.get_or_create(user=user, defaults={"modified_at": timezone.now()})
    return str(identity.resource_id)
