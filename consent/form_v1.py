"""Version 1 of the consent form: installed by migration 0002 (and by tests after a flush)."""

from django.utils import timezone

PURPOSES = [
    ("school_guide", "Schoolgids en folders", "De gedrukte en digitale schoolgids en folders voor nieuwe ouders."),
    ("website", "Website van de school", "De openbare website van de school; iedereen kan die bekijken."),
    (
        "newsletter",
        "Nieuwsbrief en ouderapp",
        "De nieuwsbrief en de ouderapp; alleen ouders en medewerkers van de school zien die.",
    ),
    (
        "school_social_media",
        "Sociale-media-accounts van de school",
        "De accounts van de school op bijvoorbeeld Instagram en Facebook; openbaar.",
    ),
    (
        "staff_social_media",
        "Sociale media van medewerkers over schoolactiviteiten",
        "Berichten van medewerkers op hun eigen sociale media over activiteiten van de school.",
    ),
]
MEDIA = [("photo", "Foto"), ("film", "Film"), ("sound", "Geluid")]

INTRODUCTION = (
    "De scholen van de SKOW vragen aantoonbaar schriftelijke toestemming voordat zij foto's, film of "
    "geluidsopnamen van schoolsituaties waarop iemand te zien of te horen is op de sociale media, de "
    "website of in de schoolgids zetten (Protocol Sociale Media, A.5). Vink aan waarvoor u toestemming "
    "geeft. Wat u niet aanvinkt, mag niet. U kunt uw keuze altijd wijzigen of intrekken."
)
EXEMPTIONS = (
    "Voor beeld en geluid dat de school maakt voor het onderwijs zelf (bijvoorbeeld een opname van een "
    "les om van te leren), voor de schoolpas en voor de leerlingadministratie is geen toestemming nodig; "
    "daarom vragen we daar niet naar. Deelname aan het onderwijs hangt nooit af van uw keuze."
)


def version_1_defaults() -> dict:
    return {
        "title": "Toestemming voor foto's, film en geluid",
        "introduction": INTRODUCTION,
        "exemptions": EXEMPTIONS,
        "purposes": [{"code": c, "label": label, "explanation": e} for c, label, e in PURPOSES],
        "media": [{"code": c, "label": label} for c, label in MEDIA],
        "published_at": timezone.now(),
    }
