"""Logging in and out, who may do what, and the protections every console page gets.

- Sessions are Flask-Login's, in Flask's signed cookie. The id kept in the session includes the
  account's session version, which logging out and changing the password increment: a copy of the
  cookie stops working then, as does every session of a deactivated account.
- `require_role(role)`: anonymous → the login page; signed in without the role → 403. A provincial
  office's account (role "province") has none of the department's roles: it passes only
  `require_scoped(role)`, on views that show and change nothing outside `current_admin().provinces`
  (they answer 404 for another province's records). Every view says which it is (`ACCESS`), and a
  test walks the app's url_map to check it.
- Failed logins back off, per client address and per username, counted with `limits` (Redis when
  configured, else in-process): each tier of `ADDRESS_BACKOFF` refuses that address for longer, so
  guessing from one address soon slows to a trickle; the username's one short tier slows guessing
  spread over many addresses without letting anyone lock the account's owner out (`LoginLimiter`).
  An unknown username costs the same argon2 work as a known one (`accounts.authenticated`).
- Redirect targets taken from the request (`?next=`, a form's `back`) go through `local_target`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Final, ParamSpec, TypeVar
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    Request,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from flask.typing import ResponseReturnValue
from flask_login import LoginManager, current_user, login_user, logout_user
from flask_wtf.csrf import CSRFError
from itsdangerous import URLSafeTimedSerializer
from limits import RateLimitItem, RateLimitItemPerDay, RateLimitItemPerHour, RateLimitItemPerMinute
from werkzeug.exceptions import Forbidden
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from admin.console import accounts, texts
from admin.console.forms import ConsoleForm
from bot import audit
from bot.current import current_services, services_of
from bot.limiter import Limiter
from bot.models import AdminRole, AdminUser, utcnow

log = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")

RANK: Final = {AdminRole.VIEWER: 0, AdminRole.EDITOR: 1, AdminRole.ADMIN: 2}
# The attribute on a view function that declares who may reach it: "department" (the department's
# accounts, or the API's token) or "scoped" (provincial offices too, limited to their provinces).
ACCESS: Final = "access"
DEPARTMENT: Final = "department"
SCOPED: Final = "scoped"
# Failed logins allowed from one address: 10 a minute, then 20 in 10 minutes, 40 an hour, 100 a day;
# past a tier's count the address waits for its oldest failure to leave that window.
ADDRESS_BACKOFF: Final[tuple[RateLimitItem, ...]] = (
    RateLimitItemPerMinute(10),
    RateLimitItemPerMinute(20, 10),
    RateLimitItemPerHour(40),
    RateLimitItemPerDay(100),
)
# Failed logins for one username from all addresses: more than one address can send in a minute,
# and a minute is the longest anyone else's failures keep the account's owner waiting.
USERNAME_BACKOFF: Final[tuple[RateLimitItem, ...]] = (RateLimitItemPerMinute(20),)

blueprint = Blueprint("auth", __name__, url_prefix="/admin", template_folder="templates")


@dataclass(frozen=True)
class Admin:
    """The signed-in account, as Flask-Login sees it (detached from any database session)."""

    id: int
    username: str
    role: AdminRole
    session_id: str
    provinces: frozenset[int] = frozenset()  # a provincial office's provinces (ids)
    is_active: bool = True
    is_authenticated: bool = True
    is_anonymous: bool = False

    def get_id(self) -> str:
        return self.session_id

    @property
    def provincial(self) -> bool:
        return self.role is AdminRole.PROVINCE

    def can(self, role: AdminRole | str) -> bool:
        """Holds the department's `role` (or a higher one); a provincial office holds none of them."""
        return not self.provincial and RANK[self.role] >= RANK[AdminRole(role)]

    def sees_province(self, province_id: int | None) -> bool:
        """May work on what belongs to this province (a department account: on every province)."""
        return not self.provincial or (province_id is not None and province_id in self.provinces)

    @classmethod
    def of(cls, user: AdminUser) -> Admin:
        return cls(
            user.id,
            user.username,
            user.role,
            f"{user.id}:{user.session_version}",
            frozenset(p.id for p in user.provinces),
        )


