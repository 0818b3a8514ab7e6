"""Read an address of the old (63-province) tree and say what it is called since 1 July 2025.

`resolve_legacy_address(text)` parses the address offline with the `vietnamadminunits`
parser (LEGACY mode, no geocoding), finds our AdminUnit rows by their official codes and
follows Succession to the 2025 commune(s) and province. It also says how the address was
read: a part misspelt or written without the right diacritics ("Lương Bàng") and corrected
by the parser, or a part missing and inferred (the province of "Lương Bằng, Chợ Đồn").
When no commune can be settled (nothing found, only a province or district, several
communes of that name, a commune unknown there), the resolution carries an error and the
closest candidates from our own tables (difflib over the names inside the area found).

The text helpers at the top are pure (no database) and tested as such.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from hoptac.areas.choices import Era, Level, UnitType
from hoptac.areas.models import AdminUnit
from hoptac.areas.selectors import successors_of
from hoptac.core.text import fold

# --- pure text helpers -----------------------------------------------------------------------

_TONES = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng (combining marks)
# Old and new tone placement in the final "oa", "oe", "uy": "Hoà" / "Hòa", "Thuỷ" / "Thủy".
_OLD_STYLE_TONE = re.compile(rf"([oOuU])([aAeEyY])([{_TONES}])(?!\w)")
_WORD = re.compile(r"\w+")

# Type words an address may start a part with, folded, longest first, and the unit types
# they name. "thanh pho" names both a centrally-run and a provincial city.
_TYPE_WORDS: dict[str, tuple[str, ...]] = {
    "thanh pho": (UnitType.THANH_PHO_TW, UnitType.THANH_PHO),
    "thi tran": (UnitType.THI_TRAN,),
    "thi xa": (UnitType.THI_XA,),
    "dac khu": (UnitType.DAC_KHU,),
    "phuong": (UnitType.PHUONG,),
    "huyen": (UnitType.HUYEN,),
    "quan": (UnitType.QUAN,),
    "tinh": (UnitType.TINH,),
    "xa": (UnitType.XA,),
    "tp": (UnitType.THANH_PHO_TW, UnitType.THANH_PHO),
    "tx": (UnitType.THI_XA,),
    "tt": (UnitType.THI_TRAN,),
    "p": (UnitType.PHUONG,),
    "q": (UnitType.QUAN,),
    "h": (UnitType.HUYEN,),
    "x": (UnitType.XA,),
}
_NEAR = 0.75  # SequenceMatcher ratio from which a fragment counts as the same name misspelt
_CANDIDATE_CUTOFF = 0.6
MAX_CANDIDATES = 12


def normalize_tones(text: str) -> str:
    """Lower-case NFC text with one tone placement: "Hoà" and "Hòa" compare equal."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    return unicodedata.normalize("NFC", _OLD_STYLE_TONE.sub(r"\1\3\2", decomposed))


def has_diacritics(text: str) -> bool:
    """True when `text` carries Vietnamese letters beyond ASCII ("Chợ Đồn", not "Cho Don")."""
    return any(ord(char) > 127 and char.isalpha() for char in text)


def _key(word: str, accented: bool) -> str:
    return normalize_tones(word) if accented else fold(word)


def split_type(words: list[str]) -> tuple[str, list[str]]:
    """Split a leading type word off folded words: ["xa", "tan", "lap"] -> ("xa", [...])."""
    for type_word in _TYPE_WORDS:
        size = len(type_word.split())
        if words[:size] == type_word.split():
            return type_word, words[size:]
    return "", words


@dataclass(frozen=True, slots=True)
class Spot:
    """Where a unit's name was found in an address: verbatim, as a near fragment, or nowhere."""

    exact: bool
    typed: str | None  # the fragment as written (None: the name is not in the address)
    part: int = -1
    start: int = 0
    end: int = 0


