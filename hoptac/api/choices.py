from django.db import models
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    """What a personal API token may do."""

    READ = "read", _("Read")
    READ_WRITE = "read-write", _("Read and write")
