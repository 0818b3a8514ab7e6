from django.contrib import admin

from hoptac.plans.models import Milestone, Plan, Target


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "kind", "area", "start_year", "end_year"]
    list_filter = ["kind"]
    search_fields = ["number", "title", "issuer"]
    raw_id_fields = ["area"]
    inlines = [TargetInline]


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    list_display = ["target", "year", "value"]
