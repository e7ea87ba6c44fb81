"""The consent form in English: the text a reader sees, signs, gets a receipt of and finds on the proof."""

from __future__ import annotations

import hashlib

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import translation

from accounts.tests.factories import GuardianshipFactory, PupilFactory, UserFactory
from common.refusals import ActionRefused
from consent.constants import Method
from consent.models import ConsentDecision, ConsentForm, ConsentFormTranslation
from consent.selectors import consent_form_text
from consent.services import consent_decide, consent_form_translation_save, consent_withdraw
from consent.tests.factories import current_form

pytestmark = pytest.mark.django_db

ENGLISH = {"HTTP_COOKIE": f"{settings.LANGUAGE_COOKIE_NAME}=en"}  # for a client without a session


@pytest.fixture(autouse=True)
def _dutch_again_afterwards():
    """A request in English leaves English active in this thread; the next test module expects Dutch."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def family(school):
    child = PupilFactory(school=school, first_name="Noor")
    mother = GuardianshipFactory(pupil=child, guardian=UserFactory(email="mother@example.nl", password="")).guardian
    father = GuardianshipFactory(pupil=child, guardian=UserFactory(email="vader@example.nl", password="")).guardian
    return child, mother, father


def _translation_text(form: ConsentForm, **changes) -> dict:
    text = form.text_in("en", form.translations.get(language="en"))
    values = {
        "title": text.title,
        "introduction": text.introduction,
        "exemptions": text.exemptions,
        "purposes": [dict(p) for p in text.purposes],
        "media": [dict(m) for m in text.media],
        "based_on_sha256": text.sha256,
    }
    values.update(changes)
    return values


# The texts ------------------------------------------------------------------------------------------


def test_version_1_has_an_english_text_with_the_same_purposes_and_media_in_the_same_order():
    form = current_form()
    english = consent_form_text(form, "en")
    assert english.language == "en"
    assert english.title == "Consent for photos, video and audio"
    assert english.purpose_codes == form.purpose_codes
    assert english.medium_codes == form.medium_codes
    assert english.label_of(purpose="website") == "The school's website"
    assert english.text_shown().startswith("Consent for photos, video and audio (version 1)\n")


def test_the_dutch_text_and_its_hash_are_what_they_always_were():
    """Decisions recorded before translations existed keep a hash that matches their text."""
    form = current_form()
    lines = [f"{form.title} (versie {form.version})", form.introduction.strip(), ""]
    lines += [f"- {p['label']}: {p['explanation']}" for p in form.purposes]
    lines += ["", "Media: " + ", ".join(m["label"] for m in form.media), "", form.exemptions.strip()]
    expected = hashlib.sha256("\n".join(lines).encode()).hexdigest()
    assert form.text_sha256() == expected == consent_form_text(form, "nl").sha256
    assert consent_form_text(form, "en").sha256 != expected


def test_a_language_without_a_translation_reads_the_dutch_text():
    form = current_form()
    ConsentFormTranslation.objects.filter(form=form).delete()
    text = consent_form_text(form, "en")
    assert text.language == "nl"
    assert text.sha256 == form.text_sha256()


# Deciding in a language ------------------------------------------------------------------------------


def test_an_english_decision_records_the_english_text_and_its_hash(family):
    child, mother, _father = family
    form = current_form()
    english = consent_form_text(form, "en")
    decision = consent_decide(
        decided_by=mother,
        form=form,
        answers={"website": {"photo": True}},
        method=Method.LOGGED_IN,
        pupil=child,
        language="en",
        text_sha256_seen=english.sha256,
    )
    assert decision.language == "en"
    assert decision.text_sha256 == english.sha256 != form.text_sha256()
    mother.refresh_from_db()
    assert mother.language == "en"  # the e-mails follow the language she decided in


def test_a_decision_on_a_text_that_changed_since_the_page_was_shown_records_nothing(family):
    child, mother, _father = family
    form = current_form()
    with pytest.raises(ActionRefused, match="veranderd"):
        consent_decide(
            decided_by=mother,
            form=form,
            answers={"website": {"photo": True}},
            method=Method.LOGGED_IN,
            pupil=child,
            language="en",
            text_sha256_seen=form.text_sha256(),  # the Dutch text's hash, sent as if English was shown
        )
    assert not ConsentDecision.objects.exists()


def test_an_english_reader_without_a_translation_decides_on_the_dutch_text_but_keeps_english_mail(family):
    child, mother, _father = family
    form = current_form()
    ConsentFormTranslation.objects.filter(form=form).delete()
    decision = consent_decide(
        decided_by=mother,
        form=form,
        answers={},
        method=Method.LOGGED_IN,
        pupil=child,
        language="en",
        text_sha256_seen=form.text_sha256(),
    )
    assert decision.language == "nl"
    assert decision.text_sha256 == form.text_sha256()
    mother.refresh_from_db()
    assert mother.language == "en"


def test_a_paper_form_entered_by_staff_leaves_the_signers_language_alone(family, teacher):
    child, mother, _father = family
    mother.language = "en"
    mother.save()
    decision = consent_decide(
        decided_by=mother,
        form=current_form(),
        answers={},
        method=Method.PAPER,
        pupil=child,
        recorded_by=teacher,
        scan_name="scans/formulier.pdf",
    )
    assert decision.language == "nl"
    mother.refresh_from_db()
    assert mother.language == "en"


def test_receipts_come_in_each_guardians_own_language(family, django_capture_on_commit_callbacks):
    child, mother, father = family
    form = current_form()
    with django_capture_on_commit_callbacks(execute=True):
        consent_decide(
            decided_by=mother,
            form=form,
            answers={"website": {"photo": True, "film": True}},
            method=Method.LOGGED_IN,
            pupil=child,
            language="en",
        )
        consent_decide(
            decided_by=father,
            form=form,
            answers={"website": {"photo": True}},
            method=Method.LOGGED_IN,
            pupil=child,
            language="nl",
        )
    (english,) = [m for m in mail.outbox if m.to == [mother.email]]
    (dutch,) = [m for m in mail.outbox if m.to == [father.email]]
    assert english.subject == "Confirmation of your choice about photos, video and audio"
    assert "The school's website: Photo, Video" in english.body
    assert "Language of the text you decided on: English" in english.body
    assert "Website van de school" not in english.body
    assert dutch.subject == "Bevestiging van uw keuze over foto's, film en geluid"
    assert "Website van de school: Foto" in dutch.body
    assert "Taal van de tekst waarop u koos: Nederlands" in dutch.body
    assert "The school's website" not in dutch.body


def test_a_withdrawal_in_english_is_recorded_on_the_english_text(family, django_capture_on_commit_callbacks):
    child, mother, _father = family
    with django_capture_on_commit_callbacks(execute=True):
        decision = consent_withdraw(decided_by=mother, method=Method.LOGGED_IN, pupil=child, language="en")
    assert decision.is_withdrawal and decision.language == "en"
    (receipt,) = [m for m in mail.outbox if m.to == [mother.email]]
    assert receipt.subject == "Confirmation: consent withdrawn"


# The pages -------------------------------------------------------------------------------------------


def test_the_consent_page_in_english_shows_the_english_text_and_carries_its_hash(family, logged_in):
    _child, mother, _father = family
    client = in_english(logged_in(mother))
    page = client.get(reverse("consent:overview")).content.decode()
    english = consent_form_text(current_form(), "en")
    assert "The schools of the SKOW ask for demonstrable written consent" in page
    assert "The school&#x27;s website" in page
    assert "Website van de school" not in page
    assert f'name="text_sha256" value="{english.sha256}"' in page
    assert 'name="text_language" value="en"' in page


def test_a_dutch_parent_sees_and_signs_the_dutch_text_as_before(family, logged_in):
    child, _mother, father = family
    client = logged_in(father)
    page = client.get(reverse("consent:overview")).content.decode()
    assert "Website van de school" in page and "The school&#x27;s website" not in page
    form = current_form()
    client.post(
        reverse("consent:decide_pupil", args=[child.pk]),
        {"website__photo": "on", "text_language": "nl", "text_sha256": form.text_sha256()},
    )
    decision = ConsentDecision.objects.get(pupil=child)
    assert decision.language == "nl" and decision.text_sha256 == form.text_sha256()
    father.refresh_from_db()
    assert father.language == "nl"


def test_a_tab_opened_in_dutch_records_dutch_even_after_switching_to_english_elsewhere(family, logged_in):
    """Two tabs: what the page showed counts, not the language the switch says when it is sent."""
    child, mother, _father = family
    client = in_english(logged_in(mother))
    form = current_form()
    client.post(
        reverse("consent:decide_pupil", args=[child.pk]),
        {"website__photo": "on", "text_language": "nl", "text_sha256": form.text_sha256()},
    )
    assert ConsentDecision.objects.get(pupil=child).language == "nl"


def test_a_changed_text_keeps_nothing_and_says_so(family, logged_in):
    child, mother, _father = family
    client = in_english(logged_in(mother))
    response = client.post(
        reverse("consent:decide_pupil", args=[child.pk]),
        {"website__photo": "on", "text_language": "en", "text_sha256": "0" * 64},
        follow=True,
    )
    assert "The text of the form changed after you opened the page" in response.content.decode()
    assert not ConsentDecision.objects.exists()


def test_the_proof_shows_the_english_text_that_was_signed_and_that_its_hash_matches(family, logged_in):
    child, mother, father = family
    form = current_form()
    decision = consent_decide(
        decided_by=mother,
        form=form,
        answers={"website": {"photo": True}},
        method=Method.LOGGED_IN,
        pupil=child,
        language="en",
    )
    # The other guardian reads the proof in Dutch: the answers in Dutch, the text as it was signed.
    page = logged_in(father).get(reverse("consent:proof", args=[decision.pk])).content.decode()
    assert "Engels" in page
    assert "klopt met de tekst hieronder" in page
    assert "Consent for photos, video and audio (version 1)" in page
    assert "Website van de school" in page  # the answers table, in the reader's words
    assert decision.text_sha256 in page


# Keeping the translations ----------------------------------------------------------------------------


def test_the_board_corrects_the_english_text_until_someone_decides_on_it(family, board_member):
    child, mother, father = family
    form = current_form()
    purposes = [dict(p) for p in form.translations.get(language="en").purposes]
    purposes[1]["label"] = "The school website"
    consent_form_translation_save(
        form=form, language="en", by=board_member, **_translation_text(form, purposes=purposes)
    )
    assert consent_form_text(form, "en").label_of(purpose="website") == "The school website"
    # A Dutch decision does not freeze the English text; an English one does.
    consent_decide(decided_by=father, form=form, answers={}, method=Method.LOGGED_IN, pupil=child, language="nl")
    consent_form_translation_save(form=form, language="en", by=board_member, **_translation_text(form, title="Consent"))
    consent_decide(decided_by=mother, form=form, answers={}, method=Method.LOGGED_IN, pupil=child, language="en")
    with pytest.raises(ActionRefused, match="verandert daarom niet meer"):
        consent_form_translation_save(
            form=form, language="en", by=board_member, **_translation_text(form, title="Something else")
        )
    assert consent_form_text(form, "en").title == "Consent"


def test_a_save_on_top_of_someone_elses_save_is_refused(board_member, functional_admin):
    form = current_form()
    stale = _translation_text(form)
    consent_form_translation_save(form=form, language="en", by=functional_admin, **{**stale, "title": "First"})
    with pytest.raises(ActionRefused, match="intussen opgeslagen"):
        consent_form_translation_save(form=form, language="en", by=board_member, **{**stale, "title": "Second"})
    assert consent_form_text(form, "en").title == "First"


@pytest.mark.parametrize("who", ["teacher", "school_leader", "parent"])
def test_only_the_board_and_the_functional_admin_keep_the_texts(request, who):
    form = current_form()
    with pytest.raises(ActionRefused):
        consent_form_translation_save(
            form=form, language="en", by=request.getfixturevalue(who), **_translation_text(form)
        )


def test_the_dutch_text_is_not_kept_as_a_translation(board_member):
    form = current_form()
    with pytest.raises(ActionRefused):
        consent_form_translation_save(form=form, language="nl", by=board_member, **_translation_text(form))


def test_a_translation_must_keep_the_forms_purposes(board_member):
    form = current_form()
    text = _translation_text(form)
    with pytest.raises(ActionRefused):
        consent_form_translation_save(
            form=form, language="en", by=board_member, **{**text, "purposes": text["purposes"][1:]}
        )


def test_the_edit_page_saves_and_keeps_what_was_typed_when_refused(logged_in, board_member, family):
    child, mother, _father = family
    form = current_form()
    client = logged_in(board_member)
    url = reverse("consent:form_translation", args=[1, "en"])
    page = client.get(url).content.decode()
    assert "Website van de school" in page and "The school&#x27;s website" in page
    data = {
        "title": "Consent for photos, video and audio",
        "introduction": "Intro",
        "exemptions": "Exempt",
        "based_on": consent_form_text(form, "en").sha256,
    }
    for p in form.purposes:
        data[f"purpose_{p['code']}_label"] = p["code"].upper()
        data[f"purpose_{p['code']}_explanation"] = "Explained"
    for m in form.media:
        data[f"medium_{m['code']}_label"] = m["code"].title()
    response = client.post(url, data, follow=True)
    assert "is opgeslagen" in response.content.decode()
    assert consent_form_text(form, "en").label_of(purpose="website") == "WEBSITE"
    # Someone decides on it: the page shows the text and no longer offers to change it.
    consent_decide(decided_by=mother, form=form, answers={}, method=Method.LOGGED_IN, pupil=child, language="en")
    page = client.get(url).content.decode()
    assert "verandert daarom niet meer" in page and "Tekst opslaan" not in page
    response = client.post(url, {**data, "based_on": consent_form_text(form, "en").sha256, "title": "Typed"})
    content = response.content.decode()
    assert "verandert daarom niet meer" in content
    assert "Wat u typte" in content and "Typed" in content  # nothing typed is lost
    assert consent_form_text(form, "en").title == "Consent for photos, video and audio"


def test_an_empty_field_is_refused_in_dutch_and_keeps_the_rest(logged_in, board_member):
    client = logged_in(board_member)
    url = reverse("consent:form_translation", args=[1, "en"])
    response = client.post(url, {"title": "Kept title", "introduction": "", "exemptions": "x"})
    content = response.content.decode()
    assert "Dit veld is verplicht" in content
    assert 'value="Kept title"' in content
    assert consent_form_text(current_form(), "en").title == "Consent for photos, video and audio"


def test_the_list_of_form_texts_is_pinned_in_queries(logged_in, board_member, django_assert_num_queries):
    client = logged_in(board_member)
    url = reverse("consent:form_texts")
    client.get(url)
    with django_assert_num_queries(9) as one_version:
        client.get(url)
    ConsentForm.objects.create(version=2, title="Versie 2", introduction="i", exemptions="e", purposes=[], media=[])
    ConsentForm.objects.create(version=3, title="Versie 3", introduction="i", exemptions="e", purposes=[], media=[])
    with django_assert_num_queries(len(one_version.captured_queries)):
        page = client.get(url).content.decode()
    assert "Versie 3" in page and "nog geen tekst" in page


# The reader's language -------------------------------------------------------------------------------


def test_the_language_switch_remembers_a_logged_in_persons_choice_for_e_mails_and_other_browsers(
    client, family, logged_in
):
    _child, mother, _father = family
    logged_in(mother)
    client.post(reverse("set_language"), {"language": "en", "next": "/consent/"}, HTTP_SEC_FETCH_SITE="same-origin")
    mother.refresh_from_db()
    assert mother.language == "en"
    # Another browser, without a language cookie: English from the stored choice.
    other = logged_in(mother, client=type(client)())
    assert "Consent for photos, video and audio" in other.get(reverse("consent:overview")).content.decode()
    # A browser where Dutch was picked stays Dutch.
    other.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    assert "Website van de school" in other.get(reverse("consent:overview")).content.decode()


def test_the_parents_guide_is_in_english_for_english_readers(client):
    page = client.get(reverse("help_guide", args=["ouders"]), **ENGLISH).content.decode()
    assert "For parents and guardians" in page and 'lang="en"' in page
    dutch = client.get(reverse("help_guide", args=["ouders"])).content.decode()
    assert "Voor ouders en verzorgers" in dutch
    index = client.get(reverse("help"), **ENGLISH).content.decode()
    assert index.count("(in Dutch)") == 4  # the staff, leaders', board's and functional admin's guides


def test_campaign_invitations_go_in_each_recipients_language_with_an_english_pointer_in_the_dutch_one(
    school, school_leader, django_capture_on_commit_callbacks
):
    from consent.campaigns import consent_campaign_start

    dutch = GuardianshipFactory(pupil=PupilFactory(school=school), guardian=UserFactory(password="")).guardian
    english = GuardianshipFactory(
        pupil=PupilFactory(school=school), guardian=UserFactory(password="", language="en")
    ).guardian
    with django_capture_on_commit_callbacks(execute=True):
        consent_campaign_start(school=school, school_year="2026-2027", started_by=school_leader)
    (to_dutch,) = [m for m in mail.outbox if m.to == [dutch.email]]
    (to_english,) = [m for m in mail.outbox if m.to == [english.email]]
    assert to_dutch.subject.startswith("Toestemming voor foto's, film en geluid")
    assert "English-speaking? The page behind the link is also in English" in to_dutch.body
    assert to_english.subject.startswith("Consent for photos, video and audio")
    assert "English-speaking?" not in to_english.body
    assert to_english.body.startswith("Dear parent, guardian, pupil or colleague,")


def test_staff_enter_a_paper_form_signed_in_english_and_the_proof_shows_that_text(
    logged_in, teacher, school, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from accounts.tests.factories import GroupFactory

    settings.PRIVATE_STORAGE_ROOT = str(tmp_path / "private")
    group = GroupFactory(school=school, name="6a", grade=6)
    group.teachers.add(teacher)
    child = PupilFactory(school=school, group=group)
    mother = GuardianshipFactory(pupil=child, guardian=UserFactory(password="")).guardian
    client = logged_in(teacher)
    url = reverse("consent:paper_pupil", args=[child.pk])
    page = client.get(url).content.decode()
    assert "Taal van het formulier" in page and '<option value="en"' in page
    scan = SimpleUploadedFile("formulier.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    client.post(
        url,
        {
            "signed_by": mother.pk,
            "signed_on": "2026-09-01",
            "website__photo": "on",
            "scan": scan,
            "text_language": "en",
        },
    )
    decision = ConsentDecision.objects.get(pupil=child)
    assert (decision.method, decision.language) == (Method.PAPER, "en")
    assert decision.text_sha256 == consent_form_text(current_form(), "en").sha256
    proof = client.get(reverse("consent:proof", args=[decision.pk])).content.decode()
    assert "Consent for photos, video and audio (version 1)" in proof
    mother.refresh_from_db()
    assert mother.language == ""  # a paper form says nothing about the language of her e-mails


def test_the_paper_form_offers_no_language_choice_without_a_translation(logged_in, teacher, school):
    from accounts.tests.factories import GroupFactory

    ConsentFormTranslation.objects.all().delete()
    group = GroupFactory(school=school, name="6a", grade=6)
    group.teachers.add(teacher)
    child = PupilFactory(school=school, group=group)
    GuardianshipFactory(pupil=child)
    page = logged_in(teacher).get(reverse("consent:paper_pupil", args=[child.pk])).content.decode()
    assert "Taal van het formulier" not in page


# The one-form consent page and the campaign link ------------------------------------------------------


@pytest.fixture
def two_children(school):
    mother = UserFactory(email="mother@example.nl", password="")
    kids = [
        GuardianshipFactory(guardian=mother, pupil=PupilFactory(school=school, first_name=name)).pupil
        for name in ("Noor", "Sem")
    ]
    return mother, kids


def _unseen(*kids) -> dict[str, str]:
    return {f"p{kid.pk}-seen": "0" for kid in kids}


def test_one_save_in_english_records_the_english_text_for_every_child(two_children, logged_in):
    mother, (noor, sem) = two_children
    client = in_english(logged_in(mother))
    english = consent_form_text(current_form(), "en")
    page = client.get(reverse("consent:overview")).content.decode()
    # One pair of hidden fields for the whole page, not one per card.
    assert page.count('name="text_sha256"') == 1 and f'name="text_sha256" value="{english.sha256}"' in page
    response = client.post(
        reverse("consent:overview"),
        {
            f"p{noor.pk}-website__photo": "on",
            f"p{sem.pk}-newsletter__film": "on",
            **_unseen(noor, sem),
            "text_language": "en",
            "text_sha256": english.sha256,
        },
    )
    assert response.status_code == 302
    decisions = ConsentDecision.objects.filter(pupil__in=(noor, sem))
    assert decisions.count() == 2
    assert {(d.language, d.text_sha256) for d in decisions} == {("en", english.sha256)}
    mother.refresh_from_db()
    assert mother.language == "en"


def test_a_text_changed_after_the_page_opened_saves_nothing_and_keeps_every_tick(two_children, logged_in):
    mother, (noor, sem) = two_children
    client = in_english(logged_in(mother))
    english = consent_form_text(current_form(), "en")
    response = client.post(
        reverse("consent:overview"),
        {
            f"p{noor.pk}-website__photo": "on",
            f"p{sem.pk}-newsletter__film": "on",
            **_unseen(noor, sem),
            "text_language": "en",
            "text_sha256": "0" * 64,  # the text the page showed is no longer the text
        },
    )
    page = response.content.decode()
    assert response.status_code == 409
    assert "the text of the form changed after you opened the page" in page
    assert not ConsentDecision.objects.exists()
    assert f'name="p{noor.pk}-website__photo" id="id_p{noor.pk}-website__photo" checked' in page
    assert f'name="p{sem.pk}-newsletter__film" id="id_p{sem.pk}-newsletter__film" checked' in page
    assert f'name="p{sem.pk}-website__photo" id="id_p{sem.pk}-website__photo" checked' not in page
    # The page now carries the text as it is: saving again from it works.
    assert f'name="text_sha256" value="{english.sha256}"' in page
    client.post(
        reverse("consent:overview"),
        {
            f"p{noor.pk}-website__photo": "on",
            **_unseen(noor, sem),
            "text_language": "en",
            "text_sha256": english.sha256,
        },
    )
    assert ConsentDecision.objects.filter(pupil=noor, language="en").exists()


def test_withdrawing_one_card_of_the_english_page_records_the_english_text(two_children, logged_in):
    mother, (noor, sem) = two_children
    consent_decide(
        decided_by=mother,
        form=current_form(),
        answers={"website": {"photo": True}},
        method=Method.LOGGED_IN,
        pupil=noor,
    )
    client = in_english(logged_in(mother))
    seen = {f"p{noor.pk}-seen": ConsentDecision.objects.get(pupil=noor).pk, f"p{sem.pk}-seen": "0"}
    response = client.post(
        reverse("consent:overview"),
        {"withdraw": f"p{noor.pk}", **seen, "text_language": "en", "text_sha256": "0" * 64},
    )
    assert response.status_code == 302
    withdrawal = ConsentDecision.objects.filter(pupil=noor).latest("decided_at")
    assert withdrawal.is_withdrawal and withdrawal.language == "en"


def test_the_campaign_link_page_in_english_records_the_english_text_and_keeps_ticks_on_a_changed_text(
    two_children, client, school, school_leader, django_capture_on_commit_callbacks
):
    import re

    from accounts.models import current_school_year
    from consent.campaigns import consent_campaign_start

    mother, (noor, sem) = two_children
    with django_capture_on_commit_callbacks(execute=True):
        consent_campaign_start(school=school, school_year=current_school_year(), started_by=school_leader)
    (link,) = [
        found
        for message in mail.outbox
        if message.to == [mother.email]
        for found in re.findall(r"/consent/invitation/[^/\s]+/", message.body)
    ]
    in_english(client)
    english = consent_form_text(current_form(), "en")
    page = client.get(link, follow=True).content.decode()
    assert "The school&#x27;s website" in page and f'name="text_sha256" value="{english.sha256}"' in page
    invitation = reverse("consent:invitation")
    ticks = {f"p{noor.pk}-website__photo": "on", f"p{sem.pk}-newsletter__photo": "on", **_unseen(noor, sem)}
    refused = client.post(invitation, {**ticks, "text_language": "en", "text_sha256": "0" * 64})
    assert refused.status_code == 409 and not ConsentDecision.objects.exists()
    assert f'name="p{sem.pk}-newsletter__photo" id="id_p{sem.pk}-newsletter__photo" checked' in refused.content.decode()
    saved = client.post(invitation, {**ticks, "text_language": "en", "text_sha256": english.sha256})
    assert saved.status_code == 302
    decisions = ConsentDecision.objects.filter(pupil__in=(noor, sem))
    assert {(d.method, d.language, d.text_sha256) for d in decisions} == {(Method.LINK, "en", english.sha256)}
