from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.admin import ReadOnlyAdmin
from portal.admin_history import PortalHistoryAdmin
from portal.text import NormalisedTextForm

from .models import Acknowledgement, Option, Question


class OptionFormSet(BaseInlineFormSet):
    """A question needs 3 or 4 options with exactly one correct, and all its Welsh before it can be active."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [form.cleaned_data for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]
        if not 3 <= len(kept) <= 4:
            raise ValidationError(_("A question needs 3 or 4 answer options."))
        if sum(1 for option in kept if option.get("is_correct")) != 1:
            raise ValidationError(_("Mark exactly one answer option as correct."))
        if self.instance.is_active:
            missing = [
                _("Option %(number)s: %(field)s")
                % {"number": number, "field": Option._meta.get_field(field).verbose_name}  # type: ignore[union-attr]
                for number, option in enumerate(kept, start=1)
                for field in ("text_cy", "feedback_cy")
                if not (option.get(field) or "").strip()
            ]
            if not (self.instance.prompt_cy or "").strip():
                missing.insert(0, str(Question._meta.get_field("prompt_cy").verbose_name))
            if missing:
                raise ValidationError(
                    _("Add the Welsh before you make this question active: %(fields)s") % {"fields": "; ".join(missing)}
                )


class OptionInline(admin.StackedInline):
    model = Option
    form = NormalisedTextForm
    formset = OptionFormSet
    extra = 0
    min_num = 3
    max_num = 4
    fieldsets = [
        (None, {"fields": [("order", "is_correct")]}),
        (gettext_lazy("Answer"), {"fields": [("text_en", "text_cy")]}),
        (gettext_lazy("Feedback"), {"fields": [("feedback_en", "feedback_cy")]}),
    ]


@admin.register(Question)
class QuestionAdmin(PortalHistoryAdmin):
    form = NormalisedTextForm
    list_display = ["key", "principle", "is_active"]
    list_filter = ["principle", "is_active"]
    search_fields = ["key", "prompt_en", "prompt_cy"]
    inlines = [OptionInline]
    fieldsets = [
        (None, {"fields": ["key", "principle", "is_active"]}),
        (gettext_lazy("Scenario"), {"fields": [("prompt_en", "prompt_cy")]}),
    ]

    def has_delete_permission(self, request, obj=None):
        return False  # past attempts refer to questions: make them inactive instead


@admin.register(Acknowledgement)
class AcknowledgementAdmin(ReadOnlyAdmin):
    """Acknowledgements are evidence: never changed or deleted."""

    list_display = ["reference", "user", "cycle", "guidance_version", "created_at", "language"]
    list_filter = ["cycle", "language"]
    search_fields = ["reference", "user__username", "user__staff_number", "user__last_name"]
    readonly_fields = [field.name for field in Acknowledgement._meta.fields]
