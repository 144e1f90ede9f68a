"""scim2-server's storage for the portal's people: SCIM Users read from and written to the directory in the database.

Equality filters on userName, externalId, id and employeeNumber (what Entra ID sends) run in SQL; any other filter
is evaluated by scim2-models over the people, so every filter the RFC allows still answers correctly.
"""

import uuid
from contextlib import contextmanager

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from scim2_models import NotFoundException, ScimFilter
from scim2_models.path import CompareOperator, Comparison
from scim2_server.storage import ScimStorage, SearchPage

from ..models import ScimIdentity
from . import people
from .provider import provider

SQL_FILTERS = {
    "username": lambda value: Q(user__username__iexact=value) | Q(user__email__iexact=value),
    "externalid": lambda value: Q(external_id=value),
    "id": lambda value: Q(resource_id=_uuid(value)) if _uuid(value) else Q(pk__in=[]),
    f"{people.ENTERPRISE_USER.lower()}:employeenumber": lambda value: Q(user__staff_number=value),
    "employeenumber": lambda value: Q(user__staff_number=value),
}


def _uuid(value):
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def provisioned_people():
    """Everyone SCIM may see: people in the directory, not the portal's own administrators."""
    return get_user_model().objects.filter(is_superuser=False)


def ensure_identities() -> None:
    """People imported from a file have no SCIM id until the provisioning service first asks about them."""
    missing = provisioned_people().filter(scim_identity__isnull=True).values_list("pk", flat=True)
    ScimIdentity.objects.bulk_create([ScimIdentity(user_id=pk) for pk in missing], ignore_conflicts=True)


def _identities():
    return ScimIdentity.objects.filter(deleted_at__isnull=True, user__is_superuser=False).select_related(
        "user", "user__department", "user__line_manager"
    )


class PortalUserStorage(ScimStorage):
    def model(self, resource_type):
        return provider().model_for(resource_type)

    def build(self, resource_type, identity, manager_ids=None):
        return self.model(resource_type).model_validate(people.read(identity, manager_ids))

    def get(self, resource_type, resource_id, *, response_parameters=None):
        identifier = _uuid(resource_id)
        identity = _identities().filter(resource_id=identifier).first() if identifier else None
        if identity is None:
            raise NotFoundException(detail=f"No User {resource_id}")
        return self.build(resource_type, identity)

    def search(self, resource_types, search_request, *, position=None):
        ensure_identities()
        resource_type = resource_types[0]
        identities = _identities().order_by("pk")
        scim_filter = search_request.filter
        quick = _sql_filter(scim_filter)
        start = search_request.start_index_0 or 0
        count = search_request.count
        if scim_filter is None or quick is not None:
            if quick is not None:
                identities = identities.filter(quick)
            total = identities.count()
            chosen = list(identities[start : None if count is None else start + count])
            return SearchPage(total, self._built(resource_type, chosen))
        matching = [resource for resource in self._built(resource_type, list(identities)) if scim_filter.match(resource)]
        return SearchPage(len(matching), matching[start : None if count is None else start + count])

    def _built(self, resource_type, identities):
        managers = {identity.user.line_manager_id for identity in identities if identity.user.line_manager_id}
        manager_ids = {
            user_id: str(resource_id)
            for user_id, resource_id in ScimIdentity.objects.filter(user_id__in=managers).values_list("user_id", "resource_id")
        }
        return [self.build(resource_type, identity, manager_ids) for identity in identities]

    def create(self, resource_type, resource):
        document = people.stored_document(resource.model_dump(mode="json"))
        User = get_user_model()
        # Someone already in the directory (a file import, or deprovisioned before) is taken over, not duplicated.
        user = (
            provisioned_people()
            .filter(username__iexact=(document.get("userName") or "").strip())
            .filter(Q(scim_identity__isnull=True) | Q(scim_identity__deleted_at__isnull=False))
            .first()
        ) or User(password="!")  # an unusable password: they sign in by single sign-on
        if user.pk is None:
            user.set_unusable_password()
        people.apply(document, user, None)
        user.save()
        identity, _created = ScimIdentity.objects.get_or_create(user=user)
        identity.deleted_at = None
        return self._save(resource_type, identity, document)

    def update(self, resource_type, resource, *, expected_version=None):
        identity = _identities().filter(resource_id=_uuid(resource.id)).first()
        if identity is None:
            raise NotFoundException(detail=f"No User {resource.id}")
        document = people.stored_document(resource.model_dump(mode="json"))
        people.apply(document, identity.user, identity)
        identity.user.save()
        return self._save(resource_type, identity, document)

    def _save(self, resource_type, identity, document):
        identity.external_id = (document.pop("externalId", None) or "")[:255]
        identity.document = document
        identity.version += 1
        identity.modified_at = timezone.now()
        identity.save()
        return self.build(resource_type, identity)

    def delete(self, resource_type, resource_id, *, expected_version=None):
        identity = _identities().filter(resource_id=_uuid(resource_id)).first()
        if identity is None:
            raise NotFoundException(detail=f"No User {resource_id}")
        identity.user.is_active = False  # their attempts and declarations stay; save() records the day they left
        identity.user.save(update_fields=["is_active"])
        identity.deleted_at = timezone.now()
        identity.save(update_fields=["deleted_at"])

    @contextmanager
    def operation(self):
        with transaction.atomic():
            yield


def _sql_filter(scim_filter: ScimFilter | None) -> Q | None:
    if scim_filter is None:
        return None
    node = scim_filter.ast
    if not isinstance(node, Comparison) or node.op != CompareOperator.eq or not isinstance(node.value, str):
        return None
    make = SQL_FILTERS.get(str(node.attr_path).lower())
    return make(node.value) if make else None
