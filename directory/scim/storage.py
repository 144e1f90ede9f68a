"""scim2-server's storage for the portal's people: SCIM Users read from and written to the directory in the database.

Filters run in SQL (filters.py) or are refused with invalidFilter: nothing is evaluated in Python over everyone.
"""

import uuid
from contextlib import contextmanager

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from scim2_models import NotFoundException
from scim2_server.storage import ScimStorage, SearchPage

from ..models import ScimIdentity
from . import people
from .filters import sql_filter
from .provider import provider


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
        if search_request.filter is not None:
            identities = identities.filter(sql_filter(search_request.filter))
        start = search_request.start_index_0 or 0
        count = search_request.count
        total = identities.count()
        chosen = list(identities[start : None if count is None else start + count])
        return SearchPage(total, self._built(resource_type, chosen))

    def _built(self, resource_type, identities):
        managers = {identity.user.line_manager_id for identity in identities if identity.user.line_manager_id}
        manager_ids = {
            user_id: str(resource_id)
            for user_id, resource_id in ScimIdentity.objects.filter(user_id__in=managers).values_list(
                "user_id", "resource_id"
            )
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
