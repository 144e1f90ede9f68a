from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal.admin_language import in_its_language

from .models import Department, ScimToken
from .scim.tokens import create_token, revoke_token


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", in_its_language(Department, "name_en"), in_its_language(Department, "name_cy")]
    search_fields = ["code", "name_en", "name_cy"]
    fields = ["code", ("name_en", "name_cy")]


class ScimTokenForm(forms.ModelForm):
    class Meta:
        model = ScimToken
        fields = ["name"]


@admin.register(ScimToken)
class ScimTokenAdmin(admin.ModelAdmin):
    """Provisioning tokens: made here (shown once), revoked here; never edited, never shown again."""

    form = ScimTokenForm
    list_display = ["name", "prefix", "created_at", "created_by", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "created_at", "created_by", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # a revoked token stays listed: who could provision, and until when

    def save_model(self, request, obj, form, change):
        token, raw = create_token(name=form.cleaned_data["name"], by=request.user)
        obj.pk = token.pk
        messages.warning(request, _("Copy the token now; it is not shown again: %(token)s") % {"token": raw})

    def response_add(self, request, obj, post_url_continue=None):
        return super().response_add(request, ScimToken.objects.get(pk=obj.pk), post_url_continue)

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        for token in queryset:
            revoke_token(token_id=token.pk)
        count = queryset.count()
        self.message_user(
            request, ngettext("%(count)s token revoked.", "%(count)s tokens revoked.", count) % {"count": count}
        )
