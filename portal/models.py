from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .i18n import active_language
from .roles import EDIT_GUIDANCE, VIEW_HR_REPORTS


class Language(models.TextChoices):
    ENGLISH = "en", "English"
    WELSH = "cy", "Cymraeg"


class OwnedQuerySet(models.QuerySet):
    """Records that belong to one person (attempts, declarations, reminders, pages read). Personal pages read them
    only through ``owned_by``, so scoping to the owner is written once."""

    owner_field = "user"

    def owned_by(self, user):
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(**{self.owner_field: user})


class Bilingual:
    """Reads a field pair such as ``name_en`` / ``name_cy`` in the active language, falling back to English."""

    def localised(self, field: str) -> str:
        return getattr(self, f"{field}_{active_language()}", "") or getattr(self, f"{field}_en")


class StaffQuerySet(models.QuerySet):
    def update(self, **kwargs):
        # However someone is made inactive (the admin, the import, SCIM), the day they left is recorded with it, so
        # they leave the cycle's figures from that day; being made active again clears it.
        if "is_active" in kwargs and "left_on" not in kwargs:
            kwargs["left_on"] = None if kwargs["is_active"] else Coalesce("left_on", models.Value(timezone.localdate()))
        return super().update(**kwargs)


# Inherited, not assigned: migrations must find the manager by its name.
class StaffManager(UserManager.from_queryset(StaffQuerySet)):  # type: ignore[misc]  # the stubs cannot follow it
    pass


class User(AbstractUser):
    """A member of staff. People leave by being made inactive, never deleted, so their records stay."""

    staff_number = models.CharField(_("staff number"), max_length=64, unique=True, null=True, blank=True)
    department = models.ForeignKey(
        "directory.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
    )
    line_manager = models.ForeignKey(
        "self", verbose_name=_("line manager"), on_delete=models.SET_NULL, null=True, blank=True, related_name="reports"
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.ENGLISH
    )
    start_date = models.DateField(
        _("start date"),
        null=True,
        blank=True,
        help_text=_("The day this person started. Someone who starts after a cycle opens has longer to complete it."),
    )
    left_on = models.DateField(
        _("left on"), null=True, blank=True, editable=False, help_text=_("The day this person was made inactive.")
    )
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    objects = StaffManager()  # type: ignore[misc]  # the stubs see AbstractUser's as a ClassVar

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("member of staff")
        verbose_name_plural = _("staff")
        indexes = [
            models.Index(fields=["department", "is_active"], name="user_dept_active"),
            models.Index(fields=["last_name", "first_name"], name="user_name"),
        ]

    def __str__(self):
        return self.get_full_name() or self.username

    def get_absolute_url(self):
        return reverse("portal:home")

    def save(self, *args, **kwargs):
        if self.is_active:
            self.left_on = None
        elif self.left_on is None:
            self.left_on = timezone.localdate()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "is_active" in update_fields:
            kwargs["update_fields"] = {*update_fields, "left_on"}
        super().save(*args, **kwargs)

    @property
    def is_hr(self) -> bool:
        return self.has_perm(VIEW_HR_REPORTS)

    @property
    def is_editor(self) -> bool:
        return self.has_perm(EDIT_GUIDANCE)


class RoleChange(models.Model):
    """Who gave or took away a role (HR, Content editors), and when. Written by a signal; never edited."""

    class Action(models.TextChoices):
        ADDED = "added", _("added")
        REMOVED = "removed", _("removed")

    person = models.ForeignKey(User, verbose_name=_("person"), on_delete=models.PROTECT, related_name="role_changes")
    role = models.CharField(_("role"), max_length=150)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    changed_by = models.ForeignKey(
        User, verbose_name=_("changed by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        ordering = ["-changed_at"]
        verbose_name = _("role change")
        verbose_name_plural = _("role changes")

    def __str__(self):
        return f"{self.person} {self.action} {self.role}"


class SharedGeneration(models.Model):
    """A counter every process reads from the database, so a change made in one process (a request, the worker,
    ``manage.py import_staff``) retires what every other process keeps in memory, with or without Redis."""

    name = models.CharField(primary_key=True, max_length=50)
    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("shared generation")

    def __str__(self):
        return f"{self.name}: {self.value}"
