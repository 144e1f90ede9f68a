from django.contrib import admin
from django.utils.translation import gettext_lazy

from portal.admin_history import PortalHistoryAdmin
from portal.admin_language import in_its_language
from portal.text import NormalisedTextForm

from .models import LegalPage
from .services import missing_welsh, update_legal_page


class LegalPageForm(NormalisedTextForm):
    """Saved only with every Welsh field filled and different from the English, as guidance is published."""

    class Meta:
        model = LegalPage
        fields = ["title_en", "title_cy", "body_en", "body_cy"]

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        for field, problem in missing_welsh(cleaned).items():
            self.add_error(field, problem)
        return cleaned


@admin.register(LegalPage)
class LegalPageAdmin(PortalHistoryAdmin):
    form = LegalPageForm
    list_display = [
        "kind",
        in_its_language(LegalPage, "title_en"),
        in_its_language(LegalPage, "title_cy"),
        "updated_at",
    ]
    readonly_fields = ["kind", "updated_at"]
    fieldsets = [
        (None, {"fields": ["kind", "updated_at"]}),
        (gettext_lazy("Title"), {"fields": [("title_en", "title_cy")]}),
        (gettext_lazy("Text"), {"fields": [("body_en", "body_cy")]}),
    ]

    def save_model(self, request, obj, form, change):
        obj._history_user = request.user  # what SimpleHistoryAdmin.save_model would record
        update_legal_page(page=obj, **{name: form.cleaned_data[name] for name in LegalPageForm.Meta.fields})

    def has_add_permission(self, request):
        return False  # the two pages are created by setup_portal; there is nothing else to add

    def has_delete_permission(self, request, obj=None):
        return False
