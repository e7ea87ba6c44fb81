from django.contrib import admin

from .models import CasePerson, Escalation, Measure, SafeHomeStepRecord, StaffConductFinding


class ReadOnlyAdmin(admin.ModelAdmin):
    """Decisions about people are made through the portal's pages, where approval is enforced."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Measure)
class MeasureAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "case", "subject_kind", "kind", "status", "decided_on"]
    list_filter = ["status", "kind", "subject_kind"]


@admin.register(Escalation)
class EscalationAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "case", "kind", "happened_on"]
    list_filter = ["kind"]


admin.site.register(CasePerson, ReadOnlyAdmin)
admin.site.register(StaffConductFinding, ReadOnlyAdmin)
admin.site.register(SafeHomeStepRecord, ReadOnlyAdmin)
