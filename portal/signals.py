"""Records every change to a person's roles, with who made it (the request simple-history keeps for the thread)."""

from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from simple_history.models import HistoricalRecords

from .models import RoleChange, User


def _acting_user():
    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


@receiver(m2m_changed, sender=User.groups.through)
def record_role_change(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove") or not pk_set:
        return
    kind = RoleChange.Action.ADDED if action == "post_add" else RoleChange.Action.REMOVED
    if reverse:  # group.user_set.add(...): instance is the group
        pairs = [(person_pk, instance.name) for person_pk in pk_set]
    else:
        names = dict(Group.objects.filter(pk__in=pk_set).values_list("pk", "name"))
        pairs = [(instance.pk, names[group_pk]) for group_pk in pk_set]
    actor = _acting_user()
    RoleChange.objects.bulk_create(
        RoleChange(person_id=person_pk, role=name, action=kind, changed_by=actor) for person_pk, name in pairs
    )
