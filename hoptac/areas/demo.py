"""Demo letterheads (who issues and signs an area's documents): the province of the old tree
as in 2019, when the Department of Planning and Investment followed cooperatives, the province
of the new tree with the Department of Finance, and a district. The signers' names are
illustrative. Created once, never overwritten; other areas use the defaults."""

from typing import TextIO

from hoptac.areas.choices import Era
from hoptac.areas.models import AdminUnit, Letterhead

DEMO_LETTERHEADS = [
    (
        (Era.LEGACY, "06"),
        {
            "parent_body": "UBND TỈNH BẮC KẠN",
            "issuing_body": "SỞ KẾ HOẠCH VÀ ĐẦU TƯ",
            "symbol": "SKHĐT",
            "place": "Bắc Kạn",
            "signer_authority": "KT. GIÁM ĐỐC",
            "signer_title": "PHÓ GIÁM ĐỐC",
            "signer_name": "Hà Văn Thịnh",
            "recipients": "Bộ Kế hoạch và Đầu tư\nUBND tỉnh Bắc Kạn\nLưu: VT, ĐKKD",
        },
    ),
    (
        (Era.CURRENT, "19"),
        {
            "parent_body": "UBND TỈNH THÁI NGUYÊN",
            "issuing_body": "SỞ TÀI CHÍNH",
            "symbol": "STC",
            "place": "Thái Nguyên",
            "signer_authority": "KT. GIÁM ĐỐC",
            "signer_title": "PHÓ GIÁM ĐỐC",
            "signer_name": "Nguyễn Thị Hằng",
            "recipients": "Bộ Tài chính\nUBND tỉnh Thái Nguyên\nLưu: VT, KTTH",
        },
    ),
    (
        (Era.LEGACY, "065"),
        {
            "parent_body": "",
            "issuing_body": "ỦY BAN NHÂN DÂN HUYỆN CHỢ MỚI",
            "symbol": "UBND",
            "place": "Chợ Mới",
            "signer_authority": "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH",
            "signer_title": "PHÓ CHỦ TỊCH",
            "signer_name": "Lường Văn Tâm",
            "recipients": "Sở Kế hoạch và Đầu tư tỉnh Bắc Kạn\nTT Huyện ủy, HĐND huyện\nLưu: VT",
        },
    ),
]


def load(out: TextIO) -> None:
    """Create the demo letterheads that do not exist yet."""
    created = 0
    for (era, code), values in DEMO_LETTERHEADS:
        unit = AdminUnit.objects.filter(era=era, code=code).first()
        if unit is None or Letterhead.objects.filter(area=unit).exists():
            continue
        Letterhead.objects.create(area=unit, **values)
        created += 1
    out.write(f"demo letterheads: {created} created\n")
