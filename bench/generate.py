"""Fill a PostgreSQL database with a national-scale cooperative registry, for the benchmark.

    .venv/bin/python bench/generate.py --scale 35000      # about Vietnam today
    .venv/bin/python bench/generate.py --scale 1000000    # the size of India's national database

Creates the database if missing (default postgres://postgres@127.0.0.1:5432/hoptac_bench),
migrates it, loads both trees of administrative units (`manage.py areas load`), then replaces
the whole registry with `--scale` organisations written by COPY (psycopg's cursor.copy), not
the ORM:

- spread over every commune of the 2025 tree (provinces and communes weighted unevenly, as
  real counts are); those registered before 1 July 2025 are also placed in an old commune that
  went into it (areas_succession), with the old province and district, as services._place does;
- realistic Vietnamese names from a seeded generator (the same seed gives the same data),
  about 1.5 % of them tea ("chè") cooperatives so that the search "hop tac xa che" has hits;
  10-digit tax codes, founding dates 1997-2025, kind, sector and sub-sector (registry choices),
  flags, capital, members and workers, representative, contact, street;
- 1 to 3 dated status changes each, following the registry's state machine, the last one
  being the organisation's status;
- `search_text` computed by the app's own services.search_text_of, and `name_key` (what an
  import matches names on) by rules.name_key (both checked afterwards on a sample of rows read
  back through the ORM).

Not generated: member rosters, unions and managers, and django-simple-history's tables (the
benchmark's pages do not read them; the detail page's profile tab shows the status history).
Indexes are dropped during the COPY and rebuilt after it, then the tables are ANALYZEd.
"""

from __future__ import annotations

import argparse
import bisect
import functools
import itertools
import json
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common

REFORM = date(2025, 7, 1)  # the 2025 tree is in force from this day
HORIZON = date(2026, 6, 30)  # no status change after this day (fixed: same seed, same data)
FIRST_YEAR, LAST_YEAR = 1997, 2025
BATCH = 20_000
META_TABLE = "bench_meta"

# --- words --------------------------------------------------------------------------------

SURNAMES = (
    ("Nguyễn", 38), ("Trần", 11), ("Lê", 9), ("Phạm", 7), ("Hoàng", 5), ("Huỳnh", 4),
    ("Phan", 4), ("Vũ", 4), ("Võ", 3), ("Đặng", 2), ("Bùi", 2), ("Đỗ", 2), ("Hồ", 2),
    ("Ngô", 2), ("Dương", 1), ("Lý", 1), ("Hà", 1), ("Nông", 1), ("Triệu", 1), ("Lương", 1),
    ("Ma", 1), ("Lục", 1), ("Đinh", 1), ("Trịnh", 1), ("Mai", 1), ("Tạ", 1), ("Cao", 1),
)  # fmt: skip
MIDDLE = ("Văn", "Thị", "Đức", "Minh", "Quang", "Ngọc", "Thanh", "Hữu", "Xuân", "Hồng", "Kim",
          "Văn", "Thị", "Công", "Đình", "Thu", "Anh", "Bá", "Trọng", "Mạnh")  # fmt: skip
GIVEN = ("An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Hùng", "Hương", "Lan", "Long", "Mai",
         "Nam", "Phong", "Quân", "Sơn", "Thảo", "Thắng", "Tuấn", "Việt", "Yến", "Hạnh", "Hoa",
         "Khánh", "Lâm", "Linh", "Lộc", "Nga", "Oanh", "Phúc", "Quý", "Tâm", "Thủy", "Trung",
         "Tùng", "Vinh", "Xuân", "Đông", "Giang", "Hiếu", "Huệ", "Kiên", "Loan", "Nhung",
         "Sang", "Toàn", "Trang", "Tuyết", "Vân", "Chiến", "Điệp")  # fmt: skip
