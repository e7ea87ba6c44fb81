"""One small board the cross-portal tests speak about: two schools, a person per role, and an object
of each kind in school A and in school B (or another family, another case).

A new app's pages: create one object of each kind its URLs take here, in school A and elsewhere
(``self.measure_a``, ``self.measure_b``), then give the URLs their rows in test_access_matrix.py."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from accounts.tests.factories import GroupFactory, GuardianshipFactory, PupilFactory, UserFactory


class World:
    """Two schools; in A a family, a pupil of 16, a teacher and the leader; in B another family and leader."""

    def __init__(self, tmp_path):
        from accounts.tests.factories import SchoolFactory
        from consent.models import ConsentCampaign, ConsentDecision, Publication, TakedownTask
        from consent.tests.factories import all_yes, current_form
        from notifications.models import Notification
        from policy.tests.factories import ProtocolVersionFactory, version_1
        from reports.models import Evidence
        from reports.services import receipt_code_new
        from reports.tests.factories import ReportFactory

        now = timezone.now()
        self.school_a = SchoolFactory(name="Sint-Jozefschool", brin="01AB")
        self.school_b = SchoolFactory(name="Basisschool De Windroos", brin="02CD")
        self.group_a = GroupFactory(school=self.school_a)
        self.group_b = GroupFactory(school=self.school_b)

        self.users = {
            "parent": UserFactory(email="ouder@example.nl", password=""),
            "pupil": UserFactory(email="leerling@example.nl", password=""),
            "staff": UserFactory(email="leerkracht@example.nl", roles=[("staff", self.school_a)]),
            "leader_a": UserFactory(
                email="directeur-a@example.nl", roles=[("school_leader", self.school_a), ("staff", self.school_a)]
            ),
            "leader_b": UserFactory(
                email="directeur-b@example.nl", roles=[("school_leader", self.school_b), ("staff", self.school_b)]
            ),
            "council": UserFactory(email="gmr@example.nl", roles=[("council_secretary", None)]),
            "board": UserFactory(email="bestuur@example.nl", roles=[("board", None)]),
            "admin": UserFactory(
                email="beheer@example.nl", is_staff=True, is_superuser=True, roles=[("functional_admin", None)]
            ),
        }
        self.group_a.teachers.add(self.users["staff"])
        from accounts.models import RoleRequest

        self.role_request = RoleRequest.objects.create(
            user=self.users["staff"], role="board", change="grant", requested_by=self.users["admin"]
        )

        self.pupil_a = PupilFactory(school=self.school_a, group=self.group_a)
        GuardianshipFactory(guardian=self.users["parent"], pupil=self.pupil_a)
        self.pupil_16 = PupilFactory(
            school=self.school_a, group=self.group_a, sixteen_plus=True, user=self.users["pupil"]
        )
        self.pupil_other_family = PupilFactory(school=self.school_a, group=self.group_a)
        GuardianshipFactory(
            guardian=UserFactory(email="andere-ouder@example.nl", password=""), pupil=self.pupil_other_family
        )
        self.pupil_b = PupilFactory(school=self.school_b, group=self.group_b)
        parent_b = UserFactory(email="ouder-b@example.nl", password="")
        GuardianshipFactory(guardian=parent_b, pupil=self.pupil_b)

        form = current_form()
        self.decision_a = self._decision(ConsentDecision, form, all_yes(form), self.pupil_a, self.users["parent"], now)
        self.decision_b = self._decision(ConsentDecision, form, all_yes(form), self.pupil_b, parent_b, now)
        self.campaign_a = ConsentCampaign.objects.create(
            school=self.school_a,
            school_year="2026-2027",
            form=form,
            started_by=self.users["leader_a"],
            started_at=now,
            closes_at=now + datetime.timedelta(days=30),
        )
        self.campaign_b = ConsentCampaign.objects.create(
            school=self.school_b,
            school_year="2026-2027",
            form=form,
            started_by=self.users["leader_b"],
            started_at=now,
            closes_at=now + datetime.timedelta(days=30),
        )
        publication = Publication.objects.create(
            created_by=self.users["staff"],
            group=self.group_a,
            purpose="website",
            medium="photo",
            description="Schoolreisje",
            published_at=now,
        )
        self.takedown_staff = TakedownTask.objects.create(
            publication=publication,
            pupil=self.pupil_a,
            assigned_to=self.users["staff"],
            created_at=now,
            due_at=now + datetime.timedelta(days=2),
        )
        self.notification_parent = Notification.objects.create(
            recipient=self.users["parent"], channel="in_app", template="test", subject="Test", link="/consent/"
        )

        version_1()
        self.version_number = 1
        self.missing_number = 999
        self.draft = ProtocolVersionFactory(created_by=self.users["board"])
        self.draft_submitted = ProtocolVersionFactory(created_by=self.users["board"], submitted=True)
        self.draft_consented = ProtocolVersionFactory(created_by=self.users["board"], consented=True)

        self.report_a_code = receipt_code_new()
        self.report_a = ReportFactory(school=self.school_a, code=self.report_a_code)
        self.case_a = self.report_a.case
        self.report_b = ReportFactory(school=self.school_b)
        self.case_b = self.report_b.case
        self.evidence_a = self._evidence(Evidence, self.report_a, "a")
        self.evidence_b = self._evidence(Evidence, self.report_b, "b")
        self._case_file(now)
        self._cases_hidden_from_leader_a(now)
        self._recordings_and_consultations(now)
        self._staff_channel_and_complaints()
        self._role_register(now)
        self._meldcodes(now)
        self.bad_token = "not-a-real-token"
        self.bad_uid = "MTIzNDU2"

    def _case_file(self, now) -> None:
        """The case file's objects in case A and case B: a timeline entry, a withdrawn co-leader, a
        measure awaiting the board, a meldcode referral without steps, and people with a person file."""
        from reports.constants import TimelineKind
        from reports.models import CaseAccessWithdrawal, TimelineEntry
        from sanctions.constants import EscalationKind
        from sanctions.models import Escalation
        from sanctions.tests.factories import MeasureFactory

        board = self.users["board"]
        self.staff_b = UserFactory(email="leerkracht-b@example.nl", roles=[("staff", self.school_b)])
        self.parent_a = self.users["parent"]
        self.parent_b = self.pupil_b.guardianships.get().guardian
        self.staff_a = self.users["staff"]
        self.leader_a_user = self.users["leader_a"]
        for suffix, case in (("a", self.case_a), ("b", self.case_b)):
            leader = self.users[f"leader_{suffix}"]
            setattr(
                self,
                f"entry_{suffix}",
                TimelineEntry.objects.create(case=case, kind=TimelineKind.NOTE, author=leader, summary="Gesprek"),
            )
            co_leader = UserFactory(
                email=f"adjunct-{suffix}@example.nl", roles=[("school_leader", case.school), ("staff", case.school)]
            )
            CaseAccessWithdrawal.objects.create(case=case, user=co_leader, withdrawn_by=board, reason="Familie")
            setattr(self, f"withdrawn_leader_{suffix}", co_leader)
            setattr(
                self,
                f"measure_{suffix}",
                MeasureFactory(
                    case=case,
                    staff_member=self.staff_a if suffix == "a" else self.staff_b,
                    proposed_by=leader,
                    proposed=True,
                ),
            )
            setattr(
                self,
                f"safe_home_{suffix}",
                Escalation.objects.create(
                    case=case,
                    kind=EscalationKind.SAFE_HOME_REFERRAL,
                    happened_on=now.date(),
                    pupil=self.pupil_a if suffix == "a" else self.pupil_b,
                    recorded_by=leader,
                ),
            )
        # A second proposal in B, so refusing it (without the required note: 400) does not depend on
        # the approval the matrix posts first.
        self.measure_b_to_refuse = MeasureFactory(
            case=self.case_b, staff_member=self.staff_b, proposed_by=self.users["leader_b"], proposed=True
        )
        self._overview_and_serious_incidents(now)
        self.person_file_kind_staff = "staff"
        self.person_file_kind_unknown = "teachers"
        self.guide_slug = "ouders"
        self.translation_language = "en"  # a language the consent form is translated into
        self.reference_language = "nl"  # the form's own text: not maintained as a translation
        self.missing_slug = "geen-gids"

    def _overview_and_serious_incidents(self, now) -> None:
        """The school year of today for the yearly overview; an ernstig incident flagged in case A and
        in case B (its pages answer only while settings.SERIOUS_INCIDENT_TASKS is on: the world
        fixture switches it on)."""
        from sanctions.models import SeriousIncident
        from sanctions.overview import school_year_of

        self.overview_year = school_year_of(timezone.localdate())
        self.overview_kind_pdf = "pdf"
        self.overview_kind_csv = "csv"
        self.overview_kind_unknown = "docx"
        for suffix in ("a", "b"):
            setattr(
                self,
                f"serious_{suffix}",
                SeriousIncident.objects.create(
                    case=getattr(self, f"case_{suffix}"),
                    kinds=["criminal_offence"],
                    flagged_by=self.users[f"leader_{suffix}"],
                    due_on=now.date() + datetime.timedelta(days=5),
                ),
            )

    def _cases_hidden_from_leader_a(self, now) -> None:
        """Three cases of school A its leader may not open, each for its own reason (reports/access.py):
        one about the school's leadership, one whose access the board withdrew from leader A (conflict
        of interest), and one with leader A recorded as a person it is about (with a measure and a
        meldcode referral, for sanctions' pages)."""
        from reports.constants import TimelineKind
        from reports.models import CaseAccessWithdrawal, CasePerson, Evidence, TimelineEntry
        from reports.tests.factories import ReportFactory
        from sanctions.constants import EscalationKind, SubjectKind
        from sanctions.models import Escalation
        from sanctions.tests.factories import MeasureFactory

        board, leader = self.users["board"], self.users["leader_a"]
        self.report_about_leader_a = ReportFactory(school=self.school_a, about_leadership=True)
        self.report_withdrawn_from_leader_a = ReportFactory(school=self.school_a)
        CaseAccessWithdrawal.objects.create(
            case=self.report_withdrawn_from_leader_a.case, user=leader, withdrawn_by=board, reason="Familie"
        )
        for name in ("about_leader_a", "withdrawn_from_leader_a"):
            report = getattr(self, f"report_{name}")
            setattr(self, f"case_{name}", report.case)
            setattr(self, f"evidence_{name}", self._evidence(Evidence, report, name))
            setattr(
                self,
                f"entry_{name}",
                TimelineEntry.objects.create(case=report.case, kind=TimelineKind.NOTE, author=board, summary="Notitie"),
            )

        self.case_about_leader_a_in_person = ReportFactory(school=self.school_a).case
        case = self.case_about_leader_a_in_person
        CasePerson.objects.create(case=case, subject_kind=SubjectKind.STAFF, staff_member=leader, added_by=board)
        self.measure_about_leader_a_in_person = MeasureFactory(case=case, staff_member=self.staff_a, proposed_by=board)
        self.safe_home_about_leader_a_in_person = Escalation.objects.create(
            case=case,
            kind=EscalationKind.SAFE_HOME_REFERRAL,
            happened_on=now.date(),
            pupil=self.pupil_a,
            recorded_by=board,
        )

    def _recordings_and_consultations(self, now) -> None:
        """A recording permission for group A (A.1); a staff member's question to leader A, and
        leader A's own question to the board (B.3, B.4)."""
        from consultations.models import Consultation, ConsultationMessage
        from recordings.models import RecordingPermission

        self.recording_permission_a = RecordingPermission.objects.create(
            group=self.group_a,
            kind="video",
            recorded_by="De leerkracht",
            purpose="Spreekbeurten terugkijken in de klas",
            valid_from=now.date(),
            valid_until=now.date() + datetime.timedelta(days=7),
            granted_by=self.users["staff"],
        )
        self.recording_permission_b = RecordingPermission.objects.create(
            group=self.group_b,
            kind="photo",
            recorded_by="De leerkracht",
            purpose="Foto's van het project voor in de klas",
            valid_from=now.date(),
            valid_until=now.date() + datetime.timedelta(days=7),
            granted_by=self.users["leader_b"],
        )
        self.consultation_a = Consultation.objects.create(asker=self.users["staff"], school=self.school_a, topic="post")
        ConsultationMessage.objects.create(
            consultation=self.consultation_a, author=self.users["staff"], body="Mag ik dit plaatsen?"
        )
        self.consultation_leader_a = Consultation.objects.create(
            asker=self.users["leader_a"], school=self.school_a, topic="conversation", for_board=True
        )
        ConsultationMessage.objects.create(
            consultation=self.consultation_leader_a, author=self.users["leader_a"], body="Een ouder schrijft boos."
        )

    def _staff_channel_and_complaints(self) -> None:
        # The staff channel for misstanden: the teacher is an integrity officer, with an external one.
        from integrity.tests.factories import misstand_report, officer

        self.officer_staff = officer(self.users["staff"], by=self.users["board"])
        self.officer_external = officer(
            UserFactory(email="extern@example.nl"), by=self.users["board"], is_external=True
        )
        self.misstand_a = misstand_report()
        self.misstand_naming_staff = misstand_report(named=[self.users["staff"]])
        self.misstand_to_board = misstand_report(named=[self.users["staff"], self.officer_external.user])

        # Complaints: a parent's at school A, one about A's leadership, and one at school B.
        from complaints.tests.factories import complaint

        self.complaint_a = complaint(complainant=self.users["parent"], school=self.school_a)
        self.complaint_about_leader_a = complaint(
            complainant=self.users["parent"], school=self.school_a, is_about_leadership=True
        )
        self.complaint_b = complaint(complainant=self.parent_b, school=self.school_b)

    def _role_register(self, now) -> None:
        """School A's role register: a teacher who is its aanspreekpunt pesten, one who is its interne
        vertrouwenspersoon, one its aandachtsfunctionaris meldcode (accounts.SafetyRoleHolder); and a
        case of school A sent to the vertrouwenspersoon, still theirs alone (reports/access.py)."""
        from accounts.constants import SafetyRole
        from accounts.models import SafetyRoleHolder
        from reports.constants import Category, Recipient
        from reports.tests.factories import ReportFactory

        for name, role in (
            ("aanspreekpunt", SafetyRole.ANTI_BULLYING_CONTACT),
            ("vertrouwenspersoon", SafetyRole.INTERNAL_CONFIDANT),
            ("aandachtsfunctionaris", SafetyRole.MELDCODE_OFFICER),
        ):
            user = UserFactory(email=f"{name}@example.nl", roles=[("staff", self.school_a)])
            self.group_a.teachers.add(user)  # teachers too, as such people often are
            SafetyRoleHolder.objects.create(
                school=self.school_a, role=role, user=user, valid_from=now.date() - datetime.timedelta(days=30)
            )
            self.users[name] = user
        self.report_with_confidant_a = ReportFactory(
            school=self.school_a, category=Category.OTHERWISE_DAMAGING, recipient=Recipient.INTERNAL_CONFIDANT
        )
        self.case_with_confidant_a = self.report_with_confidant_a.case
        # WPO art. 4a: sent to the vertrouwenspersoon, yet the board's alone.
        self.case_wpo_4a_a = ReportFactory(
            school=self.school_a, category=Category.STAFF_SEXUAL_CONDUCT, recipient=Recipient.INTERNAL_CONFIDANT
        ).case

    def _meldcodes(self, now) -> None:
        """A meldcode per pupil signalled by a teacher (no case), in school A and in school B."""
        from sanctions.services import meldcode_signal

        self.meldcode_a = meldcode_signal(by=self.staff_a, pupil=self.pupil_a, done_on=now.date(), notes="Signalen.")
        self.meldcode_b = meldcode_signal(by=self.staff_b, pupil=self.pupil_b, done_on=now.date(), notes="Signalen.")

    @staticmethod
    def _decision(model, form, answers, pupil, by, now):
        """A decision with a scan attached, so its scan page has something to serve."""
        from django.core.files.uploadedfile import SimpleUploadedFile

        from consent.constants import Basis, Method
        from consent.scans import scan_store

        scan_name = scan_store(SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n%%EOF\n"))
        return model.objects.create(
            pupil=pupil,
            decided_by=by,
            basis=Basis.GUARDIAN,
            method=Method.LOGGED_IN,
            form=form,
            text_sha256=form.text_sha256(),
            answers=answers,
            decided_at=now,
            scan_name=scan_name,
        )

    @staticmethod
    def _evidence(model, report, suffix: str):
        from reports.evidence import CheckedFile, evidence_write

        stored = evidence_write(CheckedFile("text", "text/plain", ".txt", b"bewijs"), key_id=report.case.data_key)
        return model.objects.create(
            report=report,
            kind="text",
            file_name=f"melding-{report.case.number}-{suffix}.txt",
            stored_name=stored,
            content_type="text/plain",
            size=6,
            sha256="0" * 64,
        )

    def value(self, name: str) -> Any:
        obj = getattr(self, name)
        return getattr(obj, "pk", obj)
