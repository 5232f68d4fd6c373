from django.contrib import admin

from zoom.models import ZoomConnectAttempt, ZoomConnection


@admin.register(ZoomConnection)
class ZoomConnectionAdmin(admin.ModelAdmin):
    # Tokens are deliberately absent: the admin never shows or edits them.
    list_display = [
        "business",
        "status",
        "email",
        "zoom_account_id",
        "connected_at",
        "refreshed_at",
    ]
    list_filter = ["status"]
    search_fields = ["business__name", "email", "zoom_user_id", "zoom_account_id"]
    fields = [
        "business",
        "status",
        "zoom_user_id",
        "zoom_account_id",
        "email",
        "display_name",
        "scopes",
        "access_token_expires_at",
        "connected_by",
        "connected_at",
        "disconnected_by",
        "disconnected_at",
        "disconnect_reason",
        "problem",
        "problem_notified_at",
        "refreshed_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request: object) -> bool:
        return False


@admin.register(ZoomConnectAttempt)
class ZoomConnectAttemptAdmin(admin.ModelAdmin):
    list_display = ["business", "started_by", "started_at", "finished_at", "outcome"]
    list_filter = ["outcome"]
    readonly_fields = ["business", "started_by", "started_at", "finished_at", "outcome"]
