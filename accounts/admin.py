from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from .forms import PupilImportForm, StaffImportForm
from .imports import ImportRejected, pupils_import, staff_import
from .models import (
    AccountDisabling,
    Group,
    Guardianship,
    LoginLink,
    ProviderIdentity,
    Pupil,
    RoleAssignment,
    SafetyRoleHolder,
    School,
    SignInRefused,
    User,
    current_school_year,
)


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ("school",)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ("email",)
    list_display = ("email", "first_name", "last_name", "is_active", "last_login")
    list_filter = ("is_active", "is_staff", "role_assignments__role")
    search_fields = ("email", "first_name", "last_name")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Persoonsgegevens"), {"fields": ("first_name", "last_name", "language")}),
        (
            _("Rechten in de beheeromgeving"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Data"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "first_name", "last_name", "language")}),)
    readonly_fields = ("last_login", "date_joined")
    inlines = [RoleAssignmentInline]


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ("name", "brin", "email")
    search_fields = ("name", "brin")
    actions = ["import_pupils_action", "import_staff_action"]
    change_list_template = "admin/accounts/school/change_list.html"

    def get_urls(self):
        own = [
            path(
                "<int:school_id>/import-pupils/",
                self.admin_site.admin_view(self.import_pupils_view),
                name="accounts_school_import_pupils",
            ),
            path(
                "import-staff/", self.admin_site.admin_view(self.import_staff_view), name="accounts_school_import_staff"
            ),
        ]
        return own + super().get_urls()

    @admin.action(description=_("Leerlingen en ouders importeren (CSV)"), permissions=["change"])
    def import_pupils_action(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Kies precies één school om leerlingen voor te importeren."), messages.WARNING)
            return None
        return redirect("admin:accounts_school_import_pupils", school_id=queryset.get().pk)

    @admin.action(description=_("Medewerkers importeren (CSV)"), permissions=["change"])
    def import_staff_action(self, request, queryset):
        return redirect("admin:accounts_school_import_staff")

    def import_pupils_view(self, request, school_id: int):
        if not self.has_change_permission(request):
            raise PermissionDenied
        school = get_object_or_404(School, pk=school_id)
        form = PupilImportForm(
            request.POST or None, request.FILES or None, initial={"school_year": current_school_year()}
        )
        return self._import_page(
            request,
            form,
            title=_("Leerlingen en ouders importeren voor %(school)s") % {"school": school.name},
            run=lambda data, cleaned: pupils_import(
                data=data, school=school, school_year=cleaned["school_year"], dry_run=cleaned["dry_run"]
            ),
            columns="leerlingnummer; voornaam; tussenvoegsel; achternaam; geboortedatum; groep; "
            "e-mail ouder 1; e-mail ouder 2",
        )

    def import_staff_view(self, request):
        if not self.has_change_permission(request):
            raise PermissionDenied
        form = StaffImportForm(request.POST or None, request.FILES or None, initial={"invite_new": True})
        return self._import_page(
            request,
            form,
            title=_("Medewerkers importeren"),
            run=lambda data, cleaned: staff_import(
                data=data, dry_run=cleaned["dry_run"], invite_new=cleaned["invite_new"]
            ),
            columns="naam; e-mail; functie; school",
        )

    def _import_page(self, request, form, *, title, run, columns):
        errors = result = None
        if request.method == "POST" and form.is_valid():
            try:
                result = run(form.cleaned_data["file"].read(), form.cleaned_data)
            except ImportRejected as rejected:
                errors = rejected.errors
            else:
                if not result.dry_run:
                    self.message_user(
                        request, _("Import gelukt: %(summary)s.") % {"summary": ", ".join(result.summary())}
                    )
                    return redirect("admin:accounts_school_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "form": form,
            "errors": errors,
            "result": result,
            "columns": columns,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/accounts/school/import.html", context)


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ("name", "school", "school_year", "grade")
    list_filter = ("school", "school_year", "grade")
    search_fields = ("name",)
    filter_horizontal = ("teachers",)


class GuardianshipInline(admin.TabularInline):
    model = Guardianship
    extra = 0
    autocomplete_fields = ("guardian",)


@admin.register(Pupil)
class PupilAdmin(admin.ModelAdmin):
    list_display = ("student_number", "full_name", "school", "group", "date_of_birth")
    list_filter = ("school", "group__school_year", "group__grade")
    search_fields = ("student_number", "first_name", "last_name")
    list_select_related = ("school", "group")
    autocomplete_fields = ("user",)
    inlines = [GuardianshipInline]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "school", "function")
    list_filter = ("role", "school")
    search_fields = ("user__email", "user__last_name", "function")
    list_select_related = ("user", "school")
    autocomplete_fields = ("user", "school")


@admin.register(SafetyRoleHolder)
class SafetyRoleHolderAdmin(admin.ModelAdmin):
    """The role register (WPO art. 4c): who is the aanspreekpunt pesten, the vertrouwenspersoon, ...
    of each school, from when until when. An expired holder drops off the school's public page and
    receives no more reports; end a term by setting "geldig tot en met", so the history stays."""

    list_display = ("school", "role", "display_name", "valid_from", "valid_to")
    list_filter = ("role", "school")
    search_fields = ("name", "user__email", "user__last_name", "school__name")
    list_select_related = ("user", "school")
    autocomplete_fields = ("user", "school")
    fields = ("school", "role", "user", "name", "email", "phone", "availability", "valid_from", "valid_to")


@admin.register(LoginLink)
class LoginLinkAdmin(admin.ModelAdmin):
    list_display = ("user", "created_at", "expires_at", "used_at")
    readonly_fields = ("user", "token_hash", "created_at", "expires_at", "used_at")

    def has_add_permission(self, request):
        return False


@admin.register(ProviderIdentity)
class ProviderIdentityAdmin(admin.ModelAdmin):
    """Which portal account a Microsoft or Google account was matched to. Deleting a row unlinks it:
    the next sign-in is matched on the e-mail address again."""

    list_display = ("user", "provider", "email_at_match", "matched_at", "last_sign_in_at", "last_multi_factor_at")
    list_filter = ("provider",)
    search_fields = ("user__email", "email_at_match")
    fields = (*list_display, "checked_at")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SignInRefused)
class SignInRefusedAdmin(admin.ModelAdmin):
    """Refused sign-ins through a provider (read-only): who tried without an account in the portal."""

    list_display = ("at", "provider", "email", "reason")
    list_filter = ("provider", "reason")
    search_fields = ("email",)
    readonly_fields = list_display

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AccountDisabling)
class AccountDisablingAdmin(admin.ModelAdmin):
    """Accounts disabled from the hygiene report: the log (read-only, never deleted here)."""

    list_display = ("at", "user", "reason", "disabled_by")
    list_filter = ("reason",)
    search_fields = ("user__email",)
    readonly_fields = list_display

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
