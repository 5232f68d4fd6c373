"""A Zoom user's own pages: their meetings (edit, delete, start, end), installed apps, and
the join/start links the API hands out. Changes made here fire the webhooks Zoom would send,
so a demo user can watch the app react to edits made "in Zoom".
"""

from datetime import datetime

from zoom_sandbox import actions, meetings, oauth, times
from zoom_sandbox.html import Page, esc, safe_next
from zoom_sandbox.meetings import ApiError
from zoom_sandbox.sandbox import Sandbox
from zoom_sandbox.sessions import csrf_ok, current_user
from zoom_sandbox.state import SEED_PASSWORD, Meeting, User
from zoom_sandbox.web import Request, Response, Router, redirect


def _sign_in_card(page: Page, next_url: str) -> str:
    seeded = "".join(
        f"<li><code>{esc(u.email)}</code></li>"
        for u in page.sb.store.users.values()
        if u.password == SEED_PASSWORD
    )
    return (
        '<div class="card narrow"><h1>Sign in to Zoom</h1>'
        f"{page.sign_in_form(next_url=next_url)}</div>"
        '<div class="card narrow small"><h2>Sandbox users</h2>'
        f'<p class="muted">Password <code>{SEED_PASSWORD}</code> for each:</p>'
        f"<ul>{seeded}</ul></div>"
    )


