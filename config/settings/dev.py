"""Development: DEBUG on and the demo banner shown; everything else as in production."""

import os

os.environ.setdefault("DJANGO_DEBUG", "true")
os.environ.setdefault("HOPTAC_DEMO_BANNER", "true")
# The demo's accounts sign in without a phone; production requires two-factor sign-in of
# administrators by default (HOPTAC_REQUIRE_2FA=admin, config/settings/base.py).
os.environ.setdefault("HOPTAC_REQUIRE_2FA", "none")

from config.settings.base import *  # noqa: F403
