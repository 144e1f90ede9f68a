from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from simple_history.admin import SimpleHistoryAdmin

from .models import GuidanceVersion, Principle, Section
from .services import missing_welsh, publish_version, start_draft


@admin.register(Principle)
class PrincipleAdmin(SimpleHistoryAdmin):
    list_display = ["number", "name_en", "name_cy"]
    fieldsets = [
        (None, {"fields": ["number"]}),
        (gettext_lazy("Name"), {"fields": [("name_en", "name_cy")]}),
        (gettext_lazy("Web address"), {"fields": [("slug_en", "slug_cy")]}),
        (gettext_lazy("Summary"), {"fields": [("summary_en", "summary_cy")]}),
    ]

    def has_delete_permission(self, request, obj=None):
        return False  # quiz questions and guidance sections depend on every principle


class SectionInline(admin.StackedInline):
    model = Section
    extra = 0
    fieldsets = [
        (None, {"fields": [("order", "principle")]}),
        (gettext_lazy("Web address"), {"fields": [("slug_en", "slug_cy")]}),
        (gettext_lazy("Title"), {"fields": [("title_en", "title_cy")]}),
        (gettext_lazy("Text"), {"fields": [("body_en", "body_cy")]}),
    ]

    def _editable(self, obj):
        return obj is None or not obj.is_published

    def has_add_permission(self, request, obj=None):
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and super().has_delete_permission(request, obj)


@admin.register(GuidanceVersion)
class GuidanceVersionAdmin(SimpleHistoryAdmin):
    list_display = ["number", "status", "published_at", "requires_reacknowledgement"]
    list_filter = ["status"]
    inlines = [SectionInline]
    readonly_fields = ["number", "status", "published_at", "content_sha256"]
    fieldsets = [
        (None, {"fields": ["number", "status", "published_at", "requires_reacknowledgement", "content_sha256"]}),
        (gettext_lazy("What changed"), {"fields": [("change_summary_en", "change_summary_cy")]}),
    ]
    change_form_template = "admin/guidance/guidanceversion/change_form.html"
    change_list_template = "admin/guidance/guidanceversion/change_list.html"

    def has_add_permission(self, request):
        return False  # new versions start as a copy of the current one: "Start a new draft"

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_published:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path("new-draft/", self.admin_site.admin_view(require_POST(self.new_draft)), name="guidance_new_draft"),
            path("<int:pk>/publish/", self.admin_site.admin_view(require_POST(self.publish)), name="guidance_publish"),
        ] + super().get_urls()

    def new_draft(self, request):
        if not self.has_view_permission(request) or not request.user.has_perm("guidance.add_guidanceversion"):
            return redirect("admin:index")
        draft = start_draft()
        messages.success(request, _("Draft version %(number)s is ready to edit.") % {"number": draft.number})
        return redirect("admin:guidance_guidanceversion_change", draft.pk)

    def publish(self, request, pk):
        version = get_object_or_404(GuidanceVersion, pk=pk)
        if not self.has_change_permission(request, version):
            return redirect("admin:guidance_guidanceversion_changelist")
        try:
            publish_version(version=version)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("admin:guidance_guidanceversion_change", version.pk)
        messages.success(request, _("Version %(number)s is published.") % {"number": version.number})
        return redirect("admin:guidance_guidanceversion_changelist")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        version = GuidanceVersion.objects.filter(pk=object_id).first()
        extra_context = extra_context or {}
        if version:
            extra_context["missing_welsh"] = [] if version.is_published else missing_welsh(version)
            extra_context["preview_url"] = reverse("guidance:version-contents", kwargs={"number": version.number})
        return super().change_view(request, object_id, form_url, extra_context)
