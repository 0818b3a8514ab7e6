"""The words of sectors, sub-sectors and statuses (registry.vocabulary): pure, no database."""

from __future__ import annotations

import pytest
from django.utils import translation

from hoptac.registry import vocabulary
from hoptac.registry.choices import Sector, Status, SubSector, sector_of
from hoptac.registry.vocabulary import SectorReading, read_sector

AGRI, NON = Sector.AGRICULTURAL, Sector.NON_AGRICULTURAL


@pytest.mark.parametrize(
    ("text", "sector", "sub_sector"),
    [
        # as statistics offices fill "Lĩnh vực": the sub-sector alone
        ("Trồng trọt", AGRI, SubSector.CROPS),
        ("Chăn nuôi", AGRI, SubSector.LIVESTOCK),
        ("Lâm nghiệp", AGRI, SubSector.FORESTRY),
        ("Thủy sản", AGRI, SubSector.FISHERIES),
        ("Thuỷ sản", AGRI, SubSector.FISHERIES),  # the old placement of the tone mark
        ("Công nghiệp - TTCN", NON, SubSector.INDUSTRY),
        ("CN-TTCN", NON, SubSector.INDUSTRY),
        ("Tiểu thủ công nghiệp", NON, SubSector.INDUSTRY),
        ("Thương mại - dịch vụ", NON, SubSector.TRADE),
        ("TM-DV", NON, SubSector.TRADE),
        ("Vận tải", NON, SubSector.TRANSPORT),
        ("Giao thông vận tải", NON, SubSector.TRANSPORT),
        ("Xây dựng", NON, SubSector.CONSTRUCTION),
        ("Tín dụng", NON, SubSector.CREDIT),
        ("QTDND", NON, SubSector.CREDIT),
        ("Nước sạch", NON, SubSector.ENVIRONMENT),  # VSIC section E
        ("Điện", NON, SubSector.INDUSTRY),  # VSIC section D
        ("Dịch vụ nông nghiệp", AGRI, SubSector.AGRI_SERVICES),
        ("DVNN", AGRI, SubSector.AGRI_SERVICES),
        # the sector alone
        ("Nông nghiệp", AGRI, None),
        ("NN", AGRI, None),
        ("HTX nông nghiệp", AGRI, None),
        ("PNN", NON, None),
        ("Phi NN", NON, None),
        ("HTX phi nông nghiệp", NON, None),
        ("non-agricultural", NON, None),
        # both
        ("Nông nghiệp - Trồng trọt", AGRI, SubSector.CROPS),
        ("NN - Trồng trọt", AGRI, SubSector.CROPS),
        ("nong nghiep/trong trot", AGRI, SubSector.CROPS),
        ("Phi nông nghiệp / Thương mại", NON, SubSector.TRADE),
        ("PNN: Vận tải", NON, SubSector.TRANSPORT),
        ("Trồng trọt (nông nghiệp)", AGRI, SubSector.CROPS),
        ("Lĩnh vực chăn nuôi", AGRI, SubSector.LIVESTOCK),
        # several agricultural activities: "tổng hợp" (TT 09/2017 Điều 3)
        ("Trồng trọt và chăn nuôi", AGRI, SubSector.AGRI_GENERAL),
        ("Nông nghiệp (trồng trọt, chăn nuôi)", AGRI, SubSector.AGRI_GENERAL),
        # several non-agricultural ones: the sector only
        ("Công nghiệp - xây dựng", NON, None),
    ],
)
def test_a_sector_cell_gives_the_sector_and_the_sub_sector(text, sector, sub_sector):
    assert read_sector(text) == SectorReading(sector, sub_sector)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_label_and_code_reads_as_itself(language):
    with translation.override(language):
        for sub_sector in SubSector:
            expected = SectorReading(sector_of(sub_sector), sub_sector)
            assert read_sector(str(sub_sector.label)) == expected, sub_sector.label
            assert read_sector(sub_sector.value) == expected
        for sector in Sector:
            assert read_sector(str(sector.label)) == SectorReading(sector), sector.label


@pytest.mark.parametrize("text", ["Xyz", "Hợp tác", "", "  ", "Nông nghiệp công nghệ cao x"])
def test_unknown_words_are_none(text):
    assert read_sector(text) is None


def test_dich_vu_alone_is_ambiguous():
    with pytest.raises(vocabulary.AmbiguousSector) as caught:
        read_sector("Dịch vụ")
    assert caught.value.options == (SubSector.TRADE, SubSector.AGRI_SERVICES)


@pytest.mark.parametrize(
    ("text", "sector", "sub_sector"),
    [
        ("Phi nông nghiệp - Trồng trọt", NON, SubSector.CROPS),
        ("Nông nghiệp / Vận tải", AGRI, SubSector.TRANSPORT),
    ],
)
def test_a_sector_and_a_sub_sector_of_the_other_sector_conflict(text, sector, sub_sector):
    with pytest.raises(vocabulary.ConflictingSector) as caught:
        read_sector(text)
    assert (caught.value.sector, caught.value.sub_sector) == (sector, sub_sector)


def test_every_word_of_the_lists_reads_as_its_own_entry():
    for sub_sector, names in vocabulary.SUB_SECTOR_WORDS.items():
        for name in names:
            assert read_sector(name) == SectorReading(sector_of(sub_sector), sub_sector), name
    for sector, names in vocabulary.SECTOR_WORDS.items():
        for name in names:
            assert read_sector(name) == SectorReading(sector), name


def test_words_spell_out_abbreviations_and_drop_diacritics():
    assert vocabulary.normalize("Công nghiệp - TTCN") == "cong nghiep tieu thu cong nghiep"
    assert vocabulary.normalize("Đang HĐ") == "dang hoat dong"


@pytest.mark.parametrize(
    ("words", "status"),
    [
        ("hoat dong", Status.ACTIVE),
        ("ngung hoat dong", Status.SUSPENDED),  # stopped, not dissolved: it may resume
        ("tam ngung", Status.SUSPENDED),
        ("cho giai the", Status.DISSOLVING),
        ("ngung hoat dong cho giai the", Status.DISSOLVING),
        ("giai the", Status.DISSOLVED),
        ("da giai the", Status.DISSOLVED),
        ("pha san", Status.BANKRUPT),
    ],
)
def test_status_words(words, status):
    assert vocabulary.STATUS_WORDS[words] == status
