from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy

from portal.admin_history import PortalHistoryAdmin

from portal.text import NormalisedTextForm

from .models import LegalPage
from .services import missing_welsh


class LegalPageForm(NormalisedTextForm):
    """Saved only with every Welsh field filled and different from the English, as guidance is published."""

    class Meta:
        model = LegalPage
        fields = ["title_en", "title_cy", "body_en", "body_cy"]

    def clean(self):
        cleaned = super().clean()
        for field, problem in missing_welsh(cleaned).items():
            self.add_error(field, problem)
        return cleaned


@admin.register(LegalPage)
class LegalPageAdmin(PortalHistoryAdmin):
    form = LegalPageForm
    list_display = ["kind", "title_en", "title_cy", "updated_at"]
    readonly_fields = ["kind", "updated_at"]
    fieldsets = [
        (None, {"fields": ["kind", "updated_at"]}),
        (gettext_lazy("Title"), {"fields": [("title_en", "title_cy")]}),
        (gettext_lazy("Text"), {"fields": [("body_en", "body_cy")]}),
    ]

    def save_model(self, request, obj, form, change):
        obj.updated_at = timezone.now()
        super().save_model(request, obj, form, change)

    def has_add_permission(self, request):
        return False  # the two pages are created by setup_portal; there is nothing else to add

    def has_delete_permission(self, request, obj=None):
        return False
