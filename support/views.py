"""The Zoom help page and the support chat: the full page and the fragments the panel loads."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from slotwise.forms_util import add_service_errors
from support.forms import SupportMessageForm
from support.selectors import Conversation, conversation_load, support_thread_for
from support.services import support_message_send, support_thread_mark_read


@require_GET
def zoom_help(request: HttpRequest) -> HttpResponse:
    return render(request, "support/zoom_help.html")


def _conversation_seen(request: HttpRequest) -> Conversation:
    conversation = conversation_load(support_thread_for(request.business))  # type: ignore[attr-defined]
    if conversation.thread is not None:
        support_thread_mark_read(thread=conversation.thread)
    return conversation


@require_http_methods(["GET", "POST"])
def chat(request: HttpRequest) -> HttpResponse:
    """The conversation with a form to write. htmx posts get fragments; plain posts a redirect."""
    form = SupportMessageForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            support_message_send(
                business=request.business,  # type: ignore[attr-defined]
                author=request.user,  # type: ignore[arg-type]
                body=form.cleaned_data["body"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if not request.htmx:  # type: ignore[attr-defined]
                messages.success(request, "Message sent. Our reply will appear here.")
                return redirect("support:chat")
            form = SupportMessageForm()
    if request.htmx:  # type: ignore[attr-defined]
        # The list swaps in place; the form comes along out of band, empty after a send or
        # with the error and the typed text after a refusal.
        return render(
            request,
            "support/_chat_update.html",
            {"conversation": _conversation_seen(request), "support_form": form},
        )
    return render(
        request,
        "support/chat.html",
        {
            "conversation": _conversation_seen(request),
            "support_form": form,
            "support_chat_page": True,  # base.html then leaves out the corner chat button
        },
    )


@require_GET
def chat_messages(request: HttpRequest) -> HttpResponse:
    """The message list the open panel polls; 204 when the caller's revision is current."""
    thread = support_thread_for(request.business)  # type: ignore[attr-defined]
    current = thread.revision if thread else 0
    if request.GET.get("rev") == str(current):
        return HttpResponse(status=204)  # htmx leaves the list alone
    conversation = conversation_load(thread)
    if thread is not None:
        support_thread_mark_read(thread=thread)
    return render(request, "support/_messages.html", {"conversation": conversation})
