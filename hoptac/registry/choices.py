"""Codes of the cooperative registry: kinds of organisation, statuses, sectors and member kinds.

Every list names its legal source (document and article, where the article is known).
The stored codes are stable keys (Vietnamese where the law names the thing); labels translate.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


def label_of(choices: type[models.Choices], value: object) -> object:
    """The label of `value` among `choices` (the value itself when unknown): what
    get_FOO_display gives, without rebuilding a dict of every choice on each call."""
    member = choices._value2member_map_.get(value)
    return member.label if member is not None else value


class Kind(models.TextChoices):
    """The three kinds of organisation of the Cooperative Law 2023 (Luật HTX 17/2023/QH15;
    official member: its Điều 4 khoản 17; registration of each kind: Nghị định 92/2024/NĐ-CP): a
    tổ hợp tác is no legal person (≥ 2 members, a cooperation contract); an HTX needs ≥ 5
    official members; a liên hiệp HTX is made of HTX."""

    COOPERATIVE_GROUP = "to_hop_tac", _("Cooperative group (tổ hợp tác)")
    COOPERATIVE = "hop_tac_xa", _("Cooperative (hợp tác xã)")
    UNION = "lien_hiep_hop_tac_xa", _("Cooperative union (liên hiệp hợp tác xã)")


class Status(models.TextChoices):
    """Legal statuses of an HTX / LHHTX as the registration database records them
    (Nghị định 92/2024/NĐ-CP Điều 27 for HTX and LHHTX, Điều 28 for branches and offices).
    The issue's "ngừng hoạt động – chờ giải thể" is DISSOLVING and its "phá sản" is BANKRUPT."""

    ACTIVE = "dang_hoat_dong", _("Operating")
    SUSPENDED = "tam_ngung_kinh_doanh", _("Business suspended")
    DISSOLVING = "dang_lam_thu_tuc_giai_the", _("Being dissolved")
    DISSOLVED = "da_giai_the", _("Dissolved")
    REVOKED = "bi_thu_hoi_gcn", _("Registration certificate revoked")
    REVOKED_TAX = "bi_thu_hoi_do_cuong_che_thue", _("Revoked for tax enforcement")
    BANKRUPTCY = "dang_lam_thu_tuc_pha_san", _("In bankruptcy proceedings")
    BANKRUPT = "da_pha_san", _("Bankrupt")
    NOT_AT_ADDRESS = "khong_hoat_dong_tai_dia_chi", _("Not operating at the registered address")


# The state machine of statuses (Nghị định 92/2024/NĐ-CP): suspension and resumption (notice
# ≥ 3 working days ahead, ≤ 12 months per notice, renewable by a new notice, hence SUSPENDED →
# SUSPENDED; form Phụ lục II-8 of Thông tư 09/2024/TT-BKHĐT); voluntary dissolution (Điều 50,
# on the resolution of Luật HTX 2023 Điều 98 khoản 3 điểm a: the resolution sets "đang làm thủ
# tục giải thể", settling debts and taxes gives "đã giải thể"); compulsory dissolution (a
# revoked certificate or a court decision sets "đang làm thủ tục giải thể"). The bankruptcy and
# "not at address" statuses were not read in Điều 27 itself (low confidence): only their obvious
# exits are allowed.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.ACTIVE: frozenset(
        {
            Status.SUSPENDED,
            Status.DISSOLVING,
            Status.REVOKED,
            Status.REVOKED_TAX,
            Status.BANKRUPTCY,
            Status.NOT_AT_ADDRESS,
        }
    ),
    Status.SUSPENDED: frozenset(
        {
            Status.ACTIVE,
            Status.SUSPENDED,
            Status.DISSOLVING,
            Status.REVOKED,
            Status.REVOKED_TAX,
            Status.BANKRUPTCY,
        }
    ),
    Status.NOT_AT_ADDRESS: frozenset(
        {Status.ACTIVE, Status.DISSOLVING, Status.REVOKED, Status.REVOKED_TAX}
    ),
    Status.REVOKED: frozenset({Status.DISSOLVING}),
    Status.REVOKED_TAX: frozenset({Status.DISSOLVING}),
    Status.DISSOLVING: frozenset({Status.DISSOLVED}),
    Status.BANKRUPTCY: frozenset({Status.BANKRUPT}),
    Status.DISSOLVED: frozenset(),
    Status.BANKRUPT: frozenset(),
}

# Which statuses still count as an existing HTX when counting "HTX at a date": everything
# until the organisation is dissolved or bankrupt. This is our convention (the law defines the
# statuses, not the statistics); indicators may count ACTIVE alone as "đang hoạt động".
ENDED_STATUSES = frozenset({Status.DISSOLVED, Status.BANKRUPT})
EXISTING_STATUSES = frozenset(Status.values) - ENDED_STATUSES


