"""Development: DEBUG on and the demo banner shown; everything else as in production."""

import os

os.environ.setdefault("DJANGO_DEBUG", "true")
os.environ.setdefault("HOPTAC_DEMO_BANNER", "true")

from config.settings.base import *  # noqa: F403
