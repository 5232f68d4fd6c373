"""Settings → Integrations (the Zoom card), connecting, the OAuth callback, disconnecting,
and the webhook endpoint."""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import owner_required
from slotwise.drafts import draft_save
from zoom import client, connect_flow, services, webhooks
from zoom.errors import ZoomConfigurationError, ZoomError, ZoomTemporaryError
from zoom.models import ConnectionStatus, ZoomConnectAttempt, ZoomConnection

logger = logging.getLogger(__name__)


def _card_context(request: HttpRequest) -> dict[str, object]:
    business = request.business  # type: ignore[attr-defined]
    connection = (
        ZoomConnection.objects.select_related("connected_by", "disconnected_by")
        .filter(business=business)
        .first()
    )
    status = connection.status if connection else ConnectionStatus.DISCONNECTED
    attempt = (
        ZoomConnectAttempt.objects.filter(business=business).select_related("started_by").first()
    )
    unfinished = attempt if attempt and attempt.finished_at is None else None
    return {
        "connection": connection,
        "status": status,
        "unfinished_attempt": unfinished if status != ConnectionStatus.ACTIVE else None,
        "configured": bool(settings.ZOOM_CLIENT_ID and settings.ZOOM_CLIENT_SECRET),
    }


@require_GET
def integrations(request: HttpRequest) -> HttpResponse:
    """Settings → Integrations, with the Zoom card."""
    return render(request, "zoom/integrations.html", _card_context(request))


def _safe_return(request: HttpRequest, candidate: str, default: str) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def _begin(request: HttpRequest, *, return_to: str, draft_id: str = "") -> HttpResponse:
    if not (settings.ZOOM_CLIENT_ID and settings.ZOOM_CLIENT_SECRET):
        messages.error(request, "Zoom is not set up on this Slotwise server; ask your operator.")
        return redirect("zoom:integrations")
    url = connect_flow.connect_begin(
        request,
        business=request.business,  # type: ignore[attr-defined]
        user=request.user,  # type: ignore[arg-type]
        return_to=return_to,
        draft_id=draft_id,
    )
    return redirect(url)


@require_POST
def connect(request: HttpRequest) -> HttpResponse:
    """Connect on the Zoom card (or a catalog warning): off to Zoom's sign-in and consent."""
    default = reverse("zoom:integrations")
    return _begin(
        request, return_to=_safe_return(request, request.POST.get("return_to", ""), default)
    )


@require_POST
def connect_from_form(request: HttpRequest) -> HttpResponse:
    """Connect Zoom inside the service or class-schedule editor: keep the unsaved form, then go.

    The editor's own form is submitted here (formaction), so everything typed so far is in
    the POST; it is parked as a draft and restored when Zoom sends the user back.
    """
    return_to = _safe_return(
        request, request.POST.get("return_to", ""), reverse("zoom:integrations")
    )
    draft_id = draft_save(request, request.POST)
    return _begin(request, return_to=return_to, draft_id=draft_id)


def _back(pending: connect_flow.PendingConnect | None) -> str:
    if pending is None:
        return reverse("zoom:integrations")
    if pending.draft_id:
        separator = "&" if "?" in pending.return_to else "?"
        return f"{pending.return_to}{separator}draft={pending.draft_id}"
    return pending.return_to


def _failure(
    request: HttpRequest, *, title: str, message: str, status: int, retry_url: str
) -> HttpResponse:
    return render(
        request,
        "zoom/callback_problem.html",
        {"title": title, "message": message, "retry_url": retry_url},
        status=status,
    )