class Sector(models.TextChoices):
    """The main split of every provincial and national count: agricultural or not (seed
    articles: "123 HTX nông nghiệp và 44 HTX phi nông nghiệp")."""

    AGRICULTURAL = "nong_nghiep", _("Agricultural")
    NON_AGRICULTURAL = "phi_nong_nghiep", _("Non-agricultural")


class SubSector(models.TextChoices):
    """Sub-sectors.

    Agricultural: the classification by activity of Thông tư 09/2017/TT-BNNPTNT (its article
    number was not retrieved); "dịch vụ nông nghiệp" is not in that list and comes from issue 3.
    Non-agricultural: the reporting buckets that ministries and provinces use (Sở KH&ĐT Lâm
    Đồng 2022, Liên minh HTX Việt Nam 31/12/2023; not a legal list, Thông tư 01/2020/TT-BKHĐT
    has none); "khác" comes from issue 3.
    """

    CROPS = "trong_trot", _("Crop farming")
    LIVESTOCK = "chan_nuoi", _("Livestock")
    FORESTRY = "lam_nghiep", _("Forestry")
    FISHERIES = "thuy_san", _("Fisheries and aquaculture")
    SALT = "diem_nghiep", _("Salt production")
    AGRI_SERVICES = "dich_vu_nong_nghiep", _("Agricultural services")
    AGRI_GENERAL = "tong_hop", _("General agriculture")
    INDUSTRY = "cong_nghiep_ttcn", _("Industry and handicrafts")
    CONSTRUCTION = "xay_dung", _("Construction")
    TRADE = "thuong_mai_dich_vu", _("Trade and services")
    TRANSPORT = "van_tai", _("Transport")
    CREDIT = "tin_dung_qtdnd", _("Credit (people's credit fund)")
    HOUSING = "nha_o", _("Housing")
    ENVIRONMENT = "moi_truong", _("Environment")
    OTHER = "khac", _("Other")


AGRICULTURAL_SUB_SECTORS = frozenset(
    {
        SubSector.CROPS,
        SubSector.LIVESTOCK,
        SubSector.FORESTRY,
        SubSector.FISHERIES,
        SubSector.SALT,
        SubSector.AGRI_SERVICES,
        SubSector.AGRI_GENERAL,
    }
)


def sector_of(sub_sector: str) -> str:
    """The sector a sub-sector belongs to."""
    if sub_sector in AGRICULTURAL_SUB_SECTORS:
        return Sector.AGRICULTURAL
    return Sector.NON_AGRICULTURAL


class MemberKind(models.TextChoices):
    """Who may be a member of an HTX (Luật HTX 2023: individuals, households, legal entities)."""

    PERSON = "ca_nhan", _("Person")
    HOUSEHOLD = "ho_gia_dinh", _("Household")
    LEGAL_ENTITY = "phap_nhan", _("Legal entity")


class Flag(models.TextChoices):
    """The yes/no marks provinces count (indicators so_htx_ung_dung_cnc, the high-technology
    target of Nghị quyết 20-NQ/TW 2022, and so_htx_chuoi_gia_tri of the national reports;
    "điển hình tiên tiến" from the seed; "thành lập mới trong năm": so_htx_thanh_lap_moi of Công
    văn 9371/BKHĐT-HTX, derived from the founding date, not stored)."""

    HIGH_TECH = "high_tech", _("Applies high technology")
    VALUE_CHAIN = "value_chain", _("Takes part in a value chain")
    MODEL = "model_cooperative", _("Advanced model cooperative")
    NEWLY_FOUNDED = "newly_founded", _("Founded this year")


class Problem(models.TextChoices):
    """Data-quality warnings the administrator's home counts and the list filters by: an
    organisation placed in no commune of either tree, or sharing its folded name with another
    one. (A shared registration code cannot be stored: cooperative_unique_tax_code.)"""

    NO_COMMUNE = "no_commune", _("In no commune")
    DUPLICATE_NAME = "duplicate_name", _("Name shared with another")


class Sort(models.TextChoices):
    """The orders the list offers."""

    NAME = "name", _("Name A–Z")
    NAME_DESC = "-name", _("Name Z–A")
    FOUNDED = "founded_on", _("Oldest first")
    FOUNDED_DESC = "-founded_on", _("Newest first")
    MEMBERS_DESC = "-members_count", _("Most members")
    CAPITAL_DESC = "-charter_capital", _("Largest capital")
    UPDATED_DESC = "-updated_at", _("Recently changed")
