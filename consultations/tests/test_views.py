"""The pages: asking keeps what was typed when something is missing; the list's queries are pinned."""

from __future__ import annotations

import pytest

from consultations import services
from consultations.models import Consultation

pytestmark = pytest.mark.django_db


def test_a_question_without_text_is_refused_and_the_choice_kept(school, teacher, logged_in):
    response = logged_in(teacher).post("/consultations/new/", {"school": school.pk, "topic": "post", "body": ""})
    assert response.status_code == 400
    assert "Dit veld is verplicht." in response.text
    assert 'value="post" class="form-check-input" id="id_topic_1" required checked' in response.text or (
        'value="post"' in response.text and "checked" in response.text
    )
    assert not Consultation.objects.exists()


def test_a_staff_member_asks_and_lands_on_the_thread(school, teacher, school_leader, logged_in):
    response = logged_in(teacher).post(
        "/consultations/new/", {"school": school.pk, "topic": "post", "body": "Mag ik deze foto plaatsen?"}, follow=True
    )
    consultation = Consultation.objects.get()
    assert response.redirect_chain[-1][0] == f"/consultations/{consultation.pk}/"
    assert "Mag ik deze foto plaatsen?" in response.text


@pytest.mark.parametrize("questions", [1, 5])
def test_the_leaders_list_takes_the_same_queries_for_few_and_many(
    questions, school, teacher, school_leader, logged_in, django_assert_num_queries
):
    for _ in range(questions):
        services.consultation_start(asker=teacher, school=school, topic="post", body="Vraag")
    client = logged_in(school_leader)
    client.get("/consultations/")
    with django_assert_num_queries(8):
        response = client.get("/consultations/")
    assert response.text.count("/consultations/") >= questions
