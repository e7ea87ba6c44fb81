from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Group, Guardianship, LoginLink, Pupil, RoleAssignment, School, User


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
        (_("Persoonsgegevens"), {"fields": ("first_name", "last_name")}),
        (
            _("Rechten in de beheeromgeving"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Data"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "first_name", "last_name")}),)
    readonly_fields = ("last_login", "date_joined")
    inlines = [RoleAssignmentInline]


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ("name", "brin", "email")
    search_fields = ("name", "brin")


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


@admin.register(LoginLink)
class LoginLinkAdmin(admin.ModelAdmin):
    list_display = ("user", "created_at", "expires_at", "used_at")
    readonly_fields = ("user", "token_hash", "created_at", "expires_at", "used_at")

    def has_add_permission(self, request):
        return False
