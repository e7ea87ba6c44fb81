from __future__ import annotations

import datetime

import factory

from policy.constants import PUBLIC_STATUSES, VersionStatus
from policy.models import ProtocolVersion, ProtocolVersionEvent
from policy.version_1 import install_version_1


def version_1() -> ProtocolVersion:
    """Version 1, as the data migration installs it (again after a transactional test's flush)."""
    install_version_1(ProtocolVersion, ProtocolVersionEvent)
    return ProtocolVersion.objects.get(number=1, document="protocol")


class ProtocolVersionFactory(factory.django.DjangoModelFactory):
    """A version; a draft by default, ``adopted=True`` / ``in_force=True`` for a numbered one."""

    class Meta:
        model = ProtocolVersion

    status = VersionStatus.DRAFT
    title = "Protocol Sociale Media SKOW"
    body = "## Uitgangspunten {#uitgangspunten}\n\n1. De SKOW onderkent het belang van sociale media.\n"
    change_note = "Een wijziging."
    # A draft starts from the newest adopted version (services.protocol_draft_create does the same).
    based_on = factory.LazyFunction(
        lambda: ProtocolVersion.objects.filter(status__in=PUBLIC_STATUSES).order_by("-number").first()
    )

    class Params:
        submitted = factory.Trait(status=VersionStatus.SUBMITTED)
        consented = factory.Trait(status=VersionStatus.COUNCIL_CONSENTED, council_decided_on=datetime.date(2026, 9, 1))
        refused = factory.Trait(
            status=VersionStatus.COUNCIL_REFUSED,
            council_decided_on=datetime.date(2026, 9, 1),
            council_refusal_reasons="Te vaag.",
        )
        adopted = factory.Trait(
            status=VersionStatus.ADOPTED,
            number=factory.Sequence(lambda n: n + 2),
            council_decided_on=datetime.date(2026, 9, 1),
            adopted_on=datetime.date(2026, 9, 15),
            effective_from=datetime.date(2026, 10, 1),
        )
