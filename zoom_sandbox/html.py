"""HTML for the sandbox's pages: one layout, a few helpers, no external assets."""

from html import escape
from typing import TYPE_CHECKING

from zoom_sandbox.sessions import CSRF_FIELD, Csrf
from zoom_sandbox.state import User
from zoom_sandbox.web import Request, Response, html_response

if TYPE_CHECKING:
    from zoom_sandbox.sandbox import Sandbox

STYLE = """
:root { color-scheme: light; --blue: #0b5cff; --ink: #1a1a1a; --muted: #555; --line: #d6d9de; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, sans-serif; color: var(--ink); background: #f5f6f8; }
header { background: #fff; border-bottom: 1px solid var(--line); }
.bar { max-width: 60rem; margin: 0 auto; padding: .75rem 1rem; display: flex; gap: 1rem;
       align-items: center; flex-wrap: wrap; }
.brand { font-weight: 700; color: var(--blue); margin-right: auto; text-decoration: none; }
nav a { color: var(--ink); margin-right: .75rem; }
main { max-width: 60rem; margin: 1.5rem auto; padding: 0 1rem; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 1.25rem;
        margin-bottom: 1.25rem; }
.narrow { max-width: 28rem; margin-left: auto; margin-right: auto; }
h1 { font-size: 1.5rem; margin: 0 0 1rem; } h2 { font-size: 1.2rem; margin: 0 0 .75rem; }
label { display: block; font-weight: 600; margin: .75rem 0 .25rem; }
input[type=email], input[type=password], input[type=text], input[type=number],
input[type=datetime-local] { width: 100%; padding: .5rem; border: 1px solid #8a8f98;
  border-radius: 6px; font: inherit; }
button { font: inherit; padding: .5rem 1rem; border-radius: 6px; border: 1px solid var(--blue);
         background: var(--blue); color: #fff; cursor: pointer; }
button.secondary { background: #fff; color: var(--blue); }
button.danger { background: #fff; color: #b3261e; border-color: #b3261e; }
button.link { background: none; border: none; color: var(--ink); text-decoration: underline;
              padding: 0; }
:focus-visible { outline: 3px solid #ffbf47; outline-offset: 2px; }
.actions { display: flex; gap: .5rem; flex-wrap: wrap; margin-top: 1rem; }
.inline { display: inline; }
table { width: 100%; border-collapse: collapse; }
th, td { text-align: left; padding: .5rem; border-bottom: 1px solid var(--line);
         vertical-align: top; }
.muted { color: var(--muted); } .small { font-size: .875rem; }
.error { color: #b3261e; font-weight: 600; } .notice { color: #0a6b2d; font-weight: 600; }
code { word-break: break-all; }
"""


def esc(value: object) -> str:
    return escape(str(value), quote=True)


class Page:
    """One page being rendered: knows the signed-in user and the CSRF token."""

    def __init__(self, sb: "Sandbox", req: Request, user: User | None) -> None:
        self.sb = sb
        self.req = req
        self.user = user
        self.csrf = Csrf(req)
        self.cookies: list[str] = []

    def form(
        self,
        action: str,
        inner: str,
        *,
        button: str,
        css: str = "",
        hidden: dict[str, str] | None = None,
        name: str | None = None,
        value: str | None = None,
        inline: bool = False,
    ) -> str:
        fields = f'<input type="hidden" name="{CSRF_FIELD}" value="{esc(self.csrf.token)}">'
        for key, val in (hidden or {}).items():
            fields += f'<input type="hidden" name="{esc(key)}" value="{esc(val)}">'
        named = f' name="{esc(name)}" value="{esc(value)}"' if name else ""
        classes = f' class="{css}"' if css else ""
        form_class = ' class="inline"' if inline else ""
        return (
            f'<form method="post" action="{esc(action)}"{form_class}>{fields}{inner}'
            f'<button type="submit"{classes}{named}>{esc(button)}</button></form>'
        )

    def sign_in_form(self, *, next_url: str, error: str = "", email: str = "") -> str:
        alert = f'<p class="error" role="alert">{esc(error)}</p>' if error else ""
        inner = (
            f"{alert}"
            '<label for="email">Email</label>'
            f'<input id="email" name="email" type="email" autocomplete="username" required '
            f'value="{esc(email)}">'
            '<label for="password">Password</label>'
            '<input id="password" name="password" type="password" '
            'autocomplete="current-password" required><div class="actions"></div>'
        )
        return self.form("/signin", inner, button="Sign In", hidden={"next": next_url})

    def render(self, title: str, body: str, *, status: int = 200) -> Response:
        nav = ""
        if self.user:
            links = '<a href="/">Meetings</a><a href="/apps/installed">Installed apps</a>'
            if self.user.is_admin:
                links += '<a href="/admin/app-requests">App requests</a>'
            sign_out = self.form(
                "/signout", "", button="Sign out", css="link", hidden={"next": "/"}, inline=True
            )
            nav = (
                f'<nav aria-label="Sandbox">{links}</nav>'
                f'<span class="small muted">{esc(self.user.email)}</span>{sign_out}'
            )
        page = (
            '<!doctype html><html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{esc(title)} · Zoom sandbox</title><style>{STYLE}</style></head><body>"
            f'<header><div class="bar"><a class="brand" href="/">Zoom sandbox</a>{nav}</div>'
            f"</header><main>{body}</main></body></html>"
        )
        response = html_response(status, page)
        if self.csrf.set_cookie:
            response.header("Set-Cookie", self.csrf.set_cookie)
        for cookie in self.cookies:
            response.header("Set-Cookie", cookie)
        return response


def safe_next(value: str | None) -> str:
    """Only same-site paths may follow sign-in/out (no open redirect)."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/"