class AddressText:
    """An address as comma-separated parts of words, for finding unit names in it."""

    def __init__(self, text: str) -> None:
        self.parts: list[list[str]] = [_WORD.findall(part) for part in text.split(",")]
        self.used: list[list[bool]] = [[False] * len(words) for words in self.parts]

    def spot(self, name: str) -> Spot:
        """Find `name` (a unit's short name) in the address.

        Each part is compared with diacritics when it has any (so "Lương Bàng" is not
        "Lương Bằng") and folded otherwise (so "luong bang" is).
        """
        best = (0.0, Spot(exact=False, typed=None))
        for index, words in enumerate(self.parts):
            accented = has_diacritics(" ".join(words))
            target = [_key(word, accented) for word in _WORD.findall(name)]
            keys = [_key(word, accented) for word in words]
            size = len(target)
            for width in sorted({size, size + 1, max(size - 1, 1)}):
                for start in range(len(keys) - width + 1):
                    window = keys[start : start + width]
                    spot = Spot(
                        exact=False,
                        typed=" ".join(words[start : start + width]),
                        part=index,
                        start=start,
                        end=start + width,
                    )
                    if window == target:
                        return Spot(True, spot.typed, index, start, start + width)
                    ratio = difflib.SequenceMatcher(
                        None, " ".join(window), " ".join(target)
                    ).ratio()
                    if ratio > best[0]:
                        best = (ratio, spot)
        return best[1] if best[0] >= _NEAR else Spot(exact=False, typed=None)

    def consume(self, spot: Spot) -> None:
        """Mark the words of `spot` (a unit found) so they are not read again."""
        if spot.part >= 0:
            for i in range(spot.start, spot.end):
                self.used[spot.part][i] = True

    def leftover(self, index: int) -> str:
        """The words of part `index` not yet read as a unit ("" when only a type word is left)."""
        kept = [w for w, used in zip(self.parts[index], self.used[index], strict=True) if not used]
        _, name = split_type([fold(word) for word in kept])
        return " ".join(kept) if name else ""

    def leftovers(self) -> list[str]:
        """The parts' words not yet read as a unit, parts with only a type word dropped."""
        return [rest for index in range(len(self.parts)) if (rest := self.leftover(index))]


def unit_matches(query: str, unit_name: str, unit_short_name: str, unit_type: str) -> bool:
    """Does `query` (what an address wrote for one unit) name this unit, diacritics aside?"""
    words = fold(query).split()
    type_word, name = split_type(words)
    if type_word and unit_type not in _TYPE_WORDS[type_word]:
        return False
    folded = {" ".join(words), " ".join(name)}
    return fold(unit_short_name) in folded or fold(unit_name) in folded


def close_matches(query: str, units: Iterable[AdminUnit]) -> list[AdminUnit]:
    """The units whose names are closest to `query` (difflib), best first."""
    by_name: dict[str, list[AdminUnit]] = {}
    for unit in units:
        by_name.setdefault(fold(unit.short_name), []).append(unit)
        by_name.setdefault(fold(unit.name), []).append(unit)
    _, name = split_type(fold(query).split())
    found: list[AdminUnit] = []
    for key in difflib.get_close_matches(
        " ".join(name), by_name, n=MAX_CANDIDATES, cutoff=_CANDIDATE_CUTOFF
    ):
        found.extend(unit for unit in by_name[key] if unit not in found)
    return found[:MAX_CANDIDATES]


# --- resolution --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Successor:
    """A 2025 commune an old unit went into, with its province."""

    commune: AdminUnit
    province: AdminUnit
    default: bool


@dataclass(frozen=True, slots=True)
class Reading:
    """One unit not written verbatim in the address: misspelt (typed) or absent (typed=None)."""

    unit: AdminUnit
    typed: str | None


