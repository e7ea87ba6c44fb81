from django.contrib import admin

from .models import Acknowledgement, AcknowledgementReminder, ProtocolVersion, ProtocolVersionEvent


class EventInline(admin.TabularInline):
    model = ProtocolVersionEvent
    extra = 0
    can_delete = False
    readonly_fields = ["kind", "from_status", "to_status", "by", "at", "note"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ProtocolVersion)
class ProtocolVersionAdmin(admin.ModelAdmin):
    """Read-only: versions change only through the lifecycle pages (services.py)."""

    list_display = ["__str__", "status", "council_decided_on", "adopted_on", "effective_from"]
    list_filter = ["status"]
    inlines = [EventInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Acknowledgement)
class AcknowledgementAdmin(admin.ModelAdmin):
    list_display = ["staff_member", "version", "acknowledged_at"]
    list_filter = ["version"]
    readonly_fields = ["staff_member", "version", "acknowledged_at"]
    search_fields = ["staff_member__email", "staff_member__last_name"]

    def has_add_permission(self, request):
        return False


@admin.register(AcknowledgementReminder)
class AcknowledgementReminderAdmin(admin.ModelAdmin):
    list_display = ["staff_member", "version", "after_days", "sent_by", "sent_at"]
    readonly_fields = ["staff_member", "version", "after_days", "sent_by", "sent_at"]
