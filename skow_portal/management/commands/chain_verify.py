"""Check every hash chain (case histories, consent decisions) and, optionally, an anchor file."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from common.hashchain import chain_anchor_check
from consent.models import ConsentChainHead
from consent.selectors import consent_history_checks
from reports.models import Case, CaseChainHead
from reports.selectors import case_history_check


class Command(BaseCommand):
    help = (
        "Recompute the hash chain of every case (timeline and views) and every person's consent decisions "
        "from the stored rows; say in Dutch what was changed or removed outside the portal. Exit code 1 "
        "when anything was. --anchors also compares with a file that chain_anchor wrote."
    )

    def add_arguments(self, parser):
        parser.add_argument("--anchors", help="an anchor file (JSON lines) written by chain_anchor")

    def handle(self, *args, anchors: str | None = None, **options):
        broken = checked = 0
        for case in Case.objects.order_by("pk"):
            checked += 1
            report = case_history_check(case=case)
            if not report.is_intact:
                broken += 1
                self.stdout.write(f"Dossier {case.number}:")
                for problem in report.problems:
                    self.stdout.write(f"  - {problem}")
        for report in consent_history_checks():
            checked += 1
            if not report.is_intact:
                broken += 1
                self.stdout.write(f"Toestemmingen {report.name}:")
                for problem in report.problems:
                    self.stdout.write(f"  - {problem}")
        if anchors:
            for problem in self._anchor_problems(Path(anchors)):
                broken += 1
                self.stdout.write(f"Anker: {problem}")
        self.stdout.write(f"{checked} ketens gecontroleerd, {broken} met een afwijking.")
        if broken:
            raise CommandError("De geschiedenis is buiten het portaal gewijzigd of verwijderd (zie hierboven).")

    def _anchor_problems(self, path: Path) -> list[str]:
        latest: dict[str, dict] = {}
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                anchor = json.loads(line)
                latest[anchor["chain"]] = anchor
        problems = []
        for name, anchor in latest.items():
            kind, _sep, key = name.partition(":")
            if kind == "case":
                head = CaseChainHead.objects.filter(case_id=int(key)).first()
            elif kind == "pupil":
                head = ConsentChainHead.objects.filter(pupil_id=int(key)).first()
            else:
                head = ConsentChainHead.objects.filter(staff_member_id=int(key)).first()
            problem = chain_anchor_check(head, anchor)
            if problem:
                problems.append(problem)
        return problems
