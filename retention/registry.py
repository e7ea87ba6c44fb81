"""The kinds of record the portal keeps for a term (AVG art. 5(1)(e)), open for every app to add to.

An app that keeps personal data for a term registers one ``RecordKind`` per kind from its
``AppConfig.ready``::

    from retention.registry import RecordKind, record_kinds

    record_kinds.register(RecordKind(key="complaint", label=_("Klachtdossiers"), ...))

The nightly run (``retention.services.retention_purge``) asks each kind what is due under the
board's term (``due(cutoff)``: the rows whose term started before ``cutoff``) and has the kind erase
them (``erase(rows, now)``, returning how many). A kind decides itself what "erase" means (delete
rows, anonymise a case through reports' ``case_anonymise``) and what it never takes (a case on
legal hold). The registry holds no data and imports no app.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet


@dataclass(frozen=True)
class RecordKind:
    """One kind of record and its term.

    ``key``: stable, stored in the board's rules and the deletion log. ``label``, ``starts`` (from
    when the term counts, e.g. "na vertrek van de leerling") and ``source`` (the legal source shown
    to the board) are Dutch, through gettext_lazy. ``default_days``: the term the portal starts with
    (the law's default; a callable reads a setting when asked); ``minimum_days``: the board cannot
    set less. ``due(cutoff)``: the records whose term started before ``cutoff`` (one query, counted
    for the forecast); ``erase(rows, now)``: erase them, return how many.
    """

    key: str
    label: str
    starts: str
    source: str
    default_days: int | Callable[[], int]
    minimum_days: int
    due: Callable[[datetime.datetime], QuerySet]
    erase: Callable[[QuerySet, datetime.datetime], int]
    order: int = 100

    def default(self) -> int:
        """The law's default term; a callable default follows a setting (read when asked)."""
        return self.default_days() if callable(self.default_days) else self.default_days


class RecordKindRegistry:
    def __init__(self) -> None:
        self._kinds: dict[str, RecordKind] = {}

    def register(self, kind: RecordKind) -> None:
        """Add ``kind``; registering the same key again replaces it (ready() may run twice in tests)."""
        self._kinds[kind.key] = kind

    def get(self, key: str) -> RecordKind | None:
        return self._kinds.get(key)

    def all(self) -> list[RecordKind]:
        return sorted(self._kinds.values(), key=lambda kind: (kind.order, kind.key))


record_kinds = RecordKindRegistry()