@dataclass
class Resolution:
    """What an old address is, and what it became on 1 July 2025.

    On success `error` is empty and `new` lists the 2025 commune(s), the default first;
    otherwise `error` says what is missing and `candidates` lists the closest units.
    """

    input: str
    commune: AdminUnit | None = None
    district: AdminUnit | None = None
    province: AdminUnit | None = None
    new: list[Successor] = field(default_factory=list)
    readings: list[Reading] = field(default_factory=list)
    error: str = ""
    candidates: list[AdminUnit] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.error

    @property
    def corrected(self) -> bool:
        """True when some unit was not written verbatim (corrected or inferred)."""
        return bool(self.readings)

    @property
    def old_unit(self) -> AdminUnit | None:
        """The old unit converted: the commune, or an island district without communes."""
        return self.commune or self.district

    @property
    def old_address(self) -> str:
        return ", ".join(u.name for u in (self.commune, self.district, self.province) if u)

    @property
    def message(self) -> str:
        """How the address was read and converted, in the active language (Vietnamese)."""
        if self.error:
            return self.error
        lines = []
        if self.readings:
            lines.append(_("Interpreted as: %(address)s.") % {"address": self.old_address})
            for reading in self.readings:
                if reading.typed:
                    lines.append(
                        _("“%(typed)s” was read as %(unit)s.")
                        % {"typed": reading.typed, "unit": reading.unit.name}
                    )
                else:
                    lines.append(
                        _("%(unit)s is not written in the address; it was inferred.")
                        % {"unit": reading.unit.name}
                    )
        if len(self.new) > 1:
            lines.append(
                _(
                    "The old commune was divided among %(count)s new communes; "
                    "%(default)s is the default one."
                )
                % {"count": len(self.new), "default": self.new[0].commune.name}
            )
        return " ".join(lines)

    def as_dict(self) -> dict[str, Any]:
        """The JSON form printed by `areas convert --format json`.

        Success: {"input", "old": {"commune", "district", "province"}, "new": [{"commune",
        "province", "default"}], "corrected", "message"}, where each unit is {"code", "name"}
        (the old "commune" is null for an island district that had none).
        Failure: {"input", "error", "candidates": [{"code", "name", "full_name"}]}.
        """
        if self.error:
            return {
                "input": self.input,
                "error": self.error,
                "candidates": [
                    {"code": u.code, "name": u.name, "full_name": u.full_name}
                    for u in self.candidates
                ],
            }
        return {
            "input": self.input,
            "old": {
                "commune": _brief(self.commune),
                "district": _brief(self.district),
                "province": _brief(self.province),
            },
            "new": [
                {
                    "commune": _brief(s.commune),
                    "province": _brief(s.province),
                    "default": s.default,
                }
                for s in self.new
            ],
            "corrected": self.corrected,
            "message": self.message,
        }


def _brief(unit: AdminUnit | None) -> dict[str, str] | None:
    return {"code": unit.code, "name": unit.name} if unit else None


def _parse(text: str) -> tuple[str | None, str | None, str | None]:
    """(province, district, commune) codes the offline LEGACY parser finds in `text`."""
    from vietnamadminunits import parse_address

    parsed = parse_address(text, mode="LEGACY", level=3, keep_street=False)
    return parsed.province_code, parsed.district_code, parsed.ward_code


def resolve_legacy_address(text: str) -> Resolution:
    """Resolve an address of the old tree; see the module docstring."""
    result = Resolution(input=text)
    codes = dict(zip((Level.PROVINCE, Level.DISTRICT, Level.COMMUNE), _parse(text), strict=True))
    wanted = Q(pk__in=[])
    for level, code in codes.items():
        if code:
            wanted |= Q(level=level, code=code)
    found = {u.level: u for u in AdminUnit.objects.filter(wanted, era=Era.LEGACY)}
    result.province = found.get(Level.PROVINCE)
    result.district = found.get(Level.DISTRICT)
    result.commune = found.get(Level.COMMUNE)

    address = AddressText(text)
    for unit in (result.commune, result.district, result.province):
        if unit is not None:
            address.consume(address.spot(unit.short_name))

    if result.province is None:
        return _fail_nothing(result, address)
    if result.district is None:
        _settle_without_district(result, address)
    elif result.commune is None:
        _settle_without_commune(result, address)
    if result.ok:
        for unit in (result.province, result.district, result.commune):
            spot = address.spot(unit.short_name) if unit else None
            if unit and spot and not spot.exact:
                typed = spot.typed
                if typed is None and unit == result.province:
                    typed = address.leftover(len(address.parts) - 1) or None  # "TP HCM"
                result.readings.append(Reading(unit, typed))
        _follow_successions(result)
    return result


