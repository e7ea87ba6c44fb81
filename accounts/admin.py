"""The back office (Beheer). It keeps schools, people and their records, and cannot make itself the board:
leader, board and functional-admin roles are read-only here (they change through a role request a board
member approves in the portal, ``accounts:roles``), nobody's password is set here (only a link to choose
one is sent), no TOTP key is shown, and no case content is registered (SECURITY.md, "Who can read what")."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from .constants import GUARDED_ROLES
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
    RoleRequest,
    SafetyRoleHolder,
    School,
    SignInRefused,
    User,
    current_school_year,
)


class RoleAssignmentForm(forms.ModelForm):
    """A role the back office may give or change itself: staff and (G)MR secretary, never a guarded one."""

    class Meta:
        model = RoleAssignment
        fields = ("user", "role", "school", "function", "ends_on")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "role" in self.fields:
            self.fields["role"].choices = [
                choice for choice in self.fields["role"].choices if choice[0] not in GUARDED_ROLES
            ]
            self.fields["role"].help_text = _(
                "Schoolleiding, bestuur en functioneel beheer: aanvragen via Rollen in het portaal "
                "(het bestuur keurt goed)."
            )

    def clean(self):
        cleaned = super().clean()
        guarded = self.instance.pk and self.instance.role in GUARDED_ROLES
        if guarded and {"user", "role", "school", "function"} & set(self.changed_data):
            raise forms.ValidationError(_("Deze rol wijzigt alleen via Rollen in het portaal."))
        return cleaned


def _guarded(queryset):
    return queryset.filter(role__in=GUARDED_ROLES)


class RoleAssignmentInline(admin.TabularInline):
    """The roles the back office keeps itself (staff, (G)MR secretary)."""

    model = RoleAssignment
    form = RoleAssignmentForm
    extra = 0
    autocomplete_fields = ("school",)
    fields = ("role", "school", "function", "ends_on")

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(role__in=GUARDED_ROLES)


class GuardedRoleInline(admin.TabularInline):
    """Leader, board and functional-admin roles: shown, never given, changed or removed here. Only the
    end of the term is kept here: it lists the holder on the hygiene report, it opens nothing."""

    model = RoleAssignment
    extra = 0
    fields = ("role", "school", "function", "ends_on", "created_at")
    readonly_fields = ("role", "school", "function", "created_at")
    verbose_name = _("rol met toegang tot meldingen of Beheer")
    verbose_name_plural = _("rollen met toegang tot meldingen of Beheer (wijzigen via Rollen in het portaal)")

    def get_queryset(self, request):
        return _guarded(super().get_queryset(request))

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class UserAddForm(forms.ModelForm):
    """A new account without a password: the person chooses one from the e-mailed link."""

    class Meta:
        model = User
        fields = ("email", "first_name", "last_name", "language")

    def save(self, commit=True):
        user = super().save(commit=False)
        user.set_unusable_password()
        if commit:
            user.save()
        return user


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ("email",)
    list_display = ("email", "first_name", "last_name", "is_active", "last_login")
    list_filter = ("is_active", "is_staff", "role_assignments__role")
    search_fields = ("email", "first_name", "last_name")
    fieldsets = (
        (None, {"fields": ("email", "password_note")}),
        (_("Persoonsgegevens"), {"fields": ("first_name", "last_name", "language")}),
        (
            _("Rechten in de beheeromgeving"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Data"), {"fields": ("last_login", "date_joined")}),
    )
    add_form = UserAddForm
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "first_name", "last_name", "language")}),)
    # Access to the back office comes with the functional-admin role (a role request), never apart.
    readonly_fields = (
        "password_note",
        "is_staff",
        "is_superuser",
        "groups",
        "user_permissions",
        "last_login",
        "date_joined",
    )
    inlines = [GuardedRoleInline, RoleAssignmentInline]
    actions = ["send_password_link"]

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if obj is not None and _guarded(obj.role_assignments.all()).exists():
            # Whoever controls the address controls the password link: a leader's, board member's or
            # functional admin's address is not changed by the back office.
            fields = (*fields, "email")
        return fields

    @admin.display(description=_("Wachtwoord"))
    def password_note(self, obj):
        if obj is None or not obj.has_usable_password():
            return _("Nog geen wachtwoord. Alleen de persoon zelf kiest het, met een link per e-mail.")
        return _("Ingesteld. Alleen de persoon zelf wijzigt het; stuur zo nodig een link (actie in de lijst).")

    def user_change_password(self, request, id, form_url=""):
        # Nobody sets another person's password: only the link to choose one (SECURITY.md).
        raise Http404

    @admin.action(description=_("Link sturen om een wachtwoord te kiezen"), permissions=["change"])
    def send_password_link(self, request, queryset):
        from .services import password_set_link_send

        sent = 0
        for user in queryset:
            if user.is_active and user.logs_in_with_password:
                password_set_link_send(user=user)
                sent += 1
        self.message_user(
            request,
            _("Link gestuurd aan %(count)s persoon/personen (ouders en leerlingen loggen in met een inloglink).")
            % {"count": sent},
        )


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
                data=data, dry_run=cleaned["dry_run"], invite_new=cleaned["invite_new"], requested_by=request.user
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
    form = RoleAssignmentForm
    list_display = ("user", "role", "school", "function")
    list_filter = ("role", "school")
    search_fields = ("user__email", "user__last_name", "function")
    list_select_related = ("user", "school")
    autocomplete_fields = ("user", "school")

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.role in GUARDED_ROLES:
            return ("user", "role", "school", "function")  # the end of the term only (GuardedRoleInline)
        return super().get_readonly_fields(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and obj.role in GUARDED_ROLES)


@admin.register(RoleRequest)
class RoleRequestAdmin(admin.ModelAdmin):
    """Role requests and their decisions: the audit trail, read-only; they are filed and decided in the portal."""

    list_display = ("requested_at", "change", "role", "school", "user", "requested_by", "state", "decided_by")
    list_filter = ("state", "role", "change")
    search_fields = ("user__email",)
    list_select_related = ("user", "school", "requested_by", "decided_by")
    fields = (*list_display, "function", "reason", "decided_at", "portal_link")
    readonly_fields = fields

    @admin.display(description=_("In het portaal"))
    def portal_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("accounts:roles"), _("Rollen"))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# django-otp's own admin shows a device's key (the TOTP secret) on the add page and its QR code.
# Replaced: nobody reads a secret after enrolment; the back office can only see and remove a device.
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(admin.ModelAdmin):
    """Authenticator apps: who has one, and removing it (the person then links a new one at login)."""

    list_display = ("user", "name", "confirmed", "created_at", "last_used_at")
    list_filter = ("confirmed",)
    search_fields = ("user__email",)
    list_select_related = ("user",)
    fields = list_display
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


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
