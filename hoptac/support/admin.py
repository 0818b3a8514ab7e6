from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from hoptac.support.models import (
    Course,
    Participant,
    Policy,
    PolicyBudget,
    RemediationCase,
    SupportGrant,
)


@admin.register(Policy)
class PolicyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "area", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "code"]
    raw_id_fields = ["area", "created_by"]


@admin.register(PolicyBudget)
class PolicyBudgetAdmin(SimpleHistoryAdmin):
    list_display = ["policy", "year", "area", "source", "amount"]
    list_filter = ["year", "source"]
    raw_id_fields = ["policy", "area", "created_by"]


@admin.register(SupportGrant)
class SupportGrantAdmin(SimpleHistoryAdmin):
    list_display = ["cooperative", "policy", "granted_on", "amount", "source", "eligibility"]
    list_filter = ["source", "eligibility"]
    raw_id_fields = ["cooperative", "policy", "created_by"]


@admin.register(Course)
class CourseAdmin(SimpleHistoryAdmin):
    list_display = ["title", "topic", "starts_on", "area"]
    list_filter = ["topic"]
    raw_id_fields = ["area", "policy", "created_by"]


@admin.register(Participant)
class ParticipantAdmin(SimpleHistoryAdmin):
    list_display = ["name", "role", "course", "attended"]
    raw_id_fields = ["course", "area", "cooperative"]


@admin.register(RemediationCase)
class RemediationCaseAdmin(SimpleHistoryAdmin):
    list_display = ["cooperative", "year", "status", "outcome"]
    list_filter = ["status", "year"]
    raw_id_fields = ["cooperative", "responsible", "created_by"]
