from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from hoptac.market.models import (
    Certification,
    PartnerCompany,
    Product,
    TradeEvent,
    Trademark,
    ValueChainLink,
)


@admin.register(Product)
class ProductAdmin(SimpleHistoryAdmin):
    list_display = ["name", "category", "cooperative"]
    list_filter = ["category"]
    search_fields = ["name"]
    raw_id_fields = ["cooperative", "created_by"]


@admin.register(Certification)
class CertificationAdmin(SimpleHistoryAdmin):
    list_display = ["product", "kind", "stars", "year"]
    list_filter = ["kind", "year"]
    raw_id_fields = ["product"]


@admin.register(Trademark)
class TrademarkAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "cooperative", "number"]
    raw_id_fields = ["cooperative", "product", "created_by"]


@admin.register(TradeEvent)
class TradeEventAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "starts_on", "area"]
    raw_id_fields = ["area", "created_by"]


@admin.register(PartnerCompany)
class PartnerCompanyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "tax_code"]
    search_fields = ["name", "tax_code"]
    raw_id_fields = ["created_by"]


@admin.register(ValueChainLink)
class ValueChainLinkAdmin(SimpleHistoryAdmin):
    list_display = ["cooperative", "company", "kind", "starts_on", "ends_on", "status"]
    list_filter = ["kind", "status"]
    raw_id_fields = ["cooperative", "company", "product", "created_by"]