@require_GET
def callback(request: HttpRequest) -> HttpResponse:
    """Where Zoom sends the browser back: check state, exchange the code, store the connection."""
    business = request.business  # type: ignore[attr-defined]
    pending = connect_flow.connect_take(request, request.GET.get("state", ""))
    if pending is None:
        return _failure(
            request,
            title="This Zoom connection attempt has expired",
            message="The link Zoom sent you back with is missing its check, was already used, "
            "or is more than ten minutes old. Nothing was connected. Start again.",
            status=400,
            retry_url=reverse("zoom:integrations"),
        )
    back = _back(pending)
    error = request.GET.get("error", "")
    if error:
        outcome = "declined" if error == "access_denied" else f"error:{error[:30]}"
        services.zoom_connect_attempts_finish(business=business, outcome=outcome)
        if error == "access_denied":
            messages.warning(
                request,
                "You declined in Zoom, so Zoom is not connected. Press Connect again whenever "
                "you are ready.",
            )
        else:
            messages.error(
                request, f"Zoom did not connect ({error}). Nothing was stored; please try again."
            )
        return redirect(back)
    code = request.GET.get("code", "")
    if not code:
        services.zoom_connect_attempts_finish(business=business, outcome="no_code")
        messages.error(
            request, "Zoom sent you back without an answer. Nothing was stored; please try again."
        )
        return redirect(back)
    try:
        tokens = client.exchange_code(code=code, code_verifier=pending.code_verifier)
        missing = tokens.missing_scopes()
        if missing:
            raise ZoomConfigurationError(
                "The Zoom app did not grant the permissions Slotwise needs: "
                + ", ".join(missing)
                + "."
            )
        zoom_user = client.get_me(access_token=tokens.access_token)
        result = services.zoom_connection_connect(
            business=business,
            user=request.user,
            tokens=tokens,
            zoom_user=zoom_user,  # type: ignore[arg-type]
        )
    except services.ConnectRefused as exc:
        messages.error(request, str(exc))
        return redirect(back)
    except ZoomError as exc:
        services.zoom_connect_attempts_finish(business=business, outcome="exchange_failed")
        unreachable = isinstance(exc, ZoomTemporaryError)
        logger.warning("zoom connect for business %s failed: %s", business.pk, type(exc).__name__)
        return _failure(
            request,
            title="Zoom could not be reached"
            if unreachable
            else "Zoom did not complete the connection",
            message=(
                "Slotwise could not reach Zoom to finish connecting. Nothing was stored. "
                "Please try again in a moment."
                if unreachable
                else f"{exc} Nothing was stored. Please try again."
            ),
            status=502,
            retry_url=back,
        )
    connection = result.connection
    if result.previous_email:
        messages.warning(
            request,
            f"Zoom is now connected as {connection.email}, a different Zoom user than before "
            f"({result.previous_email}). New meetings are created for {connection.email}.",
        )
    else:
        messages.success(
            request, f"Zoom is connected: meetings will be created for {connection.email}."
        )
    return redirect(back)


@owner_required
@require_http_methods(["GET", "POST"])
def disconnect(request: HttpRequest) -> HttpResponse:
    """Disconnect on the Zoom card, behind a confirmation that says what it means."""
    business = request.business  # type: ignore[attr-defined]
    connection = ZoomConnection.objects.filter(business=business).first()
    if connection is None or connection.status == ConnectionStatus.DISCONNECTED:
        return redirect("zoom:integrations")
    if request.method == "POST":
        revoked = services.zoom_connection_disconnect(business=business, user=request.user)  # type: ignore[arg-type]
        messages.success(
            request,
            "Zoom is disconnected. Slotwise makes no further calls to Zoom."
            + (
                ""
                if revoked
                else " (Zoom could not be told right now; the connection is removed here anyway.)"
            ),
        )
        return redirect("zoom:integrations")
    return render(request, "zoom/disconnect.html", {"connection": connection})


@csrf_exempt  # Zoom cannot send our CSRF token; the HMAC signature authenticates instead.
@login_not_required
@require_POST
def webhook(request: HttpRequest) -> HttpResponse:
    """Zoom's event notifications (deauthorization, meeting changes, URL validation)."""
    outcome = webhooks.handle(
        secret=settings.ZOOM_WEBHOOK_SECRET_TOKEN,
        body=request.body,
        timestamp=request.headers.get("x-zm-request-timestamp", ""),
        signature=request.headers.get("x-zm-signature", ""),
    )
    return JsonResponse(outcome.body, status=outcome.status)
