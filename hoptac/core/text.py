"""Text helpers for Vietnamese: search without diacritics."""

import re

from unidecode import unidecode

_SPACES = re.compile(r"\s+")

# unidecode replaces each character on its own, and turns every whitespace character into
# whitespace (but U+0085, which it drops), so a text can be folded word by word. Vietnamese
# text repeats a few thousand syllables: each word's fold is remembered (up to _WORDS_LIMIT
# words, then forgotten at once), which makes fold many times faster on names and addresses.
_WORDS: dict[str, str] = {}
_WORDS_LIMIT = 50_000


def fold(text: str) -> str:
    """Lower-case ASCII form of a Vietnamese text: "Chợ Đồn" -> "cho don".

    Stored beside names so that a plain `icontains` finds them whether or not the
    user types the diacritics (the same fold is applied to the query).
    """
    if not text:
        return ""
    if "\x85" in text:
        return _SPACES.sub(" ", unidecode(text).lower()).strip()
    words = _WORDS
    folded = []
    for word in text.split():
        found = words.get(word)
        if found is None:
            if len(words) >= _WORDS_LIMIT:
                words.clear()
            found = words[word] = _SPACES.sub(" ", unidecode(word).lower()).strip()
        if found:
            folded.append(found)
    return " ".join(folded)