def _fail_nothing(result: Resolution, address: AddressText) -> Resolution:
    result.error = _(
        "No province or district of the old (63-province) tree was found in “%(address)s”. "
        "Write the commune, district and province, e.g. "
        "“Xã Lương Bằng, Huyện Chợ Đồn, Tỉnh Bắc Kạn”."
    ) % {"address": result.input}
    big = AdminUnit.objects.filter(era=Era.LEGACY, level__in=[Level.PROVINCE, Level.DISTRICT])
    units = list(big.only("code", "name", "short_name", "full_name", "unit_type", "level"))
    for part in address.leftovers():
        result.candidates += [u for u in close_matches(part, units) if u not in result.candidates]
    result.candidates = result.candidates[:MAX_CANDIDATES]
    return result


def _settle_without_district(result: Resolution, address: AddressText) -> None:
    """Province only: find the commune (and so the district) by name inside the province."""
    assert result.province is not None  # noqa: S101  (checked by the caller)
    rest = address.leftovers()
    inside = AdminUnit.objects.filter(era=Era.LEGACY, path__startswith=f"{result.province.path}/")
    if not rest:
        result.error = _(
            "Only a province was found (%(province)s): write the commune and district too."
        ) % {"province": result.province.name}
        result.candidates = list(inside.filter(level=Level.DISTRICT))
        return
    query = rest[-1]
    units = list(inside.select_related("parent"))
    communes = [u for u in units if u.level == Level.COMMUNE]
    same = [u for u in communes if unit_matches(query, u.name, u.short_name, u.unit_type)]
    if has_diacritics(query):  # "Tiên Phong" is not "Tiền Phong" when the accents are written
        same = [u for u in same if address.spot(u.short_name).exact] or same
    if len(same) == 1:
        result.commune, result.district = same[0], same[0].parent
        return
    if same:
        result.error = _(
            "Several communes of %(province)s are called “%(name)s”: write the district too."
        ) % {"province": result.province.name, "name": query}
        result.candidates = same
        return
    result.error = _("No commune “%(name)s” was found in %(area)s.") % {
        "name": query,
        "area": result.province.name,
    }
    result.candidates = close_matches(query, units)


def _settle_without_commune(result: Resolution, address: AddressText) -> None:
    """A district but no commune: an island district converts as it is; else ask."""
    assert result.district is not None  # noqa: S101  (checked by the caller)
    communes = list(AdminUnit.objects.filter(parent=result.district))
    if not communes:
        return  # an island district without communes (Côn Đảo, Lý Sơn...) converts whole
    rest = address.leftovers()
    if not rest:
        result.error = _("Only a district was found (%(district)s): write the commune too.") % {
            "district": f"{result.district.name}, {result.province.name}"  # type: ignore[union-attr]
        }
        result.candidates = communes
        return
    query = rest[-1]
    result.error = _("No commune “%(name)s” was found in %(area)s.") % {
        "name": query,
        "area": result.district.full_name,
    }
    result.candidates = close_matches(query, communes)


def _follow_successions(result: Resolution) -> None:
    old = result.old_unit
    assert old is not None  # noqa: S101  (a resolution without error has one)
    result.new = [
        Successor(commune=s.new, province=s.new.parent, default=s.is_default)  # type: ignore[arg-type]
        for s in successors_of(old)
    ]
    if not result.new:
        result.error = _("%(unit)s has no successor in the 2025 tree.") % {"unit": old.full_name}
