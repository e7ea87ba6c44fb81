from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .constants import Status
from .models import Notification
from .services import notification_retry_failed


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "channel", "status", "attempts", "addressee", "subject", "sent_at")
    list_filter = ("status", "channel", "is_bulk", "template")
    # A reporter's address is sealed (common/vault.py): not searchable and not shown here.
    search_fields = ("recipient__email", "subject")
    date_hierarchy = "created_at"
    list_select_related = ("recipient",)
    # The outbox is a log: nothing is edited by hand; context may hold a login link, so it is not shown.
    fields = (
        "recipient",
        "addressee",
        "channel",
        "template",
        "subject",
        "link",
        "status",
        "is_bulk",
        "attempts",
        "last_error",
        "created_at",
        "next_attempt_at",
        "sent_at",
        "read_at",
    )
    readonly_fields = fields
    actions = ["retry_failed"]

    @admin.display(description=_("aan"))
    def addressee(self, obj):
        if obj.data_key:
            return _("(melder; versleuteld)")
        return obj.email or obj.recipient

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Mislukte berichten opnieuw versturen"))
    def retry_failed(self, request, queryset):
        failed = list(queryset.filter(status=Status.FAILED))
        for notification in failed:
            notification_retry_failed(notification=notification)
        self.message_user(
            request,
            ngettext(
                "%(count)d bericht wordt opnieuw verstuurd.",
                "%(count)d berichten worden opnieuw verstuurd.",
                len(failed),
            )
            % {"count": len(failed)},
            messages.SUCCESS,
        )