BRANDS = ("Đồng Tâm", "Thành Công", "Hợp Lực", "Bình Minh", "An Phát", "Phú Lộc", "Hưng Thịnh",
          "Quyết Thắng", "Toàn Thắng", "Hòa Bình", "Tiến Bộ", "Sao Mai", "Hoàng Long",
          "Thịnh Phát", "Phúc Lợi", "Tân Tiến", "Đoàn Kết", "Nhất Trí", "Thống Nhất",
          "Xanh", "Sạch", "Quê Hương", "Ánh Dương", "Đại Thành", "Vạn Phúc", "Kim Long",
          "Tương Lai", "Thắng Lợi", "Tiên Phong", "Trường Sơn", "Sông Hồng",
          "Cửu Long")  # fmt: skip
HAMLETS = ("Nà Mòn", "Bản Chang", "Khuổi Tầu", "Đông", "Đoài", "Trung", "Thượng", "Hạ",
           "Tân Lập", "Đồng Tâm", "Phú Mỹ", "An Hòa", "Bình Thạnh", "Hưng Long", "Vĩnh Phú",
           "Tân Thành", "Làng Mới", "Yên Thịnh", "Cầu Đá", "Gò Sao")  # fmt: skip
STREETS = ("Lê Lợi", "Trần Hưng Đạo", "Nguyễn Trãi", "Hùng Vương", "Quang Trung",
           "Lý Thường Kiệt", "Hai Bà Trưng", "Điện Biên Phủ", "Nguyễn Huệ",
           "Võ Thị Sáu")  # fmt: skip

# (sub-sector code, weight, name cores (word, weight), business lines)
AGRICULTURAL = (
    ("trong_trot", 30, (("Nông nghiệp", 25), ("Chè", 9), ("Rau an toàn", 8), ("Cà phê", 6),
     ("Hồ tiêu", 3), ("Lúa gạo", 6), ("Cây ăn quả", 7), ("Dược liệu", 5), ("Nấm", 3),
     ("Cam", 3), ("Bưởi", 3), ("Thanh long", 2), ("Sầu riêng", 2), ("Hoa cây cảnh", 3),
     ("Chè Shan tuyết", 2)), "Trồng trọt, sơ chế và tiêu thụ sản phẩm"),
    ("chan_nuoi", 12, (("Chăn nuôi", 10), ("Chăn nuôi lợn", 4), ("Bò sữa", 2), ("Gà đồi", 3),
     ("Ong mật", 2), ("Dê", 1)), "Chăn nuôi, cung ứng con giống và thức ăn chăn nuôi"),
    ("lam_nghiep", 6, (("Lâm nghiệp", 6), ("Trồng rừng", 3), ("Quế", 2), ("Hồi", 1),
     ("Lâm sản", 2)), "Trồng, chăm sóc, bảo vệ rừng và khai thác lâm sản"),
    ("thuy_san", 8, (("Thủy sản", 8), ("Nuôi tôm", 3), ("Nuôi cá", 3),
     ("Khai thác hải sản", 2), ("Nghêu", 1), ("Cá tra", 1)), "Nuôi trồng và khai thác thủy sản"),
    ("diem_nghiep", 1, (("Diêm nghiệp", 3), ("Muối sạch", 1)), "Sản xuất và tiêu thụ muối"),
    ("dich_vu_nong_nghiep", 25, (("Dịch vụ nông nghiệp", 12), ("Dịch vụ thủy lợi", 4),
     ("Dịch vụ điện nông thôn", 2), ("Nông nghiệp dịch vụ", 6)),
     "Dịch vụ thủy lợi, làm đất, cung ứng vật tư nông nghiệp"),
    ("tong_hop", 18, (("Nông nghiệp tổng hợp", 6), ("Dịch vụ tổng hợp", 6),
     ("Nông lâm nghiệp", 2), ("Nông nghiệp và dịch vụ tổng hợp", 3)),
     "Sản xuất nông nghiệp và dịch vụ tổng hợp"),
)  # fmt: skip
NON_AGRICULTURAL = (
    ("cong_nghiep_ttcn", 22, (("Mây tre đan", 3), ("Gốm sứ", 1), ("Dệt thổ cẩm", 1),
     ("Mộc", 2), ("Cơ khí", 2), ("Thủ công mỹ nghệ", 3), ("Chế biến nông sản", 3),
     ("Tiểu thủ công nghiệp", 4)), "Sản xuất hàng thủ công mỹ nghệ, chế biến nông sản"),
    ("xay_dung", 10, (("Xây dựng", 4), ("Vật liệu xây dựng", 2)), "Xây dựng công trình dân dụng"),
    ("thuong_mai_dich_vu", 25, (("Thương mại dịch vụ", 6), ("Dịch vụ thương mại", 3),
     ("Du lịch cộng đồng", 2)), "Thương mại, dịch vụ và du lịch"),
    ("van_tai", 18, (("Vận tải", 5), ("Vận tải hành khách", 2), ("Taxi", 1), ("Vận tải thủy", 1)),
     "Vận tải hành khách và hàng hóa"),
    ("tin_dung_qtdnd", 8, (("Quỹ tín dụng nhân dân", 1),), "Huy động vốn và cho vay thành viên"),
    ("nha_o", 2, (("Nhà ở", 1),), "Xây dựng và quản lý nhà ở cho thành viên"),
    ("moi_truong", 7, (("Vệ sinh môi trường", 2), ("Môi trường xanh", 1), ("Nước sạch", 2)),
     "Thu gom rác thải, cấp nước sạch"),
    ("khac", 8, (("Dịch vụ", 2), ("Sản xuất kinh doanh", 2)), "Sản xuất, kinh doanh tổng hợp"),
)  # fmt: skip

