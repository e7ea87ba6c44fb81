"""Reads about people and schools, scoped to the asking user."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from .access import schools_led_by as schools_led_by
from .access import schools_overseen_by as schools_overseen_by
from .constants import Role
from .models import Group, Pupil, RoleAssignment, User, current_school_year


def school_overview_for(*, user: User, school_id: int, school_year: str | None = None):
    """The school with its groups (pupil counts) and staff, or None when the user may not see it."""
    school = schools_overseen_by(user=user).filter(pk=school_id).first()
    if school is None:
        return None
    year = school_year or current_school_year()
    groups = list(
        Group.objects.filter(school=school, school_year=year)
        .annotate(pupil_count=Count("pupils"))
        .prefetch_related(Prefetch("teachers", queryset=User.objects.only("pk", "first_name", "last_name", "email")))
        .order_by("grade", "name")
    )
    staff = list(
        RoleAssignment.objects.filter(school=school, role__in=[Role.STAFF, Role.SCHOOL_LEADER])
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "role")
    )
    unplaced = Pupil.objects.filter(school=school).filter(Q(group__isnull=True) | ~Q(group__school_year=year)).count()
    return {"school": school, "school_year": year, "groups": groups, "staff": staff, "unplaced_count": unplaced}


def group_for(*, user: User, group_id: int) -> Group | None:
    return Group.objects.select_related("school").filter(pk=group_id, school__in=schools_overseen_by(user=user)).first()


def group_pupils(*, group: Group) -> QuerySet[Pupil]:
    return group.pupils.annotate(guardian_count=Count("guardianships")).order_by("last_name", "first_name")


def user_by_email(*, email: str) -> User | None:
    return User.objects.filter(email__iexact=email.strip()).first()


def functional_admins() -> QuerySet[User]:
    """The active functional admins (beheer), who keep the portal running and hear of its barriers."""
    return (
        User.objects.filter(is_active=True)
        .filter(Q(role_assignments__role=Role.FUNCTIONAL_ADMIN) | Q(is_superuser=True))
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )
