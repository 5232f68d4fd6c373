"""The pages of the OAuth dance: sign-in, consent, Request Access, and the admin's approvals.

Flow at GET /oauth/authorize (REFERENCE 1.2, 2): check client_id and the exact
redirect_uri (an error page if either is wrong - never redirect to an unverified URI); sign
in unless the sandbox session says who the user is; then either consent (Allow / Decline)
or, in an account whose admin must pre-approve apps, Request Access.
"""

import hmac
import re
from dataclasses import dataclass
from urllib.parse import urlencode

from zoom_sandbox import oauth
from zoom_sandbox.clock import iso_utc
from zoom_sandbox.html import Page, esc, safe_next
from zoom_sandbox.ids import opaque
from zoom_sandbox.sandbox import Sandbox
from zoom_sandbox.sessions import csrf_ok, current_user, sign_in, sign_out
from zoom_sandbox.state import AppRequest, User
from zoom_sandbox.web import Request, Response, Router, redirect, with_query

_PKCE_CHALLENGE = re.compile(r"^[A-Za-z0-9\-._~]{43,128}$")
SCOPE_TEXT = {
    "user:read:user": "View your user information",
    "user:read": "View your user information",
    "meeting:read:meeting": "View a meeting",
    "meeting:read:list_meetings": "View your meetings",
    "meeting:read": "View your meetings",
    "meeting:write:meeting": "Create a meeting for you",
    "meeting:update:meeting": "Update your meetings",
    "meeting:delete:meeting": "Delete your meetings",
    "meeting:write": "Create, update and delete your meetings",
}


@dataclass
class AuthorizeParams:
    client_id: str
    redirect_uri: str
    state: str | None
    code_challenge: str | None
    code_challenge_method: str | None

    def hidden(self) -> dict[str, str]:
        fields = {"client_id": self.client_id, "redirect_uri": self.redirect_uri}
        for name in ("state", "code_challenge", "code_challenge_method"):
            value = getattr(self, name)
            if value is not None:
                fields[name] = value
        return fields

    def url(self) -> str:
        return "/oauth/authorize?" + urlencode({"response_type": "code", **self.hidden()})

    def back_to_app(self, **params: str) -> Response:
        if self.state is not None:
            params["state"] = self.state
        return redirect(with_query(self.redirect_uri, params))


def parse_params(sb: Sandbox, page: Page, params: dict[str, str]) -> AuthorizeParams | Response:
    client_id = params.get("client_id", "")
    redirect_uri = params.get("redirect_uri", "")
    if client_id != sb.config.client_id:
        return _error_page(page, "Invalid client_id", f"No app has the client ID “{client_id}”.")
    if redirect_uri not in sb.config.redirect_uris:
        return _error_page(
            page,
            "Invalid redirect",
            f"“{redirect_uri}” is not a redirect URL configured for this app. Zoom needs an "
            "exact match.",
        )
    parsed = AuthorizeParams(
        client_id=client_id,
        redirect_uri=redirect_uri,
        state=params.get("state"),
        code_challenge=params.get("code_challenge") or None,
        code_challenge_method=params.get("code_challenge_method") or None,
    )
    # The redirect URI is verified now, so protocol errors go back to the app (RFC 6749 4.1.2.1).
    if params.get("response_type") != "code":
        return parsed.back_to_app(error="unsupported_response_type")
    if parsed.code_challenge is not None:
        method = parsed.code_challenge_method or "plain"  # RFC 7636 and Zoom's Postman default
        if method not in ("S256", "plain") or not _PKCE_CHALLENGE.match(parsed.code_challenge):
            return parsed.back_to_app(error="invalid_request")
        parsed.code_challenge_method = method
    return parsed


def _error_page(page: Page, title: str, text: str) -> Response:
    body = f'<div class="card narrow"><h1>{esc(title)}</h1><p>{esc(text)}</p></div>'
    return page.render(title, body, status=400)


def needs_approval(sb: Sandbox, user: User, client_id: str) -> bool:
    account = sb.store.accounts[user.account_id]
    return (
        account.requires_app_approval
        and client_id not in account.approved_client_ids
        and not user.is_admin
    )


def authorize(sb: Sandbox, req: Request) -> Response:
    """GET /oauth/authorize."""
    user = current_user(sb, req)
    page = Page(sb, req, user)
    params = parse_params(sb, page, req.query)
    if isinstance(params, Response):
        return params
    if user is None:
        body = (
            '<div class="card narrow"><h1>Sign in to Zoom</h1>'
            f'<p class="muted">to continue to {esc(sb.config.app_name)}</p>'
            f"{page.sign_in_form(next_url=params.url())}</div>"
        )
        return page.render("Sign in", body)
    with sb.lock:
        restricted = needs_approval(sb, user, params.client_id)
    if restricted:
        return _request_access_page(sb, page, user, params)
    return _consent_page(sb, page, user, params)


def _not_you(page: Page, params: AuthorizeParams) -> str:
    return page.form(
        "/signout", "", button="Sign out", css="link", hidden={"next": params.url()}, inline=True
    )


def _consent_page(sb: Sandbox, page: Page, user: User, params: AuthorizeParams) -> Response:
    app = esc(sb.config.app_name)
    scopes = "".join(
        f"<li>{esc(SCOPE_TEXT.get(s, s))} <span class='small muted'>({esc(s)})</span></li>"
        for s in sb.config.scopes
    )
    buttons = (
        page.form(
            "/oauth/authorize/decision", "", button="Allow", hidden=params.hidden(),
            name="decision", value="allow", inline=True,
        )
        + " "
        + page.form(
            "/oauth/authorize/decision", "", button="Decline", css="secondary",
            hidden=params.hidden(), name="decision", value="decline", inline=True,
        )
    )  # fmt: skip
    body = (
        f'<div class="card narrow"><h1>{app} would like to access your Zoom account</h1>'
        f"<p>Signed in as <strong>{esc(user.email)}</strong>. Not you? {_not_you(page, params)}"
        f"</p><h2>{app} will be able to:</h2><ul>{scopes}</ul>"
        f'<div class="actions">{buttons}</div></div>'
    )
    return page.render(f"Allow {sb.config.app_name}", body)


def _admins(sb: Sandbox, account_id: str) -> list[User]:
    return [u for u in sb.store.users.values() if u.account_id == account_id and u.is_admin]


def _request_access_page(sb: Sandbox, page: Page, user: User, params: AuthorizeParams) -> Response:
    app = esc(sb.config.app_name)
    with sb.lock:
        pending = any(
            r.user_id == user.id and r.client_id == params.client_id and r.status == "pending"
            for r in sb.store.app_requests.values()
        )
    if pending:
        action = (
            '<p class="notice" role="status">You have already requested access. Your admin '
            "has been notified.</p>"
        )
    else:
        action = page.form(
            "/oauth/authorize/request-access", "", button="Request Access", hidden=params.hidden()
        )
    body = (
        f'<div class="card narrow"><h1>{app} needs your admin’s approval</h1>'
        f"<p>Signed in as <strong>{esc(user.email)}</strong>. Not you? {_not_you(page, params)}"
        "</p><p>Your account requires an admin to approve apps before you can add them.</p>"
        f'<div class="actions">{action}</div></div>'
    )
    return page.render("Request Access", body)


def _form_params(sb: Sandbox, req: Request, page: Page) -> tuple[dict[str, str], Response | None]:
    form = req.form()
    if not csrf_ok(req, form):
        return form, _error_page(page, "Form expired", "Go back, reload the page and try again.")
    return form, None


def decision(sb: Sandbox, req: Request) -> Response:
    """POST /oauth/authorize/decision: Allow → code; Decline → error=access_denied."""
    user = current_user(sb, req)
    page = Page(sb, req, user)
    form, refused = _form_params(sb, req, page)
    if refused:
        return refused
    params = parse_params(sb, page, {**form, "response_type": "code"})
    if isinstance(params, Response):
        return params
    if user is None:
        return redirect(params.url(), 303)
    if form.get("decision") != "allow":
        # UNVERIFIED what Zoom sends on decline (REFERENCE 2.1); RFC 6749's answer is used.
        return params.back_to_app(error="access_denied")
    with sb.lock:
        if needs_approval(sb, user, params.client_id):
            return redirect(params.url(), 303)
        code = oauth.issue_code(
            sb,
            user=user,
            client_id=params.client_id,
            redirect_uri=params.redirect_uri,
            code_challenge=params.code_challenge,
            code_challenge_method=params.code_challenge_method,
        )
    return params.back_to_app(code=code)


def request_access(sb: Sandbox, req: Request) -> Response:
    """POST /oauth/authorize/request-access: records the request; nothing returns to the app."""
    user = current_user(sb, req)
    page = Page(sb, req, user)
    form, refused = _form_params(sb, req, page)
    if refused:
        return refused
    params = parse_params(sb, page, {**form, "response_type": "code"})
    if isinstance(params, Response):
        return params
    if user is None:
        return redirect(params.url(), 303)
    with sb.lock:
        exists = any(
            r.user_id == user.id and r.client_id == params.client_id and r.status == "pending"
            for r in sb.store.app_requests.values()
        )
        if not exists:
            request = AppRequest(
                id=opaque(9),
                account_id=user.account_id,
                user_id=user.id,
                client_id=params.client_id,
                app_name=sb.config.app_name,
                created_at=sb.clock.now(),
            )
            sb.store.app_requests[request.id] = request
        admins = ", ".join(a.email for a in _admins(sb, user.account_id)) or "your admin"
    sb.changed()
    body = (
        '<div class="card narrow"><h1>Request sent</h1>'
        f'<p class="notice" role="status">Your admin was notified ({esc(admins)}).</p>'
        f"<p>Once they approve {esc(sb.config.app_name)}, go back to "
        f"{esc(sb.config.app_name)} and connect again.</p></div>"
    )
    return page.render("Request sent", body)