# The final status, its weight, and the chains of statuses that lead to it (registry TRANSITIONS).
A, S, N = "dang_hoat_dong", "tam_ngung_kinh_doanh", "khong_hoat_dong_tai_dia_chi"
D, X, R = "dang_lam_thu_tuc_giai_the", "da_giai_the", "bi_thu_hoi_gcn"
RT, B, BK = "bi_thu_hoi_do_cuong_che_thue", "dang_lam_thu_tuc_pha_san", "da_pha_san"
STATUS_CHAINS = (
    ((A,), 62), ((A, S, A), 10), ((A, S), 7), ((A, N), 3), ((A, D), 4), ((A, D, X), 11),
    ((A, R), 1), ((A, RT), 1), ((A, B), 0.3), ((A, B, BK), 0.7),
)  # fmt: skip
BUSINESS_LINES = {s[0]: s[3] for s in (*AGRICULTURAL, *NON_AGRICULTURAL)}
KINDS = (("hop_tac_xa", 88), ("to_hop_tac", 10), ("lien_hiep_hop_tac_xa", 2))


def _cumulative(weights: list[float]) -> list[float]:
    return list(itertools.accumulate(weights))


@dataclass
class Picker:
    """Draw from weighted choices quickly (bisect over cumulative weights)."""

    items: list[Any]
    cum: list[float]

    @classmethod
    def of(cls, pairs: Any) -> Picker:
        pairs = list(pairs)
        return cls([p[0] for p in pairs], _cumulative([p[1] for p in pairs]))

    def __call__(self, rnd: random.Random) -> Any:
        return self.items[bisect.bisect(self.cum, rnd.random() * self.cum[-1])]


