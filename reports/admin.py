from django.contrib import admin

from .models import Case, CaseAccessWithdrawal, CaseView, Evidence, Report, ReportMessage, TimelineEntry


class ReadOnlyAdmin(admin.ModelAdmin):
    """Append-only history: the back office may read it, never edit or delete it."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    """State, handler and deadlines change only through reports' services (the timeline records them)."""

    list_display = ["__str__", "school", "state", "handler", "is_about_leadership", "is_on_legal_hold", "created_at"]
    list_filter = ["state", "school", "is_about_leadership", "is_on_legal_hold"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "school", "category", "platform", "is_anonymous", "submitted_at"]
    list_filter = ["category", "platform", "school", "is_anonymous"]
    exclude = ["receipt_code_digest", "submission_key"]


@admin.register(ReportMessage)
class ReportMessageAdmin(ReadOnlyAdmin):
    list_display = ["report", "author", "handler", "created_at"]


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "report", "kind", "size", "uploaded_at"]
    exclude = ["stored_name"]


@admin.register(CaseView)
class CaseViewAdmin(ReadOnlyAdmin):
    list_display = ["case", "viewer", "viewed_at"]
    list_filter = ["viewed_at"]


@admin.register(TimelineEntry)
class TimelineEntryAdmin(ReadOnlyAdmin):
    list_display = ["case", "kind", "author", "created_at"]
    list_filter = ["kind", "created_at"]


@admin.register(CaseAccessWithdrawal)
class CaseAccessWithdrawalAdmin(ReadOnlyAdmin):
    list_display = ["case", "user", "withdrawn_by", "withdrawn_at"]