def _meeting_rows(sb: Sandbox, page: Page, user: User) -> str:
    now = sb.clock.now()
    mine = sorted(
        (
            m
            for m in sb.store.meetings.values()
            if m.host_id == user.id and not m.deleted and not meetings.is_expired(m, now)
        ),
        key=lambda m: (m.start_time or m.created_at, m.id),
    )
    rows = []
    for m in mine:
        when = times.human(m.start_time, m.timezone) if m.start_time else "Recurring, no fixed time"
        controls = [f'<a href="/meetings/{m.id}/edit">Edit</a>']
        if m.status == "waiting":
            controls.append(
                page.form(
                    f"/meetings/{m.id}/start", "", button="Start", css="secondary", inline=True
                )
            )
            controls.append(
                page.form(
                    f"/meetings/{m.id}/delete", "", button="Delete", css="danger", inline=True
                )
            )
        elif m.status == "started":
            controls.append(
                page.form(f"/meetings/{m.id}/end", "", button="End", css="secondary", inline=True)
            )
        join = meetings.join_url(m, sb.base_url)
        rows.append(
            f"<tr><td>{esc(m.topic)}<div class='small muted'>ID {m.id} · {esc(m.status)}</div></td>"
            f"<td>{esc(when)}<div class='small muted'>{m.duration} min</div></td>"
            f'<td><a href="{esc(join)}"><code>{esc(join)}</code></a></td>'
            f"<td>{esc(m.password) or '<span class=muted>none</span>'}</td>"
            f"<td>{' '.join(controls)}</td></tr>"
        )
    if not rows:
        return '<p class="muted">No upcoming or recent meetings.</p>'
    return (
        "<table><thead><tr><th scope='col'>Topic</th><th scope='col'>Time</th>"
        "<th scope='col'>Join URL</th><th scope='col'>Passcode</th><th scope='col'>Actions</th>"
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _apps_table(sb: Sandbox, page: Page, user: User) -> str:
    rows = []
    for inst in sb.store.installations.values():
        if inst.user_id != user.id:
            continue
        name = sb.config.app_name if inst.client_id == sb.config.client_id else inst.client_id
        remove = page.form(
            f"/apps/installed/{inst.client_id}/remove", "", button="Remove", css="danger"
        )
        rows.append(
            f"<tr><td>{esc(name)}</td><td class='small'>{esc(' '.join(inst.scopes))}</td>"
            f"<td>{esc(datetime.fromtimestamp(inst.installed_at).date())}</td><td>{remove}</td></tr>"
        )
    if not rows:
        return '<p class="muted">No apps installed.</p>'
    return (
        "<table><thead><tr><th scope='col'>App</th><th scope='col'>Scopes</th>"
        "<th scope='col'>Added</th><th scope='col'>Action</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def home(sb: Sandbox, req: Request) -> Response:
    """GET /: sign-in, or the signed-in user's meetings and installed apps."""
    user = current_user(sb, req)
    page = Page(sb, req, user)
    if user is None:
        return page.render("Sign in", _sign_in_card(page, safe_next(req.query.get("next"))))
    notice = req.query.get("notice", "")
    with sb.lock:
        account = sb.store.accounts[user.account_id]
        body = (
            (f'<p class="notice" role="status">{esc(notice)}</p>' if notice else "")
            + f'<div class="card"><h1>Meetings of {esc(user.display_name)}</h1>'
            f'<p class="small muted">{esc(user.email)} · {esc(account.name)} '
            f"({esc(account.plan)} plan) · {esc(user.timezone)}</p>"
            f"{_meeting_rows(sb, page, user)}</div>"
            f'<div class="card"><h2>Installed apps</h2>{_apps_table(sb, page, user)}</div>'
        )
    return page.render("Meetings", body)


def installed_apps(sb: Sandbox, req: Request) -> Response:
    """GET /apps/installed (Zoom: marketplace.zoom.us/user/installed)."""
    user = current_user(sb, req)
    if user is None:
        return redirect("/?next=/apps/installed", 303)
    page = Page(sb, req, user)
    with sb.lock:
        table = _apps_table(sb, page, user)
    return page.render("Installed apps", f'<div class="card"><h1>Installed apps</h1>{table}</div>')


def _signed_in_post(sb: Sandbox, req: Request) -> tuple[User | None, Page, Response | None]:
    user = current_user(sb, req)
    page = Page(sb, req, user)
    form = req.form()
    if not csrf_ok(req, form):
        return (
            user,
            page,
            page.render("Form expired", "<p>Reload the page and try again.</p>", status=400),
        )
    if user is None:
        return None, page, redirect("/", 303)
    return user, page, None


def remove_app(sb: Sandbox, req: Request) -> Response:
    """POST /apps/installed/{clientId}/remove: uninstall, as a user does in the Marketplace."""
    user, _, refused = _signed_in_post(sb, req)
    if refused or user is None:
        return refused or redirect("/", 303)
    with sb.lock:
        oauth.uninstall(sb, user.id, req.params["clientId"])
    return redirect("/apps/installed", 303)


def _host_meeting(sb: Sandbox, user: User, raw_id: str) -> Meeting | None:
    try:
        meeting = actions.find_meeting(sb, raw_id)
    except ApiError:
        return None
    return meeting if meeting.host_id == user.id else None


def edit_meeting(sb: Sandbox, req: Request) -> Response:
    """GET/POST /meetings/{id}/edit: change topic, time and duration."""
    user = current_user(sb, req)
    if user is None:
        return redirect(f"/?next=/meetings/{req.params['meetingId']}/edit", 303)
    page = Page(sb, req, user)
    error = ""
    with sb.lock:
        meeting = _host_meeting(sb, user, req.params["meetingId"])
        if meeting is None:
            return page.render("Not found", "<p>That meeting does not exist.</p>", status=404)
        if req.method == "POST":
            form = req.form()
            if not csrf_ok(req, form):
                return page.render("Form expired", "<p>Reload and try again.</p>", status=400)
            fields: dict[str, object] = {"topic": form.get("topic", "").strip() or meeting.topic}
            if form.get("start_time"):
                # The form shows local time in the meeting's zone: exactly Zoom's no-Z form.
                fields["start_time"] = form["start_time"][:16] + ":00"
            if form.get("duration", "").isdigit():
                fields["duration"] = int(form["duration"])
            try:
                actions.update(sb, meeting, meetings.validate(fields, user=user), user)
            except ApiError as exc:
                error = exc.message
            else:
                return redirect("/?notice=Meeting+updated.", 303)
        start = (
            times.local_input_value(meeting.start_time, meeting.timezone)
            if meeting.start_time
            else ""
        )
        inner = (
            (f'<p class="error" role="alert">{esc(error)}</p>' if error else "")
            + '<label for="topic">Topic</label>'
            '<input id="topic" name="topic" type="text" maxlength="200" '
            f'value="{esc(meeting.topic)}">'
            f'<label for="start_time">Start time ({esc(meeting.timezone)})</label>'
            f'<input id="start_time" name="start_time" type="datetime-local" value="{esc(start)}">'
            '<label for="duration">Duration (minutes)</label>'
            '<input id="duration" name="duration" type="number" min="0" '
            f'value="{meeting.duration}">'
            '<div class="actions"></div>'
        )
        form_html = page.form(f"/meetings/{meeting.id}/edit", inner, button="Save")
    body = f'<div class="card narrow"><h1>Edit meeting {meeting.id}</h1>{form_html}</div>'
    return page.render("Edit meeting", body)


def meeting_action(sb: Sandbox, req: Request) -> Response:
    """POST /meetings/{id}/delete|start|end."""
    user, page, refused = _signed_in_post(sb, req)
    if refused or user is None:
        return refused or redirect("/", 303)
    verb = req.path.rsplit("/", 1)[1]
    with sb.lock:
        meeting = _host_meeting(sb, user, req.params["meetingId"])
        if meeting is None:
            return page.render("Not found", "<p>That meeting does not exist.</p>", status=404)
        try:
            if verb == "delete":
                actions.delete(sb, meeting, user)
            else:
                actions.set_status(sb, meeting, "started" if verb == "start" else "ended")
        except (ApiError, ValueError) as exc:
            message = exc.message if isinstance(exc, ApiError) else str(exc)
            return redirect("/?notice=" + message.replace(" ", "+"), 303)
    notice = {"delete": "Meeting+deleted.", "start": "Meeting+started.", "end": "Meeting+ended."}
    return redirect(f"/?notice={notice[verb]}", 303)


def join_page(sb: Sandbox, req: Request) -> Response:
    """GET /j/{id}: where a join_url leads; checks the pwd token like Zoom's web client."""
    page = Page(sb, req, current_user(sb, req))
    with sb.lock:
        try:
            meeting = actions.find_meeting(sb, req.params["meetingId"])
        except ApiError:
            meeting = None
        if meeting is None:
            return page.render(
                "Invalid meeting ID",
                "<div class='card narrow'><h1>This meeting ID is not valid.</h1></div>",
                status=404,
            )
        ok = not meeting.password or req.query.get("pwd") == meeting.encrypted_password
    text = (
        f"You would now join “{esc(meeting.topic)}” in the Zoom client. This is the sandbox: "
        "there is no real meeting."
        if ok
        else "This link has no valid passcode token; Zoom would ask for the meeting passcode."
    )
    body = f'<div class="card narrow"><h1>Join meeting {meeting.id}</h1><p>{text}</p></div>'
    return page.render("Join meeting", body)


EXPIRED_START = (
    "<div class='card narrow'><h1>This start link has expired.</h1>"
    "<p>Ask the app for a fresh one (Get a meeting).</p></div>"
)


def start_page(sb: Sandbox, req: Request) -> Response:
    """GET/POST /s/{id}?zak=...: where a start_url leads; the ZAK lives two hours."""
    page = Page(sb, req, current_user(sb, req))
    zak = req.query.get("zak", "")
    with sb.lock:
        issued = sb.zaks.get(zak)
        if (
            issued is None
            or str(issued[1]) != req.params["meetingId"]
            or issued[2] <= sb.clock.now()
        ):
            return page.render("Start link expired", EXPIRED_START, status=403)
        try:
            meeting = actions.find_meeting(sb, req.params["meetingId"])
        except ApiError:
            return page.render("Not found", "<p>That meeting does not exist.</p>", status=404)
        if req.method == "POST" and csrf_ok(req, req.form()) and meeting.status != "started":
            actions.set_status(sb, meeting, "started")
        started = meeting.status == "started"
    button = "" if started else page.form(f"/s/{meeting.id}?zak={zak}", "", button="Start meeting")
    state = "The meeting is in progress." if started else "Start it as the host:"
    body = f'<div class="card narrow"><h1>{esc(meeting.topic)}</h1><p>{state}</p>{button}</div>'
    return page.render("Start meeting", body)


def register(router: Router) -> None:
    router.add("GET", "/", home)
    router.add("GET", "/apps/installed", installed_apps)
    router.add("POST", "/apps/installed/{clientId}/remove", remove_app)
    router.add("GET", "/meetings/{meetingId}/edit", edit_meeting)
    router.add("POST", "/meetings/{meetingId}/edit", edit_meeting)
    router.add("POST", "/meetings/{meetingId}/delete", meeting_action)
    router.add("POST", "/meetings/{meetingId}/start", meeting_action)
    router.add("POST", "/meetings/{meetingId}/end", meeting_action)
    router.add("GET", "/j/{meetingId}", join_page)
    router.add("GET", "/s/{meetingId}", start_page)
    router.add("POST", "/s/{meetingId}", start_page)