@dataclass
class Places:
    """The administrative units the generator places organisations in."""

    units: dict[int, Any]  # pk -> AdminUnit (both trees)
    communes: Picker  # 2025 communes, weighted
    predecessors: dict[int, list[int]]  # 2025 commune pk -> old communes that went into it
    tax_prefix: dict[int, str]  # province pk -> 2 digits

    @classmethod
    def load(cls, seed: int) -> Places:
        from hoptac.areas.models import AdminUnit, Succession

        rnd = random.Random(seed * 7919 + 1)
        units = {u.pk: u for u in AdminUnit.objects.order_by("pk")}
        communes = [u for u in units.values() if u.era == "2025" and u.level == 3]
        provinces = sorted({u.province_id for u in communes})
        # Some provinces hold many more cooperatives than others; so do communes.
        province_weight = {p: rnd.lognormvariate(0, 0.35) for p in provinces}
        weights = [province_weight[u.province_id] * rnd.lognormvariate(0, 0.5) for u in communes]
        predecessors: dict[int, list[int]] = {}
        pairs = Succession.objects.filter(old__level=3).order_by("pk").values_list("old", "new")
        for old, new in pairs:
            predecessors.setdefault(new, []).append(old)
        tax_prefix = {}
        for unit in units.values():
            if unit.level == 1:
                tax_prefix[unit.pk] = f"{int(unit.code) % 100:02d}"
        return cls(
            units, Picker([u.pk for u in communes], _cumulative(weights)), predecessors, tax_prefix
        )