def current_admin() -> Admin:
    admin: Admin = current_user._get_current_object()
    return admin


def _load_admin(session_id: str) -> Admin | None:
    user_id, _, version = session_id.partition(":")
    if not user_id.isdigit() or not version:
        return None
    with current_services().db.session() as db_session:
        user = db_session.get(AdminUser, int(user_id))
        if user is None or not user.active or str(user.session_version) != version:
            return None
        return Admin.of(user)


def _guard(
    role: AdminRole, *, scoped: bool
) -> Callable[[Callable[P, R]], Callable[P, R | ResponseReturnValue]]:
    def decorate(view: Callable[P, R]) -> Callable[P, R | ResponseReturnValue]:
        @wraps(view)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R | ResponseReturnValue:
            if not current_user.is_authenticated:
                manager: LoginManager = current_app.login_manager  # type: ignore[attr-defined]
                response: ResponseReturnValue = manager.unauthorized()
                return response
            admin = current_admin()
            if not (admin.can(role) or (scoped and admin.provincial)):
                raise Forbidden()
            return view(*args, **kwargs)

        setattr(wrapper, ACCESS, SCOPED if scoped else DEPARTMENT)
        return wrapper

    return decorate


def require_role(role: AdminRole) -> Callable[[Callable[P, R]], Callable[P, R | ResponseReturnValue]]:
    """The department's accounts with `role` or more; never a provincial office."""
    return _guard(role, scoped=False)


def require_scoped(role: AdminRole) -> Callable[[Callable[P, R]], Callable[P, R | ResponseReturnValue]]:
    """The department's accounts with `role` or more, and provincial offices: the view limits what it
    shows and changes to `current_admin().provinces` (404 for another province's records)."""
    return _guard(role, scoped=True)


# --- protections shared by every console blueprint ----------------------------------------------

SECURITY_HEADERS: Final = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data: https:; style-src 'self' 'unsafe-inline'; "
        "script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def _security_headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def _check_csrf() -> None:
    if current_app.config.get("WTF_CSRF_ENABLED", True):
        current_app.extensions["csrf"].protect()  # a no-op for GET/HEAD/OPTIONS


def protect_forms(console_blueprint: Blueprint) -> None:
    """CSRF on every unsafe request and security headers on every response of this blueprint."""
    console_blueprint.before_request(_check_csrf)
    console_blueprint.after_request(_security_headers)


protect_forms(blueprint)


# --- login ---------------------------------------------------------------------------------------


class LoginForm(ConsoleForm):
    username = StringField("ชื่อผู้ใช้", validators=[DataRequired(), Length(max=64)])
    password = PasswordField("รหัสผ่าน", validators=[DataRequired(), Length(max=1024)])


class LoginLimiter:
    """Back-off of failed logins: an attempt is refused (and not counted) while the address or the
    username is past the count of any of its tiers; a failure counts in every tier of both."""

    def __init__(
        self,
        limiter: Limiter,
        address_tiers: tuple[RateLimitItem, ...] = ADDRESS_BACKOFF,
        username_tiers: tuple[RateLimitItem, ...] = USERNAME_BACKOFF,
    ) -> None:
        self.limiter = limiter
        self.address_tiers = address_tiers
        self.username_tiers = username_tiers

    def _keys(self, username: str, address: str) -> list[tuple[RateLimitItem, str, str]]:
        return [(tier, "login-addr", address) for tier in self.address_tiers] + [
            (tier, "login-user", username.lower()) for tier in self.username_tiers
        ]

    def allowed(self, username: str, address: str) -> bool:
        return all(self.limiter.test(*key) for key in self._keys(username, address))

    def failed(self, username: str, address: str) -> None:
        for key in self._keys(username, address):
            self.limiter.hit(*key)

    def succeeded(self, username: str) -> None:
        """The owner got in: their username starts afresh (the address keeps its count, or one good
        account would let its holder wipe the failures of their guesses at others)."""
        for tier in self.username_tiers:
            self.limiter.clear(tier, "login-user", username.lower())


