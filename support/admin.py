"""Operators answer the support chat here: the thread's history, a Reply box, its status."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest

from support.models import SupportMessage, SupportThread
from support.services import (
    support_message_body_clean,
    support_reply_send,
    support_thread_set_status,
)


class SupportMessageInline(admin.TabularInline):
    """The conversation so far, read-only: history is never edited, only added to."""

    model = SupportMessage
    extra = 0
    can_delete = False
    ordering = ["created_at", "pk"]
    fields = ["created_at", "sender", "body"]
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[SupportMessage]:
        return super().get_queryset(request).select_related("author")

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.display(description="From")
    def sender(self, message: SupportMessage) -> str:
        if message.from_operator:
            return f"{message.operator_name} (support)"
        return str(message.author) if message.author else "former team member"


class SupportThreadAdminForm(forms.ModelForm):
    reply = forms.CharField(
        label="Reply",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 6, "cols": 80}),
        help_text=(
            "Shown to the business in its chat at once; its owners also get an e-mail. "
            "Leave empty to change only the status."
        ),
    )

    class Meta:
        model = SupportThread
        fields = ["status"]

    def clean_reply(self) -> str:
        reply = self.cleaned_data.get("reply", "")
        if not reply.strip():
            return ""
        try:
            return support_message_body_clean(reply)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from exc


@admin.register(SupportThread)
class SupportThreadAdmin(admin.ModelAdmin):
    form = SupportThreadAdminForm
    list_display = ["business", "status", "last_message_at", "awaiting_reply"]
    list_filter = ["status", "awaiting_reply"]
    list_select_related = ["business"]
    search_fields = ["business__name", "business__slug"]
    ordering = ["-awaiting_reply", "-last_message_at"]
    readonly_fields = ["business", "last_message_at", "created_at"]
    fields = ["business", "status", "last_message_at", "created_at", "reply"]
    inlines = [SupportMessageInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # A conversation starts when a business writes; operators answer, they do not open.
        return False

    def save_model(
        self, request: HttpRequest, obj: SupportThread, form: forms.ModelForm, change: bool
    ) -> None:
        # Everything goes through the services (no obj.save()): the reply first, then the
        # status, so "reply and close" in one save leaves the conversation closed.
        reply = form.cleaned_data.get("reply", "")
        if reply:
            support_reply_send(thread=obj, author=request.user, body=reply)  # type: ignore[arg-type]
            self.message_user(request, f"Reply sent to {obj.business}.", messages.SUCCESS)
        if "status" in form.changed_data:
            support_thread_set_status(thread=obj, status=form.cleaned_data["status"])