@dataclass
class Generator:
    """Realistic organisations, reproducible from a seed.

    `tax_base` keeps the tax codes of different runs apart (the import file of the runner
    uses other codes than the database's)."""

    places: Places
    seed: int
    tax_base: int = 0
    always_tax_code: bool = False  # also for the tổ hợp tác (an import file matched by code)
    avoid: frozenset[int] = frozenset()  # units not to place organisations in
    numbered: bool = False  # names end with " - <pk>" (never the name of another HTX)
    counters: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rnd = random.Random(self.seed)
        self.surname = Picker.of(SURNAMES)
        self.kind = Picker.of(KINDS)
        self.agri = Picker.of((s, s[1]) for s in AGRICULTURAL)
        self.non_agri = Picker.of((s, s[1]) for s in NON_AGRICULTURAL)
        self.cores = {s[0]: Picker.of(s[2]) for s in (*AGRICULTURAL, *NON_AGRICULTURAL)}
        self.chain = Picker.of(STATUS_CHAINS)
        years = range(FIRST_YEAR, LAST_YEAR + 1)
        # Many HTX re-registered under the 1996 law in 1997-98; the number grows since 2012.
        self.year = Picker.of((y, 4 if y < 1999 else 1 + max(0, y - 2008) * 0.25) for y in years)

    def person(self) -> str:
        rnd = self.rnd
        return f"{self.surname(rnd)} {rnd.choice(MIDDLE)} {rnd.choice(GIVEN)}"

    def tax_code(self, province_id: int) -> str:
        prefix = self.places.tax_prefix[province_id]
        n = self.counters.get(prefix, 0) + 1
        self.counters[prefix] = n
        return f"{prefix}{self.tax_base + n:08d}"

    def organisation(self, pk: int) -> SimpleNamespace:
        """One organisation with its status history (`statuses`: (status, date) pairs)."""
        rnd = self.rnd
        places = self.places
        commune = places.units[places.communes(rnd)]
        while commune.pk in self.avoid:
            commune = places.units[places.communes(rnd)]
        founded = date(self.year(rnd), 1, 1) + timedelta(days=rnd.randrange(365))
        registered = founded + timedelta(days=rnd.randrange(0, 60))
        legacy = None
        olds = [pk for pk in places.predecessors.get(commune.pk, ()) if pk not in self.avoid]
        if registered < REFORM and olds:
            legacy = places.units[rnd.choice(olds)]
        kind = self.kind(rnd)
        agricultural = rnd.random() < 0.62
        sub_sector = (self.agri if agricultural else self.non_agri)(rnd)[0]
        core = self.cores[sub_sector](rnd)
        brand = (legacy or commune).short_name if rnd.random() < 0.55 else rnd.choice(BRANDS)
        if rnd.random() < 0.05:
            brand += f" số {rnd.randint(1, 5)}"
        if kind == "to_hop_tac":
            name = f"Tổ hợp tác {core} {brand}"
        elif kind == "lien_hiep_hop_tac_xa":
            prefix = "Liên hiệp HTX" if rnd.random() < 0.6 else "Liên hiệp hợp tác xã"
            name = f"{prefix} {core} {(legacy or commune).short_name}"
        elif sub_sector == "tin_dung_qtdnd":
            name = f"Quỹ tín dụng nhân dân {brand}"
        else:
            name = f"{'HTX' if rnd.random() < 0.65 else 'Hợp tác xã'} {core} {brand}"
        if self.numbered:
            name += f" - {pk}"
        province_id = (legacy or commune).province_id
        no_code = kind == "to_hop_tac" and rnd.random() < 0.7 and not self.always_tax_code
        tax_code = "" if no_code else self.tax_code(province_id)
        if kind == "to_hop_tac":
            members = rnd.randint(2, 30)
        elif kind == "lien_hiep_hop_tac_xa":
            members = rnd.randint(2, 15)
        else:
            members = 7 + int(rnd.lognormvariate(3.2, 0.9))
        if legacy is not None:
            district = places.units[legacy.parent_id]
            authority = f"Phòng Tài chính - Kế hoạch {district.name}"
        else:
            authority = f"Phòng Kinh tế {commune.name}"
        if rnd.random() < 0.6:
            street = f"{'Ấp' if rnd.random() < 0.3 else 'Thôn'} {rnd.choice(HAMLETS)}"
        elif rnd.random() < 0.5:
            street = f"Số {rnd.randint(1, 300)}, đường {rnd.choice(STREETS)}"
        else:
            street = f"Tổ dân phố {rnd.randint(1, 25)}"
        chain = self.chain(rnd)
        day = registered
        statuses = [(chain[0], registered)]
        for status in chain[1:]:
            span = (HORIZON - day).days
            if span > 1:
                day += timedelta(days=1 + rnd.randrange(span) // 2)
            statuses.append((status, day))
        unit = legacy or commune
        return SimpleNamespace(
            id=pk,
            kind=kind,
            name=name,
            short_name=f"{core} {brand}" if rnd.random() < 0.2 else "",
            tax_code=tax_code,
            registered_on=registered,
            founded_on=founded,
            registering_authority=authority,
            representative_name=self.person(),
            representative_title="Tổ trưởng"
            if kind == "to_hop_tac"
            else rnd.choice(("Giám đốc", "Giám đốc", "Chủ tịch HĐQT kiêm Giám đốc")),
            representative_phone=f"0{rnd.choice('3789')}{rnd.randrange(10**8):08d}",
            phone=f"0{rnd.choice('3789')}{rnd.randrange(10**8):08d}" if rnd.random() < 0.4 else "",
            email=f"htx{pk}@gmail.com" if rnd.random() < 0.3 else "",
            website=f"https://htx{pk}.vn" if rnd.random() < 0.03 else "",
            street=street,
            commune_legacy=legacy,
            commune=commune,
            commune_legacy_id=legacy.pk if legacy else None,
            commune_id=commune.pk,
            province_legacy_id=legacy.province_id if legacy else None,
            district_legacy_id=legacy.parent_id if legacy else None,
            province_id=commune.province_id,
            latitude=unit.latitude,
            longitude=unit.longitude,
            sector="nong_nghiep" if agricultural else "phi_nong_nghiep",
            sub_sector=sub_sector,
            business_lines=BUSINESS_LINES[sub_sector],
            charter_capital=int(rnd.lognormvariate(6.2, 1.1)) * 1_000_000,
            members_count=members,
            workers_count=max(1, int(members * rnd.uniform(0.1, 0.8))),
            high_tech=rnd.random() < 0.06,
            value_chain=rnd.random() < 0.15,
            model_cooperative=rnd.random() < 0.03,
            is_published=rnd.random() < 0.1,
            status=chain[-1],
            version=len(chain),
            statuses=statuses,
            created_at=datetime.combine(registered, datetime.min.time(), UTC) + timedelta(hours=2),
            updated_at=datetime.combine(statuses[-1][1], datetime.min.time(), UTC)
            + timedelta(hours=3),
        )

    def organisations(self, count: int, first_pk: int = 1) -> Iterator[SimpleNamespace]:
        for pk in range(first_pk, first_pk + count):
            yield self.organisation(pk)


# --- writing -------------------------------------------------------------------------------


def _columns(model: Any) -> list[Any]:
    return list(model._meta.concrete_fields)


def _row(fields: list[Any], values: SimpleNamespace) -> tuple[Any, ...]:
    """The organisation's values in the table's column order; a field the generator does not
    know takes its model default (so a column added later does not break the generator)."""
    data = values.__dict__
    out = []
    for f in fields:
        if f.attname in data:
            out.append(data[f.attname])
        else:
            out.append(f.get_default())
    return tuple(out)


def _droppable_indexes(cursor: Any, table: str) -> list[tuple[str, str]]:
    """Indexes of `table` other than the primary key and those backing a constraint."""
    cursor.execute(
        """
        SELECT c.relname, pg_get_indexdef(i.indexrelid)
        FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
        WHERE i.indrelid = %s::regclass AND NOT i.indisprimary
          AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
        ORDER BY c.relname
        """,
        [table],
    )
    return list(cursor.fetchall())


def _registry_tables() -> list[str]:
    from django.apps import apps

    config = apps.get_app_config("registry")
    return sorted({m._meta.db_table for m in config.get_models(include_auto_created=True)})


def fill(scale: int, seed: int, log: Any = print) -> dict[str, Any]:
    """Replace the registry with `scale` generated organisations; returns the timings."""
    from django.db import connection, transaction

    import hoptac.registry.rules as rules
    from hoptac.registry import services
    from hoptac.registry.models import Cooperative, StatusChange

    # The app's own fold, memoised in this process only: names, streets and units repeat.
    rules.fold = functools.lru_cache(maxsize=500_000)(rules.fold)  # type: ignore[attr-defined]
    timings: dict[str, float] = {}
    started = time.perf_counter()
    places = Places.load(seed)
    generator = Generator(places, seed)
    coop_fields = _columns(Cooperative)
    status_fields = _columns(StatusChange)
    coop_table, status_table = Cooperative._meta.db_table, StatusChange._meta.db_table
    coop_copy = f"COPY {coop_table} ({', '.join(f.column for f in coop_fields)}) FROM STDIN"
    status_copy = f"COPY {status_table} ({', '.join(f.column for f in status_fields)}) FROM STDIN"
    note = "Ghi vào sổ đăng ký"  # the app's _("Recorded in the registry") in Vietnamese
    status_pk = 0
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")  # no FK triggers
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        tables = _registry_tables()
        cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
        dropped = []
        for table in (coop_table, status_table):
            for name, definition in _droppable_indexes(cursor, table):
                cursor.execute(f'DROP INDEX "{name}"')
                dropped.append((name, definition))
        timings["prepare_s"] = time.perf_counter() - started
        t = time.perf_counter()
        raw = cursor.cursor  # psycopg's cursor under Django's wrapper
        done = 0
        organisations = generator.organisations(scale)
        while done < scale:
            batch = list(itertools.islice(organisations, min(BATCH, scale - done)))
            statuses = []
            with raw.copy(coop_copy) as copy:
                for org in batch:
                    org.search_text = services.search_text_of(org)
                    org.name_key = rules.name_key(org.name)
                    copy.write_row(_row(coop_fields, org))
                    for index, (status, day) in enumerate(org.statuses):
                        status_pk += 1
                        statuses.append(
                            SimpleNamespace(
                                id=status_pk,
                                status=status,
                                effective_on=day,
                                note="" if index else note,
                                created_at=org.created_at,
                                by_id=None,
                                cooperative_id=org.id,
                            )
                        )
            with raw.copy(status_copy) as copy:
                for row in statuses:
                    copy.write_row(_row(status_fields, row))
            done += len(batch)
            if done % 100_000 == 0 or done == scale:
                log(f"  {done:,} organisations, {status_pk:,} status changes")
        timings["copy_s"] = time.perf_counter() - t
        t = time.perf_counter()
        for name, definition in dropped:
            t1 = time.perf_counter()
            cursor.execute(definition)
            log(f"  index {name}: {time.perf_counter() - t1:.1f} s")
        timings["indexes_s"] = time.perf_counter() - t
        for table in (coop_table, status_table):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
            )
    t = time.perf_counter()
    with connection.cursor() as cursor:
        for table in (coop_table, status_table):
            cursor.execute(f"VACUUM ANALYZE {table}")
    timings["analyze_s"] = time.perf_counter() - t
    timings["total_s"] = time.perf_counter() - started
    return {"organisations": scale, "status_changes": status_pk, **timings}


