"""What the sandbox remembers: Zoom accounts, users, meetings, grants and tokens.

Plain dataclasses in dicts, guarded by one lock held by the caller (`Sandbox.lock`). Times
are epoch seconds from the sandbox clock. `Store.to_json`/`from_json` give the persisted
form; sessions, the request log, rate-limit counters and webhook deliveries are runtime-only.
"""

from dataclasses import asdict, dataclass, field
from typing import Any

from zoom_sandbox import ids

PLANS = ("Free", "Pro", "Business")
ROLES = ("Owner", "Admin", "Member")
STATE_VERSION = 1


@dataclass
class Account:
    id: str
    name: str
    plan: str
    timezone: str
    account_number: int
    # Admin App Management → "require pre-approval" (REFERENCE 2.2).
    requires_app_approval: bool = False
    approved_client_ids: list[str] = field(default_factory=list)
    # Locked account settings that override what an API call asks for (REFERENCE 4.3).
    require_passcode: bool = False
    require_security_option: bool = True


@dataclass
class User:
    id: str
    account_id: str
    email: str
    password: str
    first_name: str
    last_name: str
    type: int
    timezone: str
    pmi: int
    role: str = "Member"
    created_at: float = 0.0
    language: str = "en-US"
    status: str = "active"

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_admin(self) -> bool:
        return self.role in ("Owner", "Admin")


@dataclass
class Meeting:
    id: int
    uuid: str
    host_id: str
    topic: str
    type: int
    start_time: float | None
    duration: int
    timezone: str
    agenda: str
    password: str
    h323_password: str
    pstn_password: str
    encrypted_password: str
    settings: dict[str, Any]
    created_at: float
    pre_schedule: bool = False
    recurrence: dict[str, Any] | None = None
    tracking_fields: list[dict[str, Any]] = field(default_factory=list)
    # "waiting" | "started" | "ended"; the REST API shows "ended" as "waiting" (spec enum).
    status: str = "waiting"
    started_at: float | None = None
    ended_at: float | None = None
    deleted: bool = False
    deleted_at: float | None = None


@dataclass
class Installation:
    user_id: str
    client_id: str
    scopes: list[str]
    installed_at: float


@dataclass
class Grant:
    """One authorization of the app by one user; a newer grant kills the older ones."""

    id: str
    user_id: str
    client_id: str
    scopes: list[str]
    created_at: float
    refresh_token: str
    refresh_expires_at: float
    revoked: bool = False


@dataclass
class AccessToken:
    token: str
    grant_id: str
    user_id: str
    client_id: str
    scopes: list[str]
    expires_at: float
    revoked: bool = False


@dataclass
class AuthCode:
    code: str
    user_id: str
    client_id: str
    redirect_uri: str
    scopes: list[str]
    expires_at: float
    code_challenge: str | None = None
    code_challenge_method: str | None = None
    used: bool = False


@dataclass
class AppRequest:
    """A member's "Request Access" for an app their admin must pre-approve."""

    id: str
    account_id: str
    user_id: str
    client_id: str
    app_name: str
    created_at: float
    status: str = "pending"  # pending | approved | rejected
    decided_at: float | None = None
    decided_by: str | None = None


