"""Version 1 of the consent form: installed by migration 0002, its English text by 0010 (and by tests after a flush)."""

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


# The English text of version 1: a careful translation for English-speaking families. The Dutch text
# above stays the legal reference; the codes and their order are the same.
ENGLISH_PURPOSES = [
    ("school_guide", "School guide and leaflets", "The printed and digital school guide and leaflets for new parents."),
    ("website", "The school's website", "The school's public website; anyone can view it."),
    (
        "newsletter",
        "Newsletter and parent app",
        "The newsletter and the parent app; only parents and staff of the school see them.",
    ),
    (
        "school_social_media",
        "The school's social media accounts",
        "The school's accounts on, for example, Instagram and Facebook; public.",
    ),
    (
        "staff_social_media",
        "Staff members' social media about school activities",
        "Posts by staff members on their own social media about activities of the school.",
    ),
]
ENGLISH_MEDIA = [("photo", "Photo"), ("film", "Video"), ("sound", "Audio")]
ENGLISH_INTRODUCTION = (
    "The schools of the SKOW ask for demonstrable written consent before they put photos, video or audio "
    "recordings of school situations in which someone can be seen or heard on social media, on the "
    "website or in the school guide (Social Media Protocol, A.5). Tick what you give consent for. What "
    "you do not tick is not allowed. You can always change or withdraw your choice."
)
ENGLISH_EXEMPTIONS = (
    "Images and sound that the school makes for teaching itself (for example a recording of a lesson to "
    "learn from), for the school pass and for the pupil administration need no consent; that is why we "
    "do not ask about them. Taking part in lessons never depends on your choice."
)


def version_1_english() -> dict:
    return {
        "language": "en",
        "title": "Consent for photos, video and audio",
        "introduction": ENGLISH_INTRODUCTION,
        "exemptions": ENGLISH_EXEMPTIONS,
        "purposes": [{"code": c, "label": label, "explanation": e} for c, label, e in ENGLISH_PURPOSES],
        "media": [{"code": c, "label": label} for c, label in ENGLISH_MEDIA],
        "saved_at": timezone.now(),
    }
