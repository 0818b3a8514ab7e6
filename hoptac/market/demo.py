"""Demo products, brands, trade promotion and value-chain links of Tỉnh Bắc Kạn (old tree):
illustrative data.

Source of the themes (seeds/004…: Cổng thông tin điện tử Bắc Kạn, 13/05/2019): HTX Chè Mỹ
Phương, Đông Nam Dược, Fresh Oil, Trần Phú (chicken farming), Cao Phong and Hợp Giang "make
goods of good quality and fine design, for export and home use", and the province supports
"nhãn mác, bao bì sản phẩm hàng hóa, xúc tiến thương mại, mở rộng thị trường, liên doanh, liên
kết". The products follow the HTX's names (tea, medicinal herbs, oils, chickens); certifications,
trademarks, companies, events, figures and dates are invented, and the company names say so.

On 31/12/2019, exactly LINKED_2019 of the 167 demo HTX of Bắc Kạn have a value-chain link in
force, so the indicator "share of HTX in value chains" is 24 / 167 = 14.4 %.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TextIO

from hoptac.accounts.models import User
from hoptac.areas.models import AdminUnit
from hoptac.market import services
from hoptac.market.choices import Category, CertificationKind, EventKind, LinkKind, LinkStatus
from hoptac.market.models import PartnerCompany, Product, TradeEvent, ValueChainLink
from hoptac.registry.models import Cooperative

SEED = 20190514
PROVINCE = "06"
LINKED_2019 = 24


@dataclass(frozen=True)
class DemoProduct:
    cooperative: str
    name: str
    category: str
    unit: str
    season: str
    certifications: tuple[tuple[str, int | None, int], ...] = ()


PRODUCTS = [
    DemoProduct(
        "HTX Chè Mỹ Phương",
        "Chè Shan tuyết Mỹ Phương",
        Category.TEA,
        "kg",
        "Tháng 3 – 11",
        ((CertificationKind.VIETGAP, None, 2018), (CertificationKind.OCOP, 4, 2019)),
    ),
    DemoProduct(
        "HTX Chè Mỹ Phương",
        "Chè xanh Mỹ Phương",
        Category.TEA,
        "kg",
        "Tháng 3 – 11",
        ((CertificationKind.OCOP, 3, 2019),),
    ),
    DemoProduct(
        "HTX Đông Nam Dược",
        "Trà giảo cổ lam",
        Category.MEDICINAL,
        "hộp 100 g",
        "Quanh năm",
        ((CertificationKind.OCOP, 3, 2019),),
    ),
    DemoProduct("HTX Đông Nam Dược", "Cao dược liệu", Category.MEDICINAL, "lọ 200 ml", "Quanh năm"),
    DemoProduct(
        "HTX Fresh Oil",
        "Tinh dầu quế",
        Category.ESSENTIAL_OIL,
        "lọ 50 ml",
        "Quanh năm",
        ((CertificationKind.OCOP, 3, 2019),),
    ),
    DemoProduct(
        "HTX Fresh Oil",
        "Tinh dầu sả chanh",
        Category.ESSENTIAL_OIL,
        "lọ 50 ml",
        "Quanh năm",
        ((CertificationKind.ORGANIC, None, 2019),),
    ),
    DemoProduct(
        "HTX Trần Phú",
        "Gà thả đồi Trần Phú",
        Category.POULTRY,
        "con",
        "Quanh năm",
        ((CertificationKind.VIETGAP, None, 2018),),
    ),
    DemoProduct(
        "HTX Cao Phong", "Miến dong Cao Phong", Category.PROCESSED_FOOD, "kg", "Tháng 11 – 3"
    ),
    DemoProduct(
        "HTX Hợp Giang",
        "Cam sành Hợp Giang",
        Category.VEGETABLES_FRUIT,
        "kg",
        "Tháng 10 – 1",
        ((CertificationKind.VIETGAP, None, 2019),),
    ),
]
TRADEMARKS = [
    ("HTX Chè Mỹ Phương", "Chè Shan tuyết Mỹ Phương", "collective", date(2018, 9, 14)),
    ("HTX Trần Phú", "Gà đồi Trần Phú", "trademark", date(2019, 3, 6)),
    ("HTX Fresh Oil", "Fresh Oil", "trademark", date(2018, 12, 20)),
]
COMPANIES = [
    (
        "Công ty TNHH Nông sản sạch Việt Bắc (minh họa)",
        "4700900001",
        "Thành phố Bắc Kạn, Tỉnh Bắc Kạn",
    ),
    (
        "Công ty CP Dược liệu Miền núi (minh họa)",
        "4700900002",
        "Thành phố Thái Nguyên, Tỉnh Thái Nguyên",
    ),
    (
        "Công ty TNHH Thức ăn chăn nuôi Đông Bắc (minh họa)",
        "4700900003",
        "Huyện Na Rì, Tỉnh Bắc Kạn",
    ),
    ("Công ty CP Thương mại Hàng Việt (minh họa)", "4700900004", "Quận Cầu Giấy, Thành phố Hà Nội"),
]
EVENTS = [
    (
        "Hội chợ nông sản, thực phẩm an toàn tỉnh Bắc Kạn 2018",
        EventKind.FAIR,
        date(2018, 11, 2),
        date(2018, 11, 6),
    ),
    (
        "Tuần hàng nông sản Bắc Kạn tại Hà Nội 2019",
        EventKind.MARKET,
        date(2019, 6, 14),
        date(2019, 6, 16),
    ),
    (
        "Giới thiệu sản phẩm OCOP trên sàn thương mại điện tử 2019",
        EventKind.ONLINE,
        date(2019, 9, 1),
        date(2019, 12, 31),
    ),
]


def load(out: TextIO) -> None:
    """Create the demo products and markets of Bắc Kạn once; a second run changes nothing."""
    province = AdminUnit.objects.filter(era="legacy", code=PROVINCE, level=1).first()
    cooperatives = list(Cooperative.objects.filter(province_legacy=province).order_by("tax_code"))
    if province is None or not cooperatives:
        out.write("demo market: no demo registry of Bắc Kạn, nothing to do\n")
        return
    officer = User.objects.filter(area=province).order_by("pk").first()
    by_name = {c.name: c for c in cooperatives}
    rng = random.Random(SEED)  # noqa: S311  (demo data: deterministic, not a secret)
    products = (
        0
        if Product.objects.filter(cooperative__in=cooperatives).exists()
        else _products(by_name, officer)
    )
    companies = _companies(officer)
    links = 0
    if not ValueChainLink.objects.filter(company__in=companies).exists():
        links = _links(rng, cooperatives, by_name, companies, officer)
    events = (
        0
        if TradeEvent.objects.filter(area=province).exists()
        else _events(rng, province, by_name, cooperatives, officer)
    )
    out.write(
        f"demo market: {products} products, {len(companies)} companies, {links} links, "
        f"{events} events; {LINKED_2019} HTX linked on 31/12/2019\n"
    )


def _products(by_name: dict[str, Cooperative], officer: User | None) -> int:
    count = 0
    for item in PRODUCTS:
        cooperative = by_name.get(item.cooperative)
        if cooperative is None:
            continue
        product = services.product_save(
            by=officer, cooperative=cooperative, name=item.name, category=item.category,
            unit=item.unit, season=item.season, description="Sản phẩm minh họa.",
        )  # fmt: skip
        for kind, stars, year in item.certifications:
            services.certification_save(
                by=officer, product=product, kind=kind, stars=stars, year=year,
                issued_by="UBND tỉnh Bắc Kạn" if kind == CertificationKind.OCOP else "",
            )  # fmt: skip
        count += 1
    for name, mark, kind, granted in TRADEMARKS:
        cooperative = by_name.get(name)
        if cooperative is not None:
            services.trademark_save(
                by=officer, cooperative=cooperative, name=mark, kind=kind, granted_on=granted,
                number="", note="Minh họa",
                product=cooperative.products.order_by("pk").first(),
            )  # fmt: skip
    return count


def _companies(officer: User | None) -> list[PartnerCompany]:
    companies = []
    for name, code, address in COMPANIES:
        company = PartnerCompany.objects.filter(tax_code=code).first()
        if company is None:
            company = services.company_save(by=officer, name=name, tax_code=code, address=address)
        companies.append(company)
    return companies


def _links(
    rng: random.Random,
    cooperatives: list[Cooperative],
    by_name: dict[str, Cooperative],
    companies: list[PartnerCompany],
    officer: User | None,
) -> int:
    """The named HTX's links, then others, so that LINKED_2019 HTX have one in force on
    31/12/2019; a few more links ended before that day (they do not count)."""
    fixed = [
        (
            "HTX Chè Mỹ Phương",
            0,
            LinkKind.OUTPUT,
            "Chè Shan tuyết Mỹ Phương",
            12,
            "tấn",
            1_200_000_000,
        ),
        ("HTX Đông Nam Dược", 1, LinkKind.OUTPUT, "Trà giảo cổ lam", 3, "tấn", 450_000_000),
        ("HTX Trần Phú", 2, LinkKind.INPUT, "Thức ăn chăn nuôi", 40, "tấn", 380_000_000),
        ("HTX Fresh Oil", 3, LinkKind.BOTH, "Tinh dầu quế", 800, "lít", 520_000_000),
        ("HTX Hợp Giang", 0, LinkKind.OUTPUT, "Cam sành Hợp Giang", 30, "tấn", 600_000_000),
    ]
    count = 0
    linked: set[int] = set()
    for name, company, kind, subject, volume, unit, value in fixed:
        cooperative = by_name.get(name)
        if cooperative is None:
            continue
        _link(officer, cooperative, companies[company], kind, subject, volume, unit, value,
              date(2018, 1, 1), date(2020, 12, 31))  # fmt: skip
        linked.add(cooperative.pk)
        count += 1
    others = [
        c
        for c in cooperatives
        if c.pk not in linked and c.founded_on and c.founded_on < date(2019, 1, 1)
    ]
    for cooperative in rng.sample(others, LINKED_2019 - len(linked)):
        start = date(rng.choice([2017, 2018, 2019]), rng.randint(1, 12), 1)
        _link(officer, cooperative, rng.choice(companies), rng.choice(list(LinkKind)),
              "Nông sản", rng.randint(2, 50), "tấn", rng.randint(5, 80) * 10_000_000,
              start, date(2021, 12, 31))  # fmt: skip
        linked.add(cooperative.pk)
        count += 1
    ended = [
        c
        for c in cooperatives
        if c.pk not in linked and c.founded_on and c.founded_on < date(2017, 1, 1)
    ]
    for cooperative in rng.sample(ended, 6):  # links that ended before 31/12/2019
        _link(officer, cooperative, rng.choice(companies), LinkKind.OUTPUT, "Nông sản",
              rng.randint(2, 20), "tấn", rng.randint(5, 40) * 10_000_000,
              date(2017, 3, 1), date(2018, 12, 31), status=LinkStatus.ENDED)  # fmt: skip
        count += 1
    return count


def _link(
    officer: User | None,
    cooperative: Cooperative,
    company: PartnerCompany,
    kind: str,
    subject: str,
    volume: int,
    unit: str,
    value: int,
    start: date,
    end: date,
    status: str = LinkStatus.ACTIVE,
) -> None:
    product = cooperative.products.filter(name=subject).first()
    services.link_save(
        by=officer, cooperative=cooperative, company=company, kind=kind, product=product,
        product_name="" if product else subject, volume=Decimal(volume), volume_unit=unit,
        value=Decimal(value), starts_on=start, ends_on=end, status=status, note="Minh họa",
    )  # fmt: skip


def _events(
    rng: random.Random,
    province: AdminUnit,
    by_name: dict[str, Cooperative],
    cooperatives: list[Cooperative],
    officer: User | None,
) -> int:
    named = [c for c in by_name.values() if c.name in {p.cooperative for p in PRODUCTS}]
    for name, kind, start, end in EVENTS:
        event = services.event_save(
            by=officer, name=name, kind=kind, starts_on=start, ends_on=end, area=province,
            organiser="Sở Công Thương tỉnh Bắc Kạn",
            place="Sàn thương mại điện tử (minh họa)" if kind == EventKind.ONLINE else "",
        )  # fmt: skip
        others = [
            c for c in cooperatives if c not in named and c.founded_on and c.founded_on < start
        ]
        for cooperative in named + rng.sample(others, 5):
            services.participation_save(
                by=officer, event=event, cooperative=cooperative,
                contracts=rng.randint(0, 4),
                contract_value=Decimal(rng.randint(0, 30) * 10_000_000),
                sales=Decimal(rng.randint(1, 40) * 1_000_000),
            )  # fmt: skip
    return len(EVENTS)