@dataclass
class Store:
    accounts: dict[str, Account] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    meetings: dict[int, Meeting] = field(default_factory=dict)
    installations: dict[str, Installation] = field(default_factory=dict)
    grants: dict[str, Grant] = field(default_factory=dict)
    access_tokens: dict[str, AccessToken] = field(default_factory=dict)
    codes: dict[str, AuthCode] = field(default_factory=dict)
    app_requests: dict[str, AppRequest] = field(default_factory=dict)

    def user_by_email(self, email: str) -> User | None:
        wanted = email.strip().lower()
        return next((u for u in self.users.values() if u.email.lower() == wanted), None)

    def installation(self, user_id: str, client_id: str) -> Installation | None:
        return self.installations.get(install_key(user_id, client_id))

    def to_json(self) -> dict[str, Any]:
        return {
            "version": STATE_VERSION,
            "accounts": [asdict(a) for a in self.accounts.values()],
            "users": [asdict(u) for u in self.users.values()],
            "meetings": [asdict(m) for m in self.meetings.values()],
            "installations": [asdict(i) for i in self.installations.values()],
            "grants": [asdict(g) for g in self.grants.values()],
            "access_tokens": [asdict(t) for t in self.access_tokens.values()],
            "codes": [asdict(c) for c in self.codes.values()],
            "app_requests": [asdict(r) for r in self.app_requests.values()],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Store":
        if data.get("version") != STATE_VERSION:
            raise ValueError(f"unsupported state version {data.get('version')!r}")
        store = cls()
        for a in data["accounts"]:
            store.accounts[a["id"]] = Account(**a)
        for u in data["users"]:
            store.users[u["id"]] = User(**u)
        for m in data["meetings"]:
            store.meetings[m["id"]] = Meeting(**m)
        for i in data["installations"]:
            store.installations[install_key(i["user_id"], i["client_id"])] = Installation(**i)
        for g in data["grants"]:
            store.grants[g["id"]] = Grant(**g)
        for t in data["access_tokens"]:
            store.access_tokens[t["token"]] = AccessToken(**t)
        for c in data["codes"]:
            store.codes[c["code"]] = AuthCode(**c)
        for r in data["app_requests"]:
            store.app_requests[r["id"]] = AppRequest(**r)
        return store


def install_key(user_id: str, client_id: str) -> str:
    return f"{user_id}:{client_id}"


def new_account(
    *,
    name: str,
    plan: str,
    timezone: str,
    requires_app_approval: bool = False,
    seed: str | None = None,
) -> Account:
    if plan not in PLANS:
        raise ValueError(f"plan must be one of {', '.join(PLANS)}")
    return Account(
        id=ids.zoom_id(f"account:{seed}" if seed else None),
        name=name,
        plan=plan,
        timezone=timezone,
        account_number=ids.account_number(seed),
        requires_app_approval=requires_app_approval,
        require_passcode=plan == "Business",
    )


def new_user(
    *,
    account: Account,
    email: str,
    password: str,
    first_name: str,
    last_name: str,
    type: int = 2,
    timezone: str | None = None,
    role: str = "Owner",
    created_at: float,
    seeded: bool = False,
) -> User:
    if type not in (1, 2):
        raise ValueError("type must be 1 (Basic) or 2 (Licensed)")
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    key = email.lower()
    return User(
        id=ids.zoom_id(f"user:{key}" if seeded else None),
        account_id=account.id,
        email=email,
        password=password,
        first_name=first_name,
        last_name=last_name,
        type=type,
        timezone=timezone or account.timezone,
        pmi=ids.personal_meeting_id(key),
        role=role,
        created_at=created_at,
    )


SEED_PASSWORD = "sandbox"


def seed_store(now: float) -> Store:
    """The users README lists; ids are stable across resets and restarts."""
    store = Store()
    sandbox = new_account(
        name="Sandbox Studio", plan="Pro", timezone="America/New_York", seed="sandbox"
    )
    sandbox2 = new_account(
        name="Second Sandbox", plan="Pro", timezone="Europe/London", seed="sandbox2"
    )
    restricted = new_account(
        name="Restricted Org",
        plan="Business",
        timezone="America/Chicago",
        requires_app_approval=True,
        seed="restricted",
    )
    for account in (sandbox, sandbox2, restricted):
        store.accounts[account.id] = account
    people = [
        (sandbox, "host@sandbox.zoom.test", "Hana", "Host", 2, "Owner"),
        (sandbox2, "host2@sandbox.zoom.test", "Hugo", "Second", 2, "Owner"),
        (restricted, "admin@restricted.zoom.test", "Ada", "Admin", 2, "Admin"),
        (restricted, "member@restricted.zoom.test", "Max", "Member", 1, "Member"),
    ]
    for account, email, first, last, kind, role in people:
        user = new_user(
            account=account,
            email=email,
            password=SEED_PASSWORD,
            first_name=first,
            last_name=last,
            type=kind,
            role=role,
            created_at=now,
            seeded=True,
        )
        store.users[user.id] = user
    return store
