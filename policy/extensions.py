"""What a higher layer does when the board adopts a protocol version, registered from its
``AppConfig.ready()``; ``policy`` never imports the apps built on it.

An ``AdoptionListener`` is called by ``services.protocol_version_adopt`` inside its transaction,
after the version is adopted, with the adopted version and the version adopted before it (None
for the first). The project package registers one: a changed A.5 offers every school a new consent
round (skow_portal/consent_rounds.py). A listener that raises undoes the adoption.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from .models import ProtocolVersion


class AfterAdoption(Protocol):
    def __call__(self, *, version: ProtocolVersion, previous: ProtocolVersion | None) -> None: ...


@dataclass(frozen=True)
class AdoptionListener:
    name: str
    after_adoption: AfterAdoption


class AdoptionListeners:
    """The registry: listeners in the order they were registered, each name once."""

    def __init__(self) -> None:
        self._registered: dict[str, AdoptionListener] = {}

    def register(self, listener: AdoptionListener) -> None:
        if listener.name in self._registered and self._registered[listener.name] != listener:
            raise ValueError(f"Another adoption listener is already registered as {listener.name!r}.")
        self._registered[listener.name] = listener

    def __iter__(self):
        return iter(list(self._registered.values()))


adoption_listeners = AdoptionListeners()
