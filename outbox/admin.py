from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal.admin import ReadOnlyAdmin

from .models import OutgoingEmail
from .services import retry_email


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(ReadOnlyAdmin):
    """What the portal has emailed, is about to, or could not: HR and editors see every message and resend failures."""

    list_display = ["created_at", "to_address", "kind", "status", "attempts", "sent_at", "next_attempt_at"]
    list_filter = ["status", "kind", "language"]
    search_fields = ["about", "to_address", "subject", "recipient__username", "recipient__last_name"]
    date_hierarchy = "created_at"
    actions = ["send_again"]
    fields = [
        ("to_address", "reply_to"),
        ("recipient", "sent_by"),
        ("kind", "language", "about"),
        ("status", "attempts"),
        ("created_at", "sent_at", "next_attempt_at"),
        "last_error",
        "message_id",
        "subject",
        "body",
    ]
    readonly_fields = [name for entry in fields for name in ((entry,) if isinstance(entry, str) else entry)]

    def has_retry_permission(self, request):
        return request.user.has_perm("outbox.retry_outgoingemail")

    @admin.action(description=_("Send the selected failed emails again"), permissions=["retry"])
    def send_again(self, request, queryset):
        resent = 0
        for email in queryset.filter(status=OutgoingEmail.Status.FAILED):
            if retry_email(email=email):
                self.log_change(request, email, str(_("Queued to send again")))
                resent += 1
        skipped = queryset.count() - resent
        if resent:
            self.message_user(
                request,
                ngettext("%(count)s email queued to send again.", "%(count)s emails queued to send again.", resent)
                % {"count": resent},
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)s email was not failed, so it was left as it is.",
                    "%(count)s emails were not failed, so they were left as they are.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )
