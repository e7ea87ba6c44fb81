"""The regeling of the staff channel is a versioned document beside the protocol: its own numbers,
its own version in force, the same steps ((G)MR consent before adoption)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from common.refusals import ActionRefused
from policy import selectors, services
from policy.constants import Document, VersionStatus
from policy.tests.factories import version_1

pytestmark = pytest.mark.django_db


def _regulation_in_force(board_member, council_secretary):
    draft = services.protocol_draft_create(
        by=board_member, change_note="Eerste regeling", document=Document.WHISTLEBLOWING
    )
    services.protocol_version_submit(version=draft, by=board_member)
    today = datetime.date.today()
    services.protocol_version_council_consent(
        version=draft, by=council_secretary, decided_on=today, minutes_reference="GMR 1"
    )
    return services.protocol_version_adopt(version=draft, by=board_member, adopted_on=today, effective_from=today)


def test_the_regeling_starts_from_the_model_text_and_needs_the_councils_consent(board_member):
    version_1()
    draft = services.protocol_draft_create(
        by=board_member, change_note="Eerste regeling", document=Document.WHISTLEBLOWING
    )
    assert draft.document == Document.WHISTLEBLOWING and draft.based_on is None
    assert "Huis voor Klokkenluiders" in draft.body
    services.protocol_version_submit(version=draft, by=board_member)
    with pytest.raises(ActionRefused):
        services.protocol_version_adopt(
            version=draft, by=board_member, adopted_on=datetime.date.today(), effective_from=datetime.date.today()
        )


def test_the_regeling_numbers_its_own_versions_and_leaves_the_protocol_in_force(board_member, council_secretary):
    protocol = version_1()
    regulation = _regulation_in_force(board_member, council_secretary)
    assert regulation.number == 1 and regulation.status == VersionStatus.IN_FORCE
    protocol.refresh_from_db()
    assert protocol.status == VersionStatus.IN_FORCE
    assert selectors.protocol_version_in_force() == protocol
    assert selectors.document_version_in_force(document=Document.WHISTLEBLOWING) == regulation
    # A second version of the regeling starts from the first and supersedes it, not the protocol.
    second = services.protocol_draft_create(by=board_member, change_note="Tweede", document=Document.WHISTLEBLOWING)
    assert second.based_on == regulation
    services.protocol_version_submit(version=second, by=board_member)
    today = datetime.date.today()
    services.protocol_version_council_consent(
        version=second, by=council_secretary, decided_on=today, minutes_reference="GMR 2"
    )
    second = services.protocol_version_adopt(version=second, by=board_member, adopted_on=today, effective_from=today)
    assert second.number == 2
    regulation.refresh_from_db()
    protocol.refresh_from_db()
    assert regulation.status == VersionStatus.SUPERSEDED and protocol.status == VersionStatus.IN_FORCE


def test_the_public_protocol_pages_never_show_the_regeling(client, board_member, council_secretary):
    version_1()
    _regulation_in_force(board_member, council_secretary)
    assert "Protocol Sociale Media" in client.get(reverse("policy:current")).content.decode()
    history = client.get(reverse("policy:history")).content.decode()
    assert "Regeling melden" not in history


def test_the_board_drafts_the_regeling_from_the_drafts_page(client, logged_in, board_member):
    version_1()
    logged_in(board_member)
    response = client.post(
        reverse("policy:draft_new"), {"document": Document.WHISTLEBLOWING, "change_note": "Eerste regeling"}
    )
    assert response.status_code == 302
    page = client.get(reverse("policy:drafts")).content.decode()
    assert "Regeling melden vermoeden van een misstand" in page
