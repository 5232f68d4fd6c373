from django.contrib import admin

from meetings.models import OnlineMeeting, ToolBudget


@admin.register(OnlineMeeting)
class OnlineMeetingAdmin(admin.ModelAdmin):
    """The operators' view: meetings by status with their last error; filter to failed ones."""

    list_display = [
        "__str__",
        "business",
        "status",
        "attempts",
        "last_error",
        "next_attempt_at",
        "updated_at",
    ]
    list_filter = ["status", "tool"]
    search_fields = ["business__name", "last_error", "external_id"]
    list_select_related = ["business"]
    ordering = ["-updated_at"]
    readonly_fields = [f.name for f in OnlineMeeting._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False


@admin.register(ToolBudget)
class ToolBudgetAdmin(admin.ModelAdmin):
    list_display = ["business", "tool", "day", "calls", "paused_until"]
    list_filter = ["tool", "day"]