def verify(sample: int = 300, seed: int = 1) -> None:
    """Read a sample back through the ORM: the search text is what the app computes, and each
    row passes the model's own validation (tax code, sub-sector of the sector, dates)."""
    from hoptac.registry import rules, services
    from hoptac.registry.models import Cooperative

    total = Cooperative.objects.count()
    rnd = random.Random(seed)
    pks = {rnd.randint(1, total) for _ in range(sample)}
    problems = []
    for coop in Cooperative.objects.filter(pk__in=pks).select_related("commune_legacy", "commune"):
        if services.search_text_of(coop) != coop.search_text:
            problems.append(f"{coop.pk}: search_text differs from services.search_text_of")
        if rules.name_key(coop.name) != coop.name_key:
            problems.append(f"{coop.pk}: name_key differs from rules.name_key")
        try:
            coop.full_clean(validate_unique=False, validate_constraints=False)
        except Exception as error:
            problems.append(f"{coop.pk}: {error}")
    if problems:
        sys.exit("bench: generated rows fail the app's rules:\n" + "\n".join(problems[:20]))


def save_meta(info: dict[str, Any]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {META_TABLE} (key text PRIMARY KEY, value jsonb)"
        )
        cursor.execute(
            f"INSERT INTO {META_TABLE} VALUES ('generate', %s) "
            "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
            [json.dumps(info, default=str)],
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, required=True, help="number of organisations")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--database-url", default=common.DEFAULT_DATABASE_URL)
    args = parser.parse_args()
    url = common.check_url(args.database_url)
    load_before = common.machine()["load"]
    t = time.perf_counter()
    created = common.ensure_database(url)
    print(f"database {common.database_name(url)}{' created' if created else ''}; migrating")
    common.manage(url, "migrate", "--noinput", "-v", "0")
    common.manage(url, "areas", "load")
    setup_s = time.perf_counter() - t
    common.setup_django(url)
    print(f"generating {args.scale:,} organisations (seed {args.seed})")
    info = fill(args.scale, args.seed)
    verify()
    info.update(
        scale=args.scale,
        seed=args.seed,
        setup_s=setup_s,
        generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
        load_before=load_before,
        machine=common.machine(),
    )
    save_meta(info)
    print(
        f"done: {info['organisations']:,} organisations, {info['status_changes']:,} status "
        f"changes in {info['total_s']:.1f} s (COPY {info['copy_s']:.1f} s, indexes "
        f"{info['indexes_s']:.1f} s, analyze {info['analyze_s']:.1f} s; migrate and areas "
        f"{setup_s:.1f} s); load {info['load_before']} -> {info['machine']['load']}"
    )
    common.rebuild_tally(url)


if __name__ == "__main__":
    main()
