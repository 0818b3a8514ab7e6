"""Demo support programmes of Tỉnh Bắc Kạn (old tree), 2017–2019: illustrative data.

Source of the themes (seeds/004…: Cổng thông tin điện tử Bắc Kạn, 13/05/2019): the province
aims for "40% hợp tác xã tiếp cận được các chính sách của tỉnh và Trung ương" by 2020 and
supports HTX with labels and packaging, trade promotion and links; (seeds/000…) training
managers in the Cooperative Law, brands for HTX products, science and technology, consolidating
weak HTX. The policies below are named after those themes; their legal basis is not given (the
seeds name none), and every figure, person and date is invented, deterministically.

In 2019, exactly REACHED_2019 of the 167 demo HTX of Bắc Kạn receive support, so the indicator
"share of HTX reached by at least one policy" for Bắc Kạn and 2019 is 60 / 167 = 35.9 %.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import TextIO

from hoptac.accounts.models import User
from hoptac.areas.models import AdminUnit
from hoptac.ratings.models import RatingResult
from hoptac.registry.models import Cooperative
from hoptac.support import services
from hoptac.support.choices import (
    CourseTopic,
    FundingSource,
    ParticipantRole,
    PolicyKind,
    ProductSupport,
)
from hoptac.support.models import Course, Policy, SupportGrant

SEED = 20190513
PROVINCE = "06"
SOURCE = (
    "Dữ liệu minh họa, theo chủ đề của seeds/004 (Cổng thông tin điện tử Bắc Kạn, 13/05/2019) "
    "và seeds/000 (Nghị quyết 05-NQ/HU, Huyện Chợ Mới)."
)
# How many HTX receive support each year (2019 fixes the demo indicator).
REACHED = {2017: 34, 2018: 47, 2019: 60}
REACHED_2019 = REACHED[2019]

POLICIES = [
    (
        "bk-demo-nhan-hieu",
        "Hỗ trợ xây dựng nhãn hiệu, nhãn mác, bao bì sản phẩm HTX",
        PolicyKind.BRANDING,
    ),
    (
        "bk-demo-xuc-tien",
        "Hỗ trợ xúc tiến thương mại, mở rộng thị trường cho HTX",
        PolicyKind.TRADE_PROMOTION,
    ),
    ("bk-demo-dao-tao", "Đào tạo, bồi dưỡng cán bộ quản lý HTX", PolicyKind.TRAINING),
    (
        "bk-demo-khkt",
        "Hỗ trợ ứng dụng tiến bộ khoa học kỹ thuật vào sản xuất, chế biến",
        PolicyKind.SCIENCE_TECHNOLOGY,
    ),
    ("bk-demo-cung-co", "Hỗ trợ củng cố HTX hoạt động yếu kém", PolicyKind.OTHER),
    ("bk-demo-thanh-lap", "Hỗ trợ thành lập mới HTX", PolicyKind.NEW_COOPERATIVE),
]
# Product support for the HTX the seed names (issue 6: tea, herbs, oils, chickens).
PRODUCT_SUPPORT = [
    ("HTX Chè Mỹ Phương", ProductSupport.LABEL, date(2018, 6, 12), 60_000_000),
    ("HTX Đông Nam Dược", ProductSupport.PACKAGING, date(2019, 4, 2), 45_000_000),
    ("HTX Fresh Oil", ProductSupport.TRACEABILITY, date(2019, 8, 20), 30_000_000),
    ("HTX Trần Phú", ProductSupport.LABEL, date(2017, 9, 5), 25_000_000),
]
COURSES = [
    (
        "Tập huấn Luật Hợp tác xã năm 2012 cho cán bộ quản lý HTX",
        CourseTopic.COOPERATIVE_LAW,
        date(2017, 5, 8),
        3,
    ),
    ("Bồi dưỡng nghiệp vụ kế toán HTX", CourseTopic.ACCOUNTING, date(2018, 7, 16), 5),
    ("Quản trị HTX kiểu mới", CourseTopic.GOVERNANCE, date(2019, 3, 11), 4),
    (
        "Ứng dụng công nghệ thông tin và thương mại điện tử cho HTX",
        CourseTopic.DIGITAL,
        date(2019, 10, 21),
        2,
    ),
]
FAMILY = ["Hoàng", "Nông", "Triệu", "Ma", "Lục", "Hà", "Lý", "Đàm", "Bế", "Dương"]
GIVEN = [
    "Văn An",
    "Thị Bình",
    "Văn Chiến",
    "Thị Dung",
    "Đức Hạnh",
    "Văn Hùng",
    "Thị Lan",
    "Minh Phong",
]


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(GIVEN)}"


def load(out: TextIO) -> None:
    """Create the demo support programmes of Bắc Kạn once; a second run changes nothing."""
    services.policy_catalogue_load()
    province = AdminUnit.objects.filter(era="legacy", code=PROVINCE, level=1).first()
    cooperatives = list(
        Cooperative.objects.filter(province_legacy=province)
        .select_related("district_legacy")
        .order_by("tax_code")
    )
    if province is None or not cooperatives:
        out.write("demo support: no demo registry of Bắc Kạn, nothing to do\n")
        return
    officer = User.objects.filter(area=province).order_by("pk").first()
    policies = _policies(province, officer)
    rng = random.Random(SEED)  # noqa: S311  (demo data: deterministic, not a secret)
    grants = 0
    if not SupportGrant.objects.filter(policy__in=policies.values()).exists():
        grants = _grants(rng, cooperatives, policies, officer)
    courses = (
        0
        if Course.objects.filter(policy=policies["bk-demo-dao-tao"]).exists()
        else _courses(rng, province, cooperatives, policies, officer)
    )
    cases = _cases(cooperatives, officer)
    out.write(
        f"demo support: {len(policies)} local policies, {grants} supports, {courses} courses, "
        f"{cases} remediation cases; 2019 reached {REACHED_2019} of {len(cooperatives)} HTX\n"
    )


def _policies(province: AdminUnit, officer: User | None) -> dict[str, Policy]:
    policies = {}
    for code, name, kind in POLICIES:
        policy, _created = Policy.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "kind": kind,
                "area": province,
                "source": SOURCE,
                "valid_from": date(2016, 1, 1),
                "valid_to": date(2020, 12, 31),
                "created_by": officer,
            },
        )
        policies[code] = policy
    return policies


def _grants(
    rng: random.Random,
    cooperatives: list[Cooperative],
    policies: dict[str, Policy],
    officer: User | None,
) -> int:
    """Support in each year to REACHED[year] HTX: the named ones always, the rest at random."""
    named = {
        c.name: c
        for c in cooperatives
        if c.name in {n for n, *_r in PRODUCT_SUPPORT} | {"HTX Cao Phong", "HTX Hợp Giang"}
    }
    others = [c for c in cooperatives if c.name not in named]
    general = [p for code, p in policies.items() if code not in ("bk-demo-dao-tao",)]
    count = 0
    for year, reached in REACHED.items():
        founded = [c for c in others if not c.founded_on or c.founded_on < date(year, 12, 1)]
        chosen = list(named.values()) + rng.sample(founded, reached - len(named))
        for cooperative in chosen:
            start = date(year, 1, 1)
            if cooperative.founded_on and cooperative.founded_on >= start:
                start = cooperative.founded_on + timedelta(days=1)
            day = start + timedelta(days=rng.randrange(max((date(year, 12, 31) - start).days, 1)))
            policy = rng.choice(general)
            if cooperative.founded_on and cooperative.founded_on.year == year:
                policy = policies["bk-demo-thanh-lap"]
            in_kind = rng.random() < 0.2
            services.grant_record(
                by=officer,
                cooperative=cooperative,
                policy=policy,
                granted_on=day,
                source=rng.choices(
                    [FundingSource.PROVINCE, FundingSource.CENTRAL, FundingSource.COMMUNE],
                    weights=[6, 3, 1],
                )[0],
                amount=None if in_kind else Decimal(rng.randint(2, 40) * 5_000_000),
                in_kind="Máy móc, thiết bị sơ chế" if in_kind else "",
                note="Dữ liệu minh họa",
            )
            count += 1
    for name, kind, day, amount in PRODUCT_SUPPORT:
        if name in named:
            services.grant_record(
                by=officer,
                cooperative=named[name],
                policy=policies["bk-demo-nhan-hieu"],
                granted_on=day,
                source=FundingSource.PROVINCE,
                amount=Decimal(amount),
                product_support=kind,
                note="Dữ liệu minh họa",
            )
            count += 1
    return count


def _courses(
    rng: random.Random,
    province: AdminUnit,
    cooperatives: list[Cooperative],
    policies: dict[str, Policy],
    officer: User | None,
) -> int:
    districts = sorted(
        {c.district_legacy for c in cooperatives if c.district_legacy}, key=lambda u: u.code
    )
    for title, topic, start, days in COURSES:
        course = services.course_save(
            by=officer,
            title=title,
            topic=topic,
            starts_on=start,
            ends_on=start + timedelta(days=days - 1),
            organiser="Liên minh Hợp tác xã tỉnh Bắc Kạn",
            place="Thành phố Bắc Kạn",
            cost=Decimal(rng.randint(8, 30) * 5_000_000),
            area=province,
            policy=policies["bk-demo-dao-tao"],
        )
        for district in rng.sample(districts, 3):
            services.participant_save(
                by=officer, course=course, name=_person(rng), role=ParticipantRole.OFFICER,
                area=district, attended=True, certificate="",
            )  # fmt: skip
        for cooperative in rng.sample(cooperatives, 12):
            services.participant_save(
                by=officer, course=course, name=cooperative.representative_name or _person(rng),
                role=ParticipantRole.MANAGER, cooperative=cooperative,
                attended=rng.random() < 0.9, certificate=f"{start.year}-{rng.randrange(1000):03d}",
            )  # fmt: skip
        for cooperative in rng.sample(cooperatives, 6):
            services.participant_save(
                by=officer, course=course, name=_person(rng), role=ParticipantRole.MEMBER,
                cooperative=cooperative, attended=True, certificate="",
            )  # fmt: skip
    return len(COURSES)


def _weak(cooperatives: list[Cooperative]) -> list[tuple[Cooperative, int]]:
    """The HTX rated yếu: from the ratings app when it has results, else the two agricultural
    HTX of Chợ Mới the seed says were rated weak in 2019 (seeds/000), the first two by code."""
    rows = RatingResult.objects.filter(rank="yeu", cooperative__in=cooperatives)
    found = [(row.cooperative, row.year) for row in rows.select_related("cooperative")]
    if found:
        return found
    cho_moi = [
        c
        for c in cooperatives
        if c.district_legacy
        and c.district_legacy.code == "065"
        and c.sector == "nong_nghiep"
        and c.founded_on
        and c.founded_on.year < 2019
    ]
    return [(c, 2019) for c in cho_moi[:2]]


def _cases(cooperatives: list[Cooperative], officer: User | None) -> int:
    created = 0
    for cooperative, year in _weak(cooperatives):
        case = services.remediation_open_for_weak(cooperative, year, officer)  # or the ratings'
        if case.actions.exists():
            continue
        services.case_update(
            case=case,
            by=officer,
            causes=(
                "Thiếu vốn hoạt động; bộ máy quản lý chưa được đào tạo; "
                "chưa có hợp đồng tiêu thụ sản phẩm."
            ),
            responsible=officer,
            deadline=date(year + 1, 12, 31),
        )
        services.action_save(
            case=case, by=officer, description="Bồi dưỡng Ban quản trị về Luật Hợp tác xã",
            responsible="Phòng Nông nghiệp huyện", deadline=date(year + 1, 6, 30),
        )  # fmt: skip
        services.action_save(
            case=case, by=officer, description="Kết nối doanh nghiệp bao tiêu sản phẩm",
            responsible="Liên minh HTX tỉnh", deadline=date(year + 1, 9, 30),
        )  # fmt: skip
        services.note_add(
            case=case, by=officer, written_on=date(year + 1, 3, 15),
            text="Đã làm việc với HTX, thống nhất kế hoạch củng cố.",
        )  # fmt: skip
        created += 1
    return created
