from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from portal.admin_history import PortalHistoryAdmin
from portal.admin_language import in_its_language
from portal.text import NormalisedTextForm

from .comparison import compare_versions, previous_published
from .models import GuidanceVersion, Principle, Section
from .review import english_changed_welsh_not, needs_welsh_review, published_counterparts, review_stamp
from .services import publish_problems, publish_version, start_draft
from .signals import publishing_previewed


@admin.register(Principle)
class PrincipleAdmin(PortalHistoryAdmin):
    form = NormalisedTextForm
    list_display = ["number", in_its_language(Principle, "name_en"), in_its_language(Principle, "name_cy")]
    fieldsets = [
        (None, {"fields": ["number"]}),
        (gettext_lazy("Name"), {"fields": [("name_en", "name_cy")]}),
        (gettext_lazy("Web address"), {"fields": [("slug_en", "slug_cy")]}),
        (gettext_lazy("Summary"), {"fields": [("summary_en", "summary_cy")]}),
    ]

    def has_delete_permission(self, request, obj=None):
        return False  # quiz questions and guidance sections depend on every principle


class SectionForm(NormalisedTextForm):
    """A draft section, with "Welsh reviewed" offered while its English has changed since publication and its Welsh
    has not (see guidance/review.py). The box always starts unticked: ticking it records a review of the English as
    saved now; leaving it unticked keeps an earlier review only while the English is still what was reviewed, so a
    box a browser sends back as it was rendered can never re-stamp a review of other words."""

    welsh_reviewed = forms.BooleanField(label=gettext_lazy("Welsh reviewed"), required=False)

    class Meta:
        model = Section
        fields = ["order", "principle", "slug_en", "slug_cy", "title_en", "title_cy", "body_en", "body_cy"]

    def __init__(self, *args, published=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.reviewable = bool(self.instance.pk and english_changed_welsh_not(self.instance, published))
        if not self.reviewable:  # nothing to review: the row is hidden
            self.fields["welsh_reviewed"].widget = forms.HiddenInput()
        elif needs_welsh_review(self.instance, published):
            self.fields["welsh_reviewed"].help_text = gettext_lazy(
                "The English of this section changed since the last published version and the Welsh did not. "
                "Tick once a Welsh speaker has checked that the Welsh still says the same."
            )
        else:
            self.fields["welsh_reviewed"].help_text = gettext_lazy(
                "The Welsh has been reviewed against the English as it is now. If you change the English, the Welsh "
                "must be reviewed again."
            )

    def save(self, commit=True):
        section = super().save(commit=False)
        ticked = self.reviewable and self.cleaned_data["welsh_reviewed"]
        section.welsh_reviewed_sha256 = review_stamp(section, reviewed_now=ticked)
        if commit:
            section.save()
        return section


class SectionFormSet(forms.BaseInlineFormSet):
    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        if not hasattr(self, "_published"):
            self._published = published_counterparts(self.instance) if self.instance.pk else {}
        instance = self.get_queryset()[index] if index is not None and index < self.initial_form_count() else None
        kwargs["published"] = self._published.get(instance.pk) if instance else None
        return kwargs


class SectionInline(admin.StackedInline):
    model = Section
    form = SectionForm
    formset = SectionFormSet
    extra = 0
    fieldsets = [
        (None, {"fields": [("order", "principle")]}),
        (gettext_lazy("Web address"), {"fields": [("slug_en", "slug_cy")]}),
        (gettext_lazy("Title"), {"fields": [("title_en", "title_cy")]}),
        (gettext_lazy("Text"), {"fields": [("body_en", "body_cy")]}),
    ]

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None and not obj.is_published:
            fieldsets.append((None, {"fields": ["welsh_reviewed"]}))
        return fieldsets

    def _editable(self, obj):
        return obj is None or not obj.is_published

    def has_add_permission(self, request, obj=None):
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and super().has_delete_permission(request, obj)


@admin.register(GuidanceVersion)
class GuidanceVersionAdmin(PortalHistoryAdmin):
    form = NormalisedTextForm
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
            path(
                "<int:pk>/publish/",
                self.admin_site.admin_view(require_http_methods(["GET", "POST"])(self.publish)),
                name="guidance_publish",
            ),
        ] + super().get_urls()

    def new_draft(self, request):
        if not self.has_view_permission(request) or not request.user.has_perm("guidance.add_guidanceversion"):
            return redirect("admin:index")
        draft = start_draft()
        messages.success(request, _("Draft version %(number)s is ready to edit.") % {"number": draft.number})
        return redirect("admin:guidance_guidanceversion_change", draft.pk)

    def publish(self, request, pk):
        """GET: what publishing will change, in both languages, or what stops it. POST: publish."""
        version = get_object_or_404(GuidanceVersion, pk=pk)
        if not self.has_change_permission(request, version):
            return redirect("admin:guidance_guidanceversion_changelist")
        problems = publish_problems(version)
        consequence = next(
            (
                answer
                for _receiver, answer in publishing_previewed.send(sender=GuidanceVersion, version=version)
                if answer
            ),
            None,
        )
        # The editor says they have read the consequence: a required box, checked here too (not only by the browser).
        not_understood = request.method == "POST" and request.POST.get("consequence_understood") != "yes"
        if request.method == "POST" and not problems and not not_understood:
            try:
                publish_version(version=version)
            except ValidationError as error:
                problems = error.messages
            else:
                messages.success(request, _("Version %(number)s is published.") % {"number": version.number})
                return redirect("admin:guidance_guidanceversion_changelist")
        published = previous_published(version)
        comparisons = []
        if published and not problems:
            for language, name in (("en", _("English")), ("cy", _("Welsh"))):
                with translation.override(language):  # the words for screen readers in the text's own language
                    comparisons.append(
                        (language, name, compare_versions(old=published, new=version, language=language))
                    )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Publish version %(number)s") % {"number": version.number},
            "opts": self.model._meta,
            "original": version,
            "problems": problems,
            "published": published,
            "comparisons": comparisons,
            "consequence": consequence,
            "consequence_languages": [("en", _("English")), ("cy", _("Welsh"))],
            "not_understood": not_understood,
        }
        return TemplateResponse(
            request,
            "admin/guidance/guidanceversion/publish.html",
            context,
            status=400 if (problems or not_understood) and request.method == "POST" else 200,
        )

    def revert_disabled(self, request, obj=None):
        # obj is the version as it was then (perhaps a draft): whether it may change is a question about it now.
        published = obj is not None and GuidanceVersion.objects.published().filter(pk=obj.pk).exists()
        return published or super().revert_disabled(request, obj)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """An earlier state of a draft can be restored; a published version stays as staff read it (a message, not a
        server error, however the form was sent)."""
        if not (str(object_id).isdigit() and str(version_id).isdigit()):
            raise Http404
        refusal = _("A published version cannot be changed. Start a new draft instead.")
        history = reverse("admin:guidance_guidanceversion_history", args=[object_id])
        if request.method == "POST" and GuidanceVersion.objects.published().filter(pk=object_id).exists():
            messages.error(request, refusal)
            return redirect(history)
        try:
            return super().history_form_view(request, object_id, version_id, extra_context)
        except ValidationError as error:  # published between the check and the save
            messages.error(request, " ".join(error.messages))
            return redirect(history)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        version = GuidanceVersion.objects.filter(pk=object_id).first()
        extra_context = extra_context or {}
        if version:
            extra_context["publish_problems"] = [] if version.is_published else publish_problems(version)
            extra_context["preview_url"] = reverse("guidance:version-contents", kwargs={"number": version.number})
        return super().change_view(request, object_id, form_url, extra_context)