def sign_in_post(sb: Sandbox, req: Request) -> Response:
    """POST /signin."""
    page = Page(sb, req, None)
    form, refused = _form_params(sb, req, page)
    if refused:
        return refused
    next_url = safe_next(form.get("next"))
    with sb.lock:
        user = sb.store.user_by_email(form.get("email", ""))
    if user is None or not hmac.compare_digest(user.password, form.get("password", "")):
        body = (
            '<div class="card narrow"><h1>Sign in to Zoom</h1>'
            + page.sign_in_form(
                next_url=next_url, error="Incorrect email or password.", email=form.get("email", "")
            )
            + "</div>"
        )
        return page.render("Sign in", body, status=200)
    response = redirect(next_url, 303)
    response.header("Set-Cookie", sign_in(sb, user))
    return response


def sign_out_post(sb: Sandbox, req: Request) -> Response:
    """POST /signout."""
    page = Page(sb, req, None)
    form, refused = _form_params(sb, req, page)
    if refused:
        return refused
    response = redirect(safe_next(form.get("next")), 303)
    response.header("Set-Cookie", sign_out(sb, req))
    return response


def app_requests(sb: Sandbox, req: Request) -> Response:
    """GET /admin/app-requests: the admin's list of Request Access entries."""
    user = current_user(sb, req)
    if user is None:
        return redirect("/?next=/admin/app-requests", 303)
    page = Page(sb, req, user)
    if not user.is_admin:
        return _error_page(page, "Admins only", "Only account owners and admins review requests.")
    with sb.lock:
        rows = []
        for r in sorted(sb.store.app_requests.values(), key=lambda r: r.created_at):
            if r.account_id != user.account_id:
                continue
            requester = sb.store.users.get(r.user_id)
            decide = (
                page.form(f"/admin/app-requests/{r.id}/approve", "", button="Approve", inline=True)
                + " "
                + page.form(
                    f"/admin/app-requests/{r.id}/reject", "", button="Reject", css="danger",
                    inline=True,
                )
                if r.status == "pending"
                else esc(r.status.capitalize())
            )  # fmt: skip
            rows.append(
                f"<tr><td>{esc(r.app_name)}</td>"
                f"<td>{esc(requester.email if requester else r.user_id)}</td>"
                f"<td>{esc(iso_utc(r.created_at))}</td><td>{decide}</td></tr>"
            )
    table = (
        "<table><thead><tr><th scope='col'>App</th><th scope='col'>Requested by</th>"
        "<th scope='col'>Requested at (UTC)</th><th scope='col'>Decision</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
        if rows
        else '<p class="muted">No requests.</p>'
    )
    body = f'<div class="card"><h1>App requests</h1>{table}</div>'
    return page.render("App requests", body)


def decide_request(sb: Sandbox, req: Request) -> Response:
    """POST /admin/app-requests/{id}/approve|reject."""
    user = current_user(sb, req)
    page = Page(sb, req, user)
    _form, refused = _form_params(sb, req, page)
    if refused:
        return refused
    if user is None or not user.is_admin:
        return _error_page(page, "Admins only", "Only account owners and admins review requests.")
    approve = req.path.endswith("/approve")
    with sb.lock:
        request = sb.store.app_requests.get(req.params["requestId"])
        if request is None or request.account_id != user.account_id:
            return _error_page(page, "Not found", "That request does not exist.")
        decide(sb, request, approve=approve, admin=user)
    return redirect("/admin/app-requests", 303)


def decide(sb: Sandbox, request: AppRequest, *, approve: bool, admin: User | None) -> None:
    """Approve or reject a request (caller holds the lock)."""
    request.status = "approved" if approve else "rejected"
    request.decided_at = sb.clock.now()
    request.decided_by = admin.id if admin else None
    account = sb.store.accounts[request.account_id]
    if approve and request.client_id not in account.approved_client_ids:
        account.approved_client_ids.append(request.client_id)
    sb.changed()


def register(router: Router) -> None:
    router.add("GET", "/oauth/authorize", authorize)
    router.add("POST", "/oauth/authorize/decision", decision)
    router.add("POST", "/oauth/authorize/request-access", request_access)
    router.add("POST", "/signin", sign_in_post)
    router.add("POST", "/signout", sign_out_post)
    router.add("GET", "/admin/app-requests", app_requests)
    router.add("POST", "/admin/app-requests/{requestId}/approve", decide_request)
    router.add("POST", "/admin/app-requests/{requestId}/reject", decide_request)
