from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from hoptac.accounts.models import User


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, BaseUserAdmin):
    list_display = ["username", "full_name", "role", "area", "is_active"]
    list_filter = ["role", "is_active"]
    raw_id_fields = ["area"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (None, {"fields": ["full_name", "role", "area", "title", "phone"]}),
    ]