# Browsers read a backslash as a slash and drop tabs and line breaks: `/\evil.example` is `//evil.example`.
_UNSAFE_IN_TARGET: Final = frozenset("\\\x7f" + "".join(map(chr, range(0x21))))


def local_target(target: str | None, fallback: str) -> str:
    """`target` when it is a path on this site, else `fallback`: never `//evil.example`,
    `/\\evil.example`, `https://...` or `javascript:...`, wherever the target comes from."""
    if target and target.startswith("/") and not _UNSAFE_IN_TARGET.intersection(target):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and not target.startswith("//"):
            return target
    return fallback


def _next_page() -> str:
    return local_target(request.args.get("next"), url_for("console.dashboard"))


@blueprint.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(_next_page())
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        username = (form.username.data or "").strip()
        password = form.password.data or ""
        address = request.remote_addr or "-"
        limiter: LoginLimiter = current_app.extensions["login_limiter"]
        if not limiter.allowed(username, address):
            flash(texts.LOGIN_TOO_MANY, "error")
            status = 429
        else:
            admin = _authenticate(username, password)
            if admin is None:
                limiter.failed(username, address)
                flash(texts.LOGIN_FAILED, "error")
                status = 401
            else:
                limiter.succeeded(username)
                session.clear()  # a fresh session: nothing chosen before login carries over
                login_user(admin)
                session.permanent = True
                return redirect(_next_page())
    elif request.method == "POST":
        status = 400
    return render_template("console/login.html", form=form), status


def _authenticate(username: str, password: str) -> Admin | None:
    with current_services().db.session() as db_session:
        found = accounts.find(db_session, username)
        user = accounts.authenticated(found, password)
        if user is None:
            # Audit the attempt under the name typed (cut to the column), never the password.
            audit.record(
                db_session, username[:64] or "-", "login.failed", "admin_user", found.id if found else None
            )
            return None
        if accounts.needs_rehash(user.password_hash):
            user.password_hash = accounts.hash_password(password)
        user.last_login_at = utcnow()
        audit.record(db_session, user.username, "login", "admin_user", user.id)
        db_session.flush()
        return Admin.of(user)


@blueprint.post("/logout")
def logout() -> ResponseReturnValue:
    if current_user.is_authenticated:
        with current_services().db.session() as db_session:
            admin = current_admin()
            user = db_session.get(AdminUser, admin.id)
            if user is not None:
                accounts.end_sessions(user)  # a copy of the cookie stops working too
            audit.record(db_session, admin.username, "logout", "admin_user", admin.id)
    logout_user()
    session.clear()
    flash(texts.LOGGED_OUT, "info")
    return redirect(url_for("auth.login"))


def _csrf_error(error: CSRFError) -> tuple[str, int]:
    return render_template("error.html", status=400, title=texts.CSRF_TITLE, hint=texts.CSRF_HINT), 400


class CookieSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, without their cost on requests that carry no session.

    Flask builds a new signing serializer on every request, cookie or not. LINE's webhook and the
    API never carry one, so that work is wasted on the bot's busiest requests (docs/performance.md):
    here a request without the cookie gets an empty session at once, and the serializer is built once
    per set of keys. Signing, expiry and key rotation are Flask's, unchanged.
    """

    def __init__(self) -> None:
        self._serializers: dict[tuple[object, ...], URLSafeTimedSerializer | None] = {}

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        keys = (app.secret_key, *(app.config["SECRET_KEY_FALLBACKS"] or ()))
        if keys not in self._serializers:
            self._serializers = {keys: super().get_signing_serializer(app)}
        return self._serializers[keys]

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if app.secret_key and not request.cookies.get(self.get_cookie_name(app)):
            return self.session_class()
        return super().open_session(app, request)


def init_app(app: Flask) -> None:
    app.session_interface = CookieSessions()
    manager = LoginManager(app)
    manager.login_view = "auth.login"
    manager.login_message = texts.LOGIN_REQUIRED
    manager.login_message_category = "info"
    manager.session_protection = "basic"
    manager.user_loader(_load_admin)
    app.extensions["login_limiter"] = LoginLimiter(Limiter(services_of(app).settings.redis))
    app.register_error_handler(CSRFError, _csrf_error)
