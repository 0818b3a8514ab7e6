"""Text helpers for Vietnamese: search without diacritics."""

import re

from unidecode import unidecode

_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower-case ASCII form of a Vietnamese text: "Chợ Đồn" -> "cho don".

    Stored beside names so that a plain `icontains` finds them whether or not the
    user types the diacritics (the same fold is applied to the query).
    """
    return _SPACES.sub(" ", unidecode(text or "").lower()).strip()
