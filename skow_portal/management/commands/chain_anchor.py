"""Write the head of every hash chain to a file outside the database (README, "Tamper-evident history")."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from common.hashchain import chain_anchor_lines
from consent.models import ConsentChainHead
from reports.models import CaseChainHead


class Command(BaseCommand):
    help = (
        "Append the head (last place and digest) of every case's and every person's consent chain to "
        "CHAIN_ANCHOR_FILE, or to --output ('-': the screen). Run daily; keep the file off the database "
        "server. chain_verify --anchors compares the chains with it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", default=settings.CHAIN_ANCHOR_FILE, help="file to append to; '-' prints")

    def handle(self, *args, output: str, **options):
        heads = [*CaseChainHead.objects.order_by("pk"), *ConsentChainHead.objects.order_by("pk")]
        lines = chain_anchor_lines(heads, at=timezone.now())
        if output == "-":
            for line in lines:
                self.stdout.write(line)
            return
        path = Path(output)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as anchor_file:
            anchor_file.writelines(line + "\n" for line in lines)
        self.stdout.write(f"{len(lines)} ketenkoppen toegevoegd aan {path}.")
