"""What other apps add to the case file, registered here from their ``AppConfig.ready()``.

``reports`` never imports the apps built on it; it asks this registry instead. Sanctions registers
its close checks, the anonymisation of its own texts and its panel on the case page in
``SanctionsConfig.ready()``. Each extension is a frozen dataclass with a name that is unique across
the registry (by convention ``"<app>.<what>"``):

- ``CloseCheck``: before a case closes, ``refusal(case)`` returns a Dutch message that keeps it open,
  or None when nothing stands in the way (``services.case_transition``).
- ``CaseAnonymiser``: when a case is anonymised after its retention period, ``anonymise(case)``
  clears the app's own personal data, inside reports' transaction with the case row locked
  (``services.case_anonymise``).
- ``CasePanel``: a template included on the case page, with ``case`` in its context; ``is_shown_to(user)``,
  when given, says whether this reader of the case gets it (the app's own rule of who uses its pages).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from accounts.models import User

    from .models import Case


class CloseRefusal(Protocol):
    def __call__(self, case: Case, /) -> str | None: ...


class Anonymise(Protocol):
    def __call__(self, case: Case, /) -> None: ...


class ShownTo(Protocol):
    def __call__(self, user: User, /) -> bool: ...


@dataclass(frozen=True)
class CloseCheck:
    name: str
    refusal: CloseRefusal


@dataclass(frozen=True)
class CaseAnonymiser:
    name: str
    anonymise: Anonymise


@dataclass(frozen=True)
class CasePanel:
    name: str
    template_name: str
    is_shown_to: ShownTo | None = None


CaseExtension = CloseCheck | CaseAnonymiser | CasePanel


class CaseExtensions:
    """The registry: extensions in the order they were registered."""

    def __init__(self) -> None:
        self._registered: dict[str, CaseExtension] = {}

    def register(self, extension: CaseExtension) -> None:
        """Add ``extension``; one of the same name is replaced (``ready()`` may run twice in tests)."""
        if not isinstance(extension, CloseCheck | CaseAnonymiser | CasePanel):
            raise TypeError(f"Not a case extension: {extension!r}")
        self._registered[extension.name] = extension

    def unregister(self, name: str) -> None:
        """Remove the extension called ``name``; KeyError when there is none."""
        del self._registered[name]

    @property
    def close_checks(self) -> list[CloseCheck]:
        return [e for e in self._registered.values() if isinstance(e, CloseCheck)]

    @property
    def anonymisers(self) -> list[CaseAnonymiser]:
        return [e for e in self._registered.values() if isinstance(e, CaseAnonymiser)]

    @property
    def panels(self) -> list[CasePanel]:
        return [e for e in self._registered.values() if isinstance(e, CasePanel)]

    def panels_for(self, user: User) -> list[CasePanel]:
        """The panels ``user`` gets on a case page they may see."""
        return [panel for panel in self.panels if panel.is_shown_to is None or panel.is_shown_to(user)]

    def close_refusal(self, case: Case) -> str | None:
        """The first refusal of the registered close checks, or None: then the case may close."""
        for check in self.close_checks:
            refusal = check.refusal(case)
            if refusal:
                return str(refusal)
        return None

    def anonymise(self, case: Case) -> None:
        for anonymiser in self.anonymisers:
            anonymiser.anonymise(case)

    @contextmanager
    def restored_afterwards(self) -> Iterator[CaseExtensions]:
        """For tests: what is registered or removed inside the block is undone when it ends."""
        saved = dict(self._registered)
        try:
            yield self
        finally:
            self._registered = saved


case_extensions = CaseExtensions()
