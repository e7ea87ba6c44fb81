from __future__ import annotations

import datetime

import factory
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Group, Guardianship, Pupil, RoleAssignment, School, User, current_school_year

PASSWORD = "correct-horse-battery-staple"


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School
        django_get_or_create = ("brin",)

    name = factory.Sequence(lambda n: f"Basisschool {n}")
    brin = factory.Sequence(lambda n: f"{n:02d}ZZ")


class UserFactory(factory.django.DjangoModelFactory):
    """A person; ``roles=[("staff", school), ("board", None)]``; ``password=""`` for link-only users."""

    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"persoon{n}@example.nl")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        if extracted == "":
            obj.set_unusable_password()
        else:
            obj.set_password(extracted or PASSWORD)
        if create:
            obj.save()

    @factory.post_generation
    def roles(obj, create, extracted, **kwargs):
        for role, school in extracted or []:
            RoleAssignment.objects.create(user=obj, role=role, school=school)


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group

    school = factory.SubFactory(SchoolFactory)
    school_year = factory.LazyFunction(current_school_year)
    grade = 5
    name = factory.Sequence(lambda n: f"{n % 8 + 1}{'abcdefgh'[n % 8]}{n}")


class PupilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pupil

    school = factory.SubFactory(SchoolFactory)
    student_number = factory.Sequence(lambda n: f"{10000 + n}")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    date_of_birth = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=9 * 365))

    class Params:
        # A pupil who decides about their own consent (16 or older today).
        sixteen_plus = factory.Trait(
            date_of_birth=factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=16 * 366))
        )


class GuardianshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Guardianship

    guardian = factory.SubFactory(UserFactory)
    pupil = factory.SubFactory(PupilFactory)


def confirmed_totp(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="test", confirmed=True)
