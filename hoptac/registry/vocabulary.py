"""The words officers write for a cooperative's sector, sub-sector and status, and how they are
read: lists of words as data, the reading as pure functions (no database, no translations).

Statistics offices and communes fill a "Lĩnh vực" column with whichever level they know: the
sector ("Nông nghiệp"), the sub-sector ("Trồng trọt", "Công nghiệp - TTCN") or both
("Nông nghiệp - Trồng trọt", "NN - Trồng trọt", "Phi nông nghiệp / Thương mại"). read_sector
gives both fields from any of these. Words are compared without diacritics or case, with the
usual abbreviations spelled out (ABBREVIATIONS).

Sources of the lists: the agricultural sub-sectors are the activities of TT 09/2017/TT-BNNPTNT
(Điều 3: trồng trọt, chăn nuôi, lâm nghiệp, thủy sản, diêm nghiệp, tổng hợp); the
non-agricultural ones are the reporting groups of provincial and national reports (Liên minh
HTX Việt Nam's 31/12/2023 list; ND 113/2024/NĐ-CP Điều 4's groups), mapped from the VSIC 2018
sections (QĐ 27/2018/QĐ-TTg): electricity (section D) is industry; clean water supply and
waste (section E) is the environment group that provinces count apart.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from hoptac.core.text import fold
from hoptac.registry.choices import Sector, Status, SubSector, sector_of

# Abbreviations spelled out word by word before any list is consulted.
ABBREVIATIONS: dict[str, str] = {
    "nn": "nong nghiep",
    "pnn": "phi nong nghiep",
    "ttcn": "tieu thu cong nghiep",
    "dv": "dich vu",
    "tm": "thuong mai",
    "tmdv": "thuong mai dich vu",
    "dvnn": "dich vu nong nghiep",
    "xd": "xay dung",
    "gtvt": "giao thong van tai",
    "qtdnd": "quy tin dung nhan dan",
    "hd": "hoat dong",
    "gcn": "giay chung nhan",
}

# Words that only announce what follows ("HTX nông nghiệp", "Lĩnh vực trồng trọt", "Ngành
# chăn nuôi") and words joining two names ("trồng trọt và chăn nuôi").
LEADING_WORDS = ("hop tac xa", "htx", "to hop tac", "tht", "linh vuc", "nganh", "khu vuc")
JOINING_WORDS = frozenset({"va", "and", "kiem"})

# The sectors named alone.
SECTOR_WORDS: dict[str, tuple[str, ...]] = {
    Sector.AGRICULTURAL: (
        "nong nghiep",
        "nong lam nghiep",
        "nong lam ngu nghiep",
        "nong lam thuy san",
        "san xuat nong nghiep",
        "agricultural",
        "agriculture",
        "nong_nghiep",
    ),
    Sector.NON_AGRICULTURAL: (
        "phi nong nghiep",
        "ngoai nong nghiep",
        "non agricultural",
        "non agriculture",
        "phi_nong_nghiep",
    ),
}

# The sub-sectors, each by its Vietnamese names (label, short forms, what lists write), its
# English label and its stored code.
SUB_SECTOR_WORDS: dict[str, tuple[str, ...]] = {
    SubSector.CROPS: (
        "trong trot",
        "cay trong",
        "trong cay",
        "trong lua",
        "trong rau",
        "trong che",
        "crop farming",
        "crops",
    ),
    SubSector.LIVESTOCK: (
        "chan nuoi",
        "chan nuoi gia suc",
        "chan nuoi gia cam",
        "chan nuoi gia suc gia cam",
        "livestock",
    ),
    SubSector.FORESTRY: ("lam nghiep", "trong rung", "forestry"),
    SubSector.FISHERIES: (
        "thuy san",
        "thuy hai san",
        "nuoi trong thuy san",
        "khai thac thuy san",
        "danh bat thuy san",
        "khai thac danh bat thuy san",
        "ngu nghiep",
        "fisheries",
        "aquaculture",
        "fisheries and aquaculture",
    ),
    SubSector.SALT: ("diem nghiep", "san xuat muoi", "lam muoi", "muoi", "salt production"),
    SubSector.AGRI_SERVICES: (
        "dich vu nong nghiep",
        "thuy loi",
        "dich vu thuy loi",
        "agricultural services",
    ),
    SubSector.AGRI_GENERAL: (
        "nong nghiep tong hop",
        "tong hop",
        "dich vu nong nghiep tong hop",
        "general agriculture",
    ),
    SubSector.INDUSTRY: (
        "cong nghiep",
        "tieu thu cong nghiep",
        "cong nghiep tieu thu cong nghiep",
        "cn tieu thu cong nghiep",
        "thu cong nghiep",
        "thu cong my nghe",
        "lang nghe",
        "dien",
        "dien nang",
        "kinh doanh dien",
        "dich vu dien",
        "industry",
        "handicrafts",
        "industry and handicrafts",
    ),
    SubSector.CONSTRUCTION: ("xay dung", "construction"),
    SubSector.TRADE: (
        "thuong mai",
        "thuong mai dich vu",
        "dich vu thuong mai",
        "trade",
        "trade and services",
    ),
    SubSector.TRANSPORT: (
        "van tai",
        "giao thong van tai",
        "dich vu van tai",
        "van tai hanh khach",
        "van tai hang hoa",
        "transport",
    ),
    SubSector.CREDIT: (
        "tin dung",
        "quy tin dung",
        "quy tin dung nhan dan",
        "tin dung nhan dan",
        "credit",
        "people s credit fund",
    ),
    SubSector.HOUSING: ("nha o", "housing"),
    SubSector.ENVIRONMENT: (
        "moi truong",
        "ve sinh moi truong",
        "dich vu moi truong",
        "nuoc sach",
        "cap nuoc",
        "cap nuoc sach",
        "thu gom rac",
        "environment",
    ),
    SubSector.OTHER: ("khac", "linh vuc khac", "other"),
}

# Words that name more than one sub-sector: refused, with the names that would be read.
AMBIGUOUS_WORDS: dict[str, tuple[str, ...]] = {
    "dich vu": (SubSector.TRADE, SubSector.AGRI_SERVICES),
    "dich vu tong hop": (SubSector.TRADE, SubSector.AGRI_GENERAL),
    "cong thuong": (SubSector.INDUSTRY, SubSector.TRADE),
}

# Statuses as lists and officers write them, beside the labels of Status (ND 92/2024/NĐ-CP
# Điều 27–28 name the statuses). "Ngừng hoạt động" alone, as provinces count it ("đang hoạt
# động / ngừng hoạt động / giải thể"), is an organisation that stopped but still exists and
# may resume: read as SUSPENDED, never as a dissolution, which nothing could undo.
STATUS_WORDS: dict[str, str] = {
    "hoat dong": Status.ACTIVE,
    "dang hoat dong": Status.ACTIVE,
    "dang hd": Status.ACTIVE,
    "hoat dong binh thuong": Status.ACTIVE,
    "con hoat dong": Status.ACTIVE,
    "tam ngung": Status.SUSPENDED,
    "tam ngung hoat dong": Status.SUSPENDED,
    "tam ngung kinh doanh": Status.SUSPENDED,
    "tam ngung hd": Status.SUSPENDED,
    "tam ngung sxkd": Status.SUSPENDED,
    "tam ngung san xuat kinh doanh": Status.SUSPENDED,
    "tam dung": Status.SUSPENDED,
    "tam dung hoat dong": Status.SUSPENDED,
    "ngung hoat dong": Status.SUSPENDED,
    "ngung hd": Status.SUSPENDED,
    "ngung hoat dong cho giai the": Status.DISSOLVING,
    "ngung hd cho giai the": Status.DISSOLVING,
    "cho giai the": Status.DISSOLVING,
    "dang giai the": Status.DISSOLVING,
    "lam thu tuc giai the": Status.DISSOLVING,
    "dang lam thu tuc giai the": Status.DISSOLVING,
    "giai the": Status.DISSOLVED,
    "da giai the": Status.DISSOLVED,
    "thu hoi gcn": Status.REVOKED,
    "bi thu hoi gcn": Status.REVOKED,
    "bi thu hoi giay chung nhan": Status.REVOKED,
    "thu hoi giay chung nhan dang ky": Status.REVOKED,
    "bi thu hoi": Status.REVOKED,
    "cuong che thue": Status.REVOKED_TAX,
    "thu hoi do cuong che thue": Status.REVOKED_TAX,
    "dang pha san": Status.BANKRUPTCY,
    "lam thu tuc pha san": Status.BANKRUPTCY,
    "pha san": Status.BANKRUPT,
    "da pha san": Status.BANKRUPT,
    "khong hoat dong tai dia chi": Status.NOT_AT_ADDRESS,
    "khong hoat dong tai dia chi dang ky": Status.NOT_AT_ADDRESS,
}

_NON_WORD = re.compile(r"[^a-z0-9_]+")
MAX_WORDS = 16  # longer text is no sector name: not split into every grouping


def words(text: str) -> tuple[str, ...]:
    """The words of `text` as compared: folded, punctuation dropped, abbreviations spelled out
    ("Công nghiệp - TTCN" gives cong nghiep tieu thu cong nghiep)."""
    out: list[str] = []
    for word in _NON_WORD.sub(" ", fold(text)).split():
        out.extend(ABBREVIATIONS.get(word, word).split())
    return tuple(out)


def normalize(text: str) -> str:
    """`text` as the word lists write it: words() joined by spaces."""
    return " ".join(words(text))


@dataclass(frozen=True, slots=True)
class SectorReading:
    """What a sector cell says: the sector, and the sub-sector when it names one."""

    sector: str
    sub_sector: str | None = None


class AmbiguousSector(ValueError):  # noqa: N818  (a reading's outcome, not a failure)
    """The words name several sub-sectors (`options`): the officer must choose."""

    def __init__(self, options: tuple[str, ...]) -> None:
        super().__init__(options)
        self.options = options


class ConflictingSector(ValueError):  # noqa: N818
    """The words name a sector and a sub-sector of the other sector."""

    def __init__(self, sector: str, sub_sector: str) -> None:
        super().__init__(sector, sub_sector)
        self.sector = sector
        self.sub_sector = sub_sector


@functools.cache
def _index() -> dict[str, SectorReading]:
    index: dict[str, SectorReading] = {}
    for sector, names in SECTOR_WORDS.items():
        for name in names:
            index[normalize(name)] = SectorReading(str(sector))
    for sub_sector, names in SUB_SECTOR_WORDS.items():
        reading = SectorReading(str(sector_of(sub_sector)), str(sub_sector))
        for name in (*names, sub_sector):
            index.setdefault(normalize(name), reading)
    return index


def _without_leading(found: tuple[str, ...]) -> tuple[str, ...]:
    text = " ".join(found)
    for leading in LEADING_WORDS:
        if text.startswith(leading + " "):
            return tuple(text[len(leading) + 1 :].split())
    return found


def _combine(readings: list[SectorReading]) -> SectorReading:
    """One reading of several names: one sector (else ConflictingSector); the one sub-sector
    they name, or "Nông nghiệp tổng hợp" for several agricultural ones (TT 09/2017 Điều 3: an
    HTX of several of these activities), or none for several others."""
    sectors = {r.sector for r in readings if r.sub_sector is None}
    subs = list(dict.fromkeys(r.sub_sector for r in readings if r.sub_sector))
    for sub in subs:
        sectors.add(str(sector_of(sub)))
    if len(sectors) > 1:
        sector_only = next((r.sector for r in readings if r.sub_sector is None), None)
        other = next(s for s in subs if sector_of(s) != sector_only) if sector_only else subs[0]
        raise ConflictingSector(sector_only or str(sector_of(subs[-1])), other)
    sector = sectors.pop()
    if len(subs) == 1:
        return SectorReading(sector, subs[0])
    if subs and sector == Sector.AGRICULTURAL:
        return SectorReading(sector, str(SubSector.AGRI_GENERAL))
    return SectorReading(sector)


@functools.lru_cache(maxsize=4096)
def read_sector(text: str) -> SectorReading | None:
    """The sector and sub-sector that `text` names, or None when it names none we know.

    The whole text is looked up first ("Thương mại - dịch vụ" is one sub-sector); else it is
    cut into the fewest known names ("NN - Trồng trọt", "Phi nông nghiệp / Thương mại",
    "Trồng trọt và chăn nuôi"). Raises AmbiguousSector for a word such as "Dịch vụ" alone,
    ConflictingSector for "Phi nông nghiệp - Trồng trọt".
    """
    found = _without_leading(words(text))
    if not found:
        return None
    index = _index()
    whole = " ".join(found)
    if whole in index:
        return index[whole]
    if whole in AMBIGUOUS_WORDS:
        raise AmbiguousSector(AMBIGUOUS_WORDS[whole])
    if len(found) > MAX_WORDS:
        return None
    # best[i]: the fewest names covering found[:i] (joining words cost nothing).
    best: list[list[SectorReading] | None] = [None] * (len(found) + 1)
    best[0] = []
    for end in range(1, len(found) + 1):
        for start in range(end):
            before = best[start]
            if before is None:
                continue
            part = " ".join(_without_leading(found[start:end]))
            if part in JOINING_WORDS and start > 0:
                candidate = before
            elif part in index:
                candidate = [*before, index[part]]
            else:
                continue
            if best[end] is None or len(candidate) < len(best[end]):  # type: ignore[arg-type]
                best[end] = candidate
    readings = best[len(found)]
    if not readings:
        return None
    return _combine(readings)
