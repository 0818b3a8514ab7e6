"""Demo accounts, one per role (password "hoptac-demo"); created once, never overwritten."""

from typing import TextIO

from hoptac.accounts.choices import Role
from hoptac.accounts.models import User
from hoptac.areas.choices import Era
from hoptac.areas.models import AdminUnit

DEMO_PASSWORD = "hoptac-demo"  # noqa: S105  (printed by `make run`; demo data only)

# username, full name, role, (era, area code), job title
DEMO_USERS = [
    ("admin", "Quản trị hệ thống", Role.ADMIN, None, "Quản trị viên"),
    (
        "tinh.backan",
        "Nguyễn Thị Thu",
        Role.PROVINCE_OFFICER,
        (Era.LEGACY, "06"),
        "Chuyên viên Sở Kế hoạch và Đầu tư tỉnh Bắc Kạn",
    ),
    (
        "huyen.chodon",
        "Hoàng Văn An",
        Role.DISTRICT_OFFICER,
        (Era.LEGACY, "064"),
        "Chuyên viên Phòng Nông nghiệp và PTNT huyện Chợ Đồn",
    ),
    (
        "huyen.chomoi",
        "Lý Thị Hoa",
        Role.DISTRICT_OFFICER,
        (Era.LEGACY, "065"),
        "Chuyên viên Phòng Tài chính – Kế hoạch huyện Chợ Mới",
    ),
    (
        "xa.luongbang",
        "Ma Văn Bình",
        Role.COMMUNE_OFFICER,
        (Era.LEGACY, "02062"),
        "Công chức UBND xã Lương Bằng",
    ),
    (
        "tinh.thainguyen",
        "Trần Minh Đức",
        Role.PROVINCE_OFFICER,
        (Era.CURRENT, "19"),
        "Chuyên viên Sở Tài chính tỉnh Thái Nguyên",
    ),
    (
        "xa.nghiata",
        "Đặng Thị Lan",
        Role.COMMUNE_OFFICER,
        (Era.CURRENT, "02071"),
        "Công chức UBND xã Nghĩa Tá",
    ),
    (
        "htx.caophong",
        "Lục Văn Phong",
        Role.COOP_MANAGER,
        (Era.LEGACY, "02047"),
        "Giám đốc HTX Cao Phong",
    ),
]


def load(out: TextIO) -> None:
    """Create the demo accounts that do not exist yet; leave existing ones untouched."""
    created = 0
    for username, full_name, role, area, title in DEMO_USERS:
        if User.objects.filter(username=username).exists():
            continue
        unit = AdminUnit.objects.get(era=area[0], code=area[1]) if area else None
        user = User(
            username=username,
            full_name=full_name,
            role=role,
            area=unit,
            title=title,
            is_staff=role == Role.ADMIN,
            is_superuser=role == Role.ADMIN,
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        created += 1
    out.write(f"demo accounts: {created} created, password {DEMO_PASSWORD}\n")
