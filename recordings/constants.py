"""Fixed choices of recording permissions (protocol A.1: social media, images or sound in class;
A.7: lessons at a distance)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RecordingKind(models.TextChoices):
    PHOTO = "photo", _("Foto's")
    VIDEO = "video", _("Film (beeld en geluid)")
    SOUND = "sound", _("Geluid")
    REMOTE_LESSON = "remote_lesson", _("Opname van een les op afstand (A.7)")
    SOCIAL_MEDIA = "social_media", _("Actief zijn op sociale media tijdens de les")
