from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods
from simple_history.admin import SimpleHistoryAdmin

from guidance.models import GuidanceVersion

from .models import LinkPair, TranslationImport
from .services import MAX_BYTES, apply_import, check_import, export_for_translation, stage_import


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Translated XLIFF file"),
        error_messages={"required": gettext_lazy("Choose the translated XLIFF file")},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise ValidationError(_("The file is larger than 5 MB."), code="too_big")
        return upload


@admin.register(TranslationImport)
class TranslationImportAdmin(admin.ModelAdmin):
    """The history of translated files brought back; exporting and importing start from a draft guidance version."""

    list_display = ["filename", "status", "uploaded_by", "uploaded_at", "applied_at", "units_changed"]
    list_filter = ["status"]
    readonly_fields = [
        "export",
        "filename",
        "status",
        "problems",
        "changed_units",
        "uploaded_by",
        "uploaded_at",
        "applied_at",
    ]
    exclude = ["content"]

    @admin.display(description=gettext_lazy("units changed"))
    def units_changed(self, obj):
        return len(obj.changed_units)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        def view(function, methods):
            return self.admin_site.admin_view(require_http_methods(methods)(function))

        return [
            path("version/<int:version_pk>/", view(self.translation_page, ["GET"]), name="xliff_version"),
            path("version/<int:version_pk>/export/", view(self.export, ["POST"]), name="xliff_export"),
            path("version/<int:version_pk>/import/", view(self.upload, ["POST"]), name="xliff_upload"),
            path("<int:pk>/preview/", view(self.preview, ["GET", "POST"]), name="xliff_preview"),
        ] + super().get_urls()

    def _may_translate(self, request):
        if not request.user.has_perm("xliff.add_translationimport"):
            raise PermissionDenied

    def _draft(self, version_pk):
        return get_object_or_404(GuidanceVersion, pk=version_pk, status=GuidanceVersion.Status.DRAFT)

    def _page(self, request, template, title, **context):
        return TemplateResponse(
            request,
            f"admin/xliff/{template}",
            {**self.admin_site.each_context(request), "title": title, "opts": self.model._meta, **context},
        )

    def translation_page(self, request, version_pk, form=None, status=200):
        self._may_translate(request)
        version = self._draft(version_pk)
        response = self._page(
            request,
            "translation.html",
            _("Translate draft version %(number)s") % {"number": version.number},
            version=version,
            form=form or UploadForm(),
            imports=TranslationImport.objects.filter(export__version=version)[:10],
        )
        response.status_code = status
        return response

    def export(self, request, version_pk):
        self._may_translate(request)
        version = self._draft(version_pk)
        export, content = export_for_translation(
            version=version, everything=request.POST.get("everything") == "1", by=request.user
        )
        response = HttpResponse(content, content_type="application/x-xliff+xml; charset=utf-8")
        scope = "all" if export.everything else "new-and-changed"
        response["Content-Disposition"] = (
            f'attachment; filename="social-media-guidance-v{version.number}-{scope}-en-cy-{export.pk}.xlf"'
        )
        return response

    def upload(self, request, version_pk):
        self._may_translate(request)
        self._draft(version_pk)
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.translation_page(request, version_pk, form=form, status=400)
        upload = form.cleaned_data["file"]
        staged = stage_import(filename=upload.name, content=upload.read(), by=request.user)
        return redirect("admin:xliff_preview", staged.pk)

    def preview(self, request, pk):
        self._may_translate(request)
        staged = get_object_or_404(TranslationImport, pk=pk)
        problems = list(staged.problems)
        if request.method == "POST":
            try:
                changes = apply_import(staged=staged, by=request.user)
            except ValidationError as error:
                problems = error.messages
            else:
                count = sum(1 for change in changes if change.is_change)
                messages.success(
                    request,
                    ngettext(
                        "The Welsh from %(file)s is in place: %(count)s text changed.",
                        "The Welsh from %(file)s is in place: %(count)s texts changed.",
                        count,
                    )
                    % {"file": staged.filename, "count": count},
                )
                if staged.export is None:  # an import is always staged against its export; the list otherwise
                    return redirect("admin:guidance_guidanceversion_changelist")
                return redirect("admin:guidance_guidanceversion_change", staged.export.version_id)
        changes = []
        if staged.status == TranslationImport.Status.PREVIEW and not problems:
            _export, changes, problems = check_import(content=staged.content.encode("utf-8"))
        response = self._page(
            request,
            "preview.html",
            _("Check the Welsh from %(file)s") % {"file": staged.filename},
            staged=staged,
            problems=problems,
            changes=[change for change in changes if change.is_change],
            unchanged=[change for change in changes if not change.is_change],
        )
        if problems and request.method == "POST":
            response.status_code = 400
        return response


@admin.register(LinkPair)
class LinkPairAdmin(SimpleHistoryAdmin):
    """English addresses and their Welsh counterparts: a returned translation may link to either (xliff/files.py)."""

    list_display = ["english_address", "welsh_address"]
    search_fields = ["english_address", "welsh_address"]
    fields = ["english_address", "welsh_address"]
