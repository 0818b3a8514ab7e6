"""Demo registry: Tỉnh Bắc Kạn (old tree) as of 30/04/2019, illustrative data.

Source of the figures (seeds/004…: Cổng thông tin điện tử Bắc Kạn, 13/05/2019): "Đến hết tháng
4/2019, tỉnh Bắc Kạn có 167 hợp tác xã, trong đó có 123 hợp tác xã nông nghiệp và 44 hợp tác
phi nông nghiệp", naming HTX Cao Phong (Chợ Đồn), Trần Phú (Na Rì), Chè Mỹ Phương (Ba Bể),
Đông Nam Dược, Fresh Oil and Hợp Giang (Bạch Thông); and (seeds/000…) Huyện Chợ Mới with 15 HTX,
10 of them agricultural, of which 5 were founded in 2019 and not yet rated. Everything else
(names, codes, people, figures, the later status changes) is invented, deterministically.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TextIO

from simple_history.utils import bulk_create_with_history

from hoptac.accounts.models import User
from hoptac.areas.models import AdminUnit, Succession
from hoptac.registry import rules
from hoptac.registry.choices import Kind, MemberKind, Sector, Status, SubSector, sector_of
from hoptac.registry.models import Cooperative, Member, StatusChange

SEED = 20190430
AS_OF = date(2019, 4, 30)
PROVINCE = "06"

# district code → (agricultural, non-agricultural); totals 123 + 44 = 167 (seed 004);
# Chợ Mới (065): 15 HTX, 10 agricultural (seed 000).
PLAN: dict[str, tuple[int, int]] = {
    "058": (8, 10),  # Thành phố Bắc Kạn
    "060": (12, 2),  # Pác Nặm
    "061": (18, 6),  # Ba Bể
    "062": (13, 3),  # Ngân Sơn
    "063": (19, 5),  # Bạch Thông
    "064": (23, 7),  # Chợ Đồn
    "065": (10, 5),  # Chợ Mới
    "066": (20, 6),  # Na Rì
}
CHO_MOI = "065"
CHO_MOI_NEW_IN_2019 = 5  # agricultural HTX of Chợ Mới founded in 2019 (not yet rated)


@dataclass(frozen=True)
class Named:
    """An HTX the seed names: where it is and what it does (the district is the seed's; the
    commune, the sector of the last three, and everything else are illustrative)."""

    name: str
    commune: str  # old-tree commune code
    sub_sector: str
    founded: date


NAMED = [
    Named("HTX Cao Phong", "02047", SubSector.CROPS, date(2009, 6, 12)),  # Chợ Đồn
    Named("HTX Trần Phú", "02179", SubSector.LIVESTOCK, date(2016, 3, 8)),  # Na Rì
    Named("HTX Chè Mỹ Phương", "01927", SubSector.CROPS, date(2014, 9, 22)),  # Ba Bể
    Named("HTX Đông Nam Dược", "01849", SubSector.INDUSTRY, date(2017, 5, 15)),  # no district
    Named("HTX Fresh Oil", "01852", SubSector.INDUSTRY, date(2017, 11, 3)),  # no district
    Named("HTX Hợp Giang", "02008", SubSector.AGRI_GENERAL, date(2015, 7, 20)),  # Bạch Thông
]
MANAGER = ("htx.caophong", "HTX Cao Phong")

NAME_PATTERNS: dict[str, list[str]] = {
    SubSector.CROPS: [
        "HTX Nông nghiệp {c}",
        "HTX Chè {c}",
        "HTX Miến dong {c}",
        "HTX Cam quýt {c}",
        "HTX Rau an toàn {c}",
        "HTX Hồng không hạt {c}",
        "HTX Lúa nếp vải {c}",
    ],
    SubSector.LIVESTOCK: [
        "HTX Chăn nuôi {c}",
        "HTX Chăn nuôi lợn đen {c}",
        "HTX Nuôi ong {c}",
        "HTX Gà thả đồi {c}",
    ],
    SubSector.FORESTRY: ["HTX Lâm nghiệp {c}", "HTX Trồng rừng {c}", "HTX Quế hồi {c}"],
    SubSector.FISHERIES: ["HTX Nuôi cá {c}", "HTX Thủy sản {c}"],
    SubSector.AGRI_SERVICES: ["HTX Dịch vụ nông nghiệp {c}", "HTX Dịch vụ thủy lợi {c}"],
    SubSector.AGRI_GENERAL: ["HTX Nông lâm nghiệp {c}", "HTX Sản xuất nông nghiệp tổng hợp {c}"],
    SubSector.INDUSTRY: ["HTX Mộc {c}", "HTX Chế biến gỗ {c}", "HTX Dệt thổ cẩm {c}"],
    SubSector.CONSTRUCTION: ["HTX Xây dựng {c}"],
    SubSector.TRADE: ["HTX Thương mại và Dịch vụ {c}", "HTX Du lịch cộng đồng {c}"],
    SubSector.TRANSPORT: ["HTX Vận tải {c}"],
    SubSector.ENVIRONMENT: ["HTX Vệ sinh môi trường {c}"],
    SubSector.OTHER: ["HTX Dịch vụ tổng hợp {c}"],
}
AGRI_WEIGHTS = {
    SubSector.CROPS: 40,
    SubSector.LIVESTOCK: 22,
    SubSector.FORESTRY: 12,
    SubSector.FISHERIES: 4,
    SubSector.AGRI_SERVICES: 10,
    SubSector.AGRI_GENERAL: 12,
}
OTHER_WEIGHTS = {
    SubSector.INDUSTRY: 30,
    SubSector.CONSTRUCTION: 15,
    SubSector.TRADE: 25,
    SubSector.TRANSPORT: 15,
    SubSector.ENVIRONMENT: 10,
    SubSector.OTHER: 5,
}
BUSINESS_LINES = {
    SubSector.CROPS: "Trồng và tiêu thụ cây trồng; cung ứng giống, vật tư nông nghiệp",
    SubSector.LIVESTOCK: "Chăn nuôi gia súc, gia cầm; cung ứng con giống, thức ăn chăn nuôi",
    SubSector.FORESTRY: "Trồng, chăm sóc rừng; khai thác và tiêu thụ lâm sản",
    SubSector.FISHERIES: "Nuôi trồng thủy sản nước ngọt",
    SubSector.AGRI_SERVICES: "Dịch vụ làm đất, thủy lợi, bảo vệ thực vật",
    SubSector.AGRI_GENERAL: "Sản xuất nông, lâm nghiệp; chế biến và tiêu thụ nông sản",
    SubSector.INDUSTRY: "Sản xuất, chế biến sản phẩm; tiểu thủ công nghiệp",
    SubSector.CONSTRUCTION: "Xây dựng công trình dân dụng, giao thông, thủy lợi nhỏ",
    SubSector.TRADE: "Kinh doanh thương mại, dịch vụ",
    SubSector.TRANSPORT: "Vận tải hành khách và hàng hóa đường bộ",
    SubSector.ENVIRONMENT: "Thu gom, vận chuyển và xử lý rác thải",
    SubSector.OTHER: "Dịch vụ tổng hợp",
}
FAMILY = ["Hoàng", "Nông", "Triệu", "Ma", "Lục", "Hà", "Lý", "Đàm", "Nguyễn", "Bế", "Lưu", "Dương"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Thị Thu", "Văn Thanh", "Thị Hồng", "Quang"]
GIVEN = ["An", "Bình", "Chiến", "Dung", "Hạnh", "Hùng", "Lan", "Luyến", "Mai", "Phong", "Quý",
         "Sơn", "Thắm", "Thủy", "Tuấn", "Vinh", "Xuân", "Yến", "Đông", "Hoa"]  # fmt: skip
HAMLET = ["Nà", "Bản", "Khuổi", "Pác", "Cốc", "Phiêng", "Nặm"]
HAMLET_END = ["Làng", "Chang", "Đẩy", "Châm", "Hoạt", "Cuôn", "Lẹng", "Pài", "Mu", "Cà", "Tàng"]


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def _founded(rng: random.Random, *, in_2019: bool = False) -> date:
    """A founding date 2000–2019 (more in later years), never after 30/04/2019."""
    if in_2019:
        return date(2019, 1, 2) + timedelta(days=rng.randrange(118))
    year = min(2019, 2000 + int(rng.triangular(0, 19.99, 17)))
    start = date(year, 1, 1)
    last = AS_OF if year == 2019 else date(year, 12, 31)
    return start + timedelta(days=rng.randrange((last - start).days + 1))


@dataclass
class Planned:
    """One demo HTX before it is written."""

    name: str
    commune: AdminUnit
    sub_sector: str
    founded: date
    named: bool = False


def _plan(rng: random.Random, communes: dict[str, list[AdminUnit]]) -> list[Planned]:
    """The 167 HTX: the named ones, then the rest by district and sector."""
    by_code = {c.code: c for units in communes.values() for c in units}
    planned = [
        Planned(n.name, by_code[n.commune], n.sub_sector, n.founded, named=True) for n in NAMED
    ]
    used = {p.name for p in planned}
    for district, (agri, other) in PLAN.items():
        here = [p for p in planned if p.commune.parent.code == district]
        need = {
            Sector.AGRICULTURAL: agri - sum(_is_agri(p.sub_sector) for p in here),
            Sector.NON_AGRICULTURAL: other - sum(not _is_agri(p.sub_sector) for p in here),
        }
        new_in_2019 = CHO_MOI_NEW_IN_2019 if district == CHO_MOI else 0
        for sector, count in need.items():
            weights = AGRI_WEIGHTS if sector == Sector.AGRICULTURAL else OTHER_WEIGHTS
            for _i in range(count):
                sub_sector = _weighted(rng, weights)
                commune = rng.choice(communes[district])
                name = _unique_name(rng, sub_sector, commune, used)
                in_2019 = sector == Sector.AGRICULTURAL and new_in_2019 > 0
                if in_2019:
                    new_in_2019 -= 1
                founded = _founded(rng, in_2019=in_2019)
                if district == CHO_MOI and sector == Sector.AGRICULTURAL and not in_2019:
                    founded = min(founded, date(2018, 6, 30))  # rated in 2019: older than 2019
                planned.append(Planned(name, commune, sub_sector, founded))
    return planned


def _is_agri(sub_sector: str) -> bool:
    return sector_of(sub_sector) == Sector.AGRICULTURAL


def _unique_name(rng: random.Random, sub_sector: str, commune: AdminUnit, used: set[str]) -> str:
    patterns = NAME_PATTERNS[sub_sector][:]
    rng.shuffle(patterns)
    for pattern in patterns:
        name = pattern.format(c=commune.short_name)
        if name not in used:
            used.add(name)
            return name
    for number in range(2, 100):
        name = f"{patterns[0].format(c=commune.short_name)} {number}"
        if name not in used:
            used.add(name)
            return name
    raise ValueError(name)


def _authority(commune: AdminUnit) -> str:
    district = commune.parent
    word = "thành phố" if district.unit_type == "thanh_pho" else "huyện"
    return f"Phòng Tài chính – Kế hoạch {word} {district.short_name}"


def _phone(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return f"0209 3{rng.randrange(10**5):05d}"
    return f"09{rng.randrange(10**8):08d}"


def load(out: TextIO) -> None:
    """Create the demo registry of Bắc Kạn once; a second run changes nothing."""
    province = AdminUnit.objects.get(era="legacy", code=PROVINCE, level=1)
    districts = {d.code: d for d in AdminUnit.objects.filter(parent=province)}
    missing = set(PLAN) - set(districts)
    if missing:
        raise ValueError(f"districts not found in the old tree: {sorted(missing)}")
    communes: dict[str, list[AdminUnit]] = {code: [] for code in PLAN}
    for unit in AdminUnit.objects.filter(parent__in=districts.values()).select_related("parent"):
        communes[unit.parent.code].append(unit)
    successors = {
        s.old_id: s.new
        for s in Succession.objects.filter(
            old__parent__in=districts.values(), is_default=True
        ).select_related("new")
    }
    rng = random.Random(SEED)  # noqa: S311  (demo data: deterministic, not a secret)
    planned = _plan(rng, communes)
    codes = _tax_codes(rng, len(planned))
    later = _later_statuses(rng, planned, codes)
    existing = set(
        Cooperative.objects.filter(tax_code__in=codes).values_list("tax_code", flat=True)
    )
    cooperatives: list[Cooperative] = []
    rosters: dict[str, list[Member]] = {}
    for item, code in zip(planned, codes, strict=True):
        cooperative, roster = _build(rng, item, code, successors)
        if code in later:
            cooperative.status = later[code][-1][0]
        if code not in existing:
            cooperatives.append(cooperative)
            rosters[code] = roster
    if cooperatives:
        bulk_create_with_history(cooperatives, Cooperative, batch_size=500)
        by_code = {c.tax_code: c for c in Cooperative.objects.filter(tax_code__in=rosters)}
        _write_history(by_code, later)
        members = []
        for code, roster in rosters.items():
            for member in roster:
                member.cooperative = by_code[code]
                members.append(member)
        bulk_create_with_history(members, Member, batch_size=2000)
    bound = _bind_manager()
    out.write(
        f"demo registry: {len(cooperatives)} cooperatives created in Tỉnh Bắc Kạn "
        f"({len(planned)} planned){', manager bound' if bound else ''}\n"
    )


Step = tuple[str, date, str]


def _later_statuses(
    rng: random.Random, planned: list[Planned], codes: list[str]
) -> dict[str, list[Step]]:
    """After April 2019 a few HTX suspend, resume or dissolve (never the named ones, nor those
    of Chợ Mới, which later issues rate): tax code → status changes."""
    candidates = [
        code
        for item, code in zip(planned, codes, strict=True)
        if not item.named and item.commune.parent.code != CHO_MOI
    ]
    later: dict[str, list[Step]] = {}
    for index, code in enumerate(rng.sample(candidates, 10)):
        if index < 4:  # dissolved: resolution in 2021, dissolved in 2022
            later[code] = [
                (Status.DISSOLVING, date(2021, 3 + index, 15), "Nghị quyết giải thể tự nguyện"),
                (Status.DISSOLVED, date(2022, 1 + index, 10), "Hoàn thành thủ tục giải thể"),
            ]
        elif index < 7:  # suspended, then resumed
            later[code] = [
                (Status.SUSPENDED, date(2020, 4, 1), "Tạm ngừng do dịch COVID-19"),
                (Status.ACTIVE, date(2021, 4, 1), "Hoạt động trở lại"),
            ]
        else:  # still suspended
            later[code] = [(Status.SUSPENDED, date(2024, 7, 1), "Tạm ngừng kinh doanh 12 tháng")]
    return later


def _write_history(by_code: dict[str, Cooperative], later: dict[str, list[Step]]) -> None:
    """Every HTX operating from its founding, then the later changes."""
    changes: list[StatusChange] = []
    for code in sorted(by_code):
        cooperative = by_code[code]
        steps: list[Step] = [(Status.ACTIVE, cooperative.founded_on, "Đăng ký thành lập")]  # type: ignore[list-item]
        for status, on, note in steps + later.get(code, []):
            changes.append(
                StatusChange(cooperative=cooperative, status=status, effective_on=on, note=note)
            )
    bulk_create_with_history(changes, StatusChange, batch_size=1000)


def _tax_codes(rng: random.Random, count: int) -> list[str]:
    """Distinct 10-digit codes starting with 47 (Bắc Kạn's tax office prefix)."""
    numbers = rng.sample(range(10**6), count)
    return [f"4700{n:06d}" for n in numbers]


def _build(
    rng: random.Random, item: Planned, code: str, successors: dict[int, AdminUnit]
) -> tuple[Cooperative, list[Member]]:
    commune = item.commune
    current = successors.get(commune.pk)
    roster = _roster(rng, item)
    today_members = [m for m in roster if m.left_on is None]
    representative = roster[0].name
    capital = sum((m.capital_contributed or Decimal(0)) for m in roster)
    street = f"Thôn {rng.choice(HAMLET)} {rng.choice(HAMLET_END)}"
    cooperative = Cooperative(
        kind=Kind.COOPERATIVE,
        name=item.name,
        short_name=item.name.removeprefix("HTX "),
        tax_code=code,
        founded_on=item.founded,
        registered_on=item.founded,
        registering_authority=_authority(commune),
        representative_name=representative,
        representative_title="Giám đốc",
        representative_phone=_phone(rng),
        phone=_phone(rng),
        street=street,
        commune_legacy=commune,
        commune=current,
        province_legacy_id=commune.province_id,
        district_legacy_id=commune.parent_id,
        province_id=current.province_id if current else None,
        latitude=commune.latitude,
        longitude=commune.longitude,
        sector=sector_of(item.sub_sector),
        sub_sector=item.sub_sector,
        business_lines=BUSINESS_LINES[item.sub_sector],
        charter_capital=capital,
        members_count=len(today_members),
        workers_count=rng.randint(3, 12) if not item.named else rng.randint(15, 60),
        high_tech=item.named or rng.random() < 0.05,
        value_chain=item.named or rng.random() < 0.15,
        model_cooperative=item.named,
        is_published=True,
        status=Status.ACTIVE,
    )
    cooperative.search_text = rules.search_fold(
        cooperative.name,
        cooperative.short_name,
        code,
        representative,
        street,
        commune.full_name,
        current.full_name if current else "",
    )
    cooperative.name_key = rules.name_key(cooperative.name)
    return cooperative, roster


def _roster(rng: random.Random, item: Planned) -> list[Member]:
    """Founders (at least 7, as the 2012 law required) and later members."""
    size = rng.randint(40, 120) if item.named else rng.randint(7, 35)
    members = []
    for index in range(size):
        founder = index < 7
        joined = item.founded
        if not founder:
            span = max((AS_OF - item.founded).days, 1)
            joined = item.founded + timedelta(days=rng.randrange(span))
        kind = MemberKind.PERSON
        if not founder and rng.random() < 0.2:
            kind = MemberKind.HOUSEHOLD
        name = _person(rng)
        if kind == MemberKind.HOUSEHOLD:
            name = f"Hộ {name}"
        left = None
        if not founder and rng.random() < 0.04:
            left = joined + timedelta(days=rng.randint(200, 1500))
        members.append(
            Member(
                kind=kind,
                name=name,
                joined_on=joined,
                left_on=left,
                capital_contributed=Decimal(rng.randint(20, 500) * 100_000),
                is_official=rng.random() < 0.9 or founder,
            )
        )
    return members


def _bind_manager() -> bool:
    """Bind the demo HTX manager account to his HTX (once)."""
    username, name = MANAGER
    user = User.objects.filter(username=username).first()
    cooperative = Cooperative.objects.filter(name=name, province_legacy__code=PROVINCE).first()
    if user is None or cooperative is None or cooperative.managers.filter(pk=user.pk).exists():
        return False
    cooperative.managers.add(user)
    return True
