"""Logging in and out, who may do what, and the protections every console page gets.

- Sessions are Flask-Login's, in Flask's signed cookie. The id kept in the session includes a
  fragment of the password hash, so changing a password (or deactivating an account) ends every
  session of that account.
- `require_role(role)`: anonymous → the login page; signed in without the role → 403.
- Login attempts are rate-limited with `limits` (Redis when configured, else in-process), per
  username and per client address, counting failures only.
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
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFError
from itsdangerous import URLSafeTimedSerializer
from limits import RateLimitItemPerMinute
from werkzeug.exceptions import Forbidden
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from bot import audit
from bot.console import accounts, texts
from bot.models import AdminRole, AdminUser, utcnow
from bot.ratelimit import Limiter
from bot.services import Services

log = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")

RANK: Final = {AdminRole.VIEWER: 0, AdminRole.EDITOR: 1, AdminRole.ADMIN: 2}
FAILURES_PER_USERNAME: Final = RateLimitItemPerMinute(5, 5)  # 5 failed attempts per 5 minutes
FAILURES_PER_ADDRESS: Final = RateLimitItemPerMinute(20, 5)

blueprint = Blueprint("auth", __name__, url_prefix="/admin", template_folder="templates")


@dataclass(frozen=True)
class Admin:
    """The signed-in account, as Flask-Login sees it (detached from any database session)."""

    id: int
    username: str
    role: AdminRole
    session_id: str
    is_active: bool = True
    is_authenticated: bool = True
    is_anonymous: bool = False

    def get_id(self) -> str:
        return self.session_id

    def can(self, role: AdminRole | str) -> bool:
        return RANK[self.role] >= RANK[AdminRole(role)]

    @classmethod
    def of(cls, user: AdminUser) -> Admin:
        return cls(user.id, user.username, user.role, f"{user.id}:{user.password_hash[-16:]}")


def current_admin() -> Admin:
    admin: Admin = current_user._get_current_object()
    return admin


def _services() -> Services:
    services: Services = current_app.extensions["bot"]
    return services


def _load_admin(session_id: str) -> Admin | None:
    user_id, _, fragment = session_id.partition(":")
    if not user_id.isdigit():
        return None
    with _services().db.session() as db_session:
        user = db_session.get(AdminUser, int(user_id))
        if user is None or not user.active or not user.password_hash.endswith(fragment) or not fragment:
            return None
        return Admin.of(user)


def require_role(role: AdminRole) -> Callable[[Callable[P, R]], Callable[P, R | ResponseReturnValue]]:
    def decorate(view: Callable[P, R]) -> Callable[P, R | ResponseReturnValue]:
        @wraps(view)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R | ResponseReturnValue:
            if not current_user.is_authenticated:
                manager: LoginManager = current_app.login_manager  # type: ignore[attr-defined]
                response: ResponseReturnValue = manager.unauthorized()
                return response
            if not current_admin().can(role):
                raise Forbidden()
            return view(*args, **kwargs)

        return wrapper

    return decorate


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


class LoginForm(FlaskForm):
    username = StringField("ชื่อผู้ใช้", validators=[DataRequired(), Length(max=64)])
    password = PasswordField("รหัสผ่าน", validators=[DataRequired(), Length(max=1024)])


class LoginLimiter:
    def __init__(self, limiter: Limiter) -> None:
        self.limiter = limiter

    def allowed(self, username: str, address: str) -> bool:
        return self.limiter.test(FAILURES_PER_USERNAME, "login-user", username.lower()) and self.limiter.test(
            FAILURES_PER_ADDRESS, "login-addr", address
        )

    def failed(self, username: str, address: str) -> None:
        self.limiter.hit(FAILURES_PER_USERNAME, "login-user", username.lower())
        self.limiter.hit(FAILURES_PER_ADDRESS, "login-addr", address)

    def reset(self, username: str) -> None:
        self.limiter.clear(FAILURES_PER_USERNAME, "login-user", username.lower())


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never `//evil.example` or `https://...`."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//"):
            return target
    return url_for("console.dashboard")


@blueprint.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
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
                limiter.reset(username)
                session.clear()  # a fresh session: nothing chosen before login carries over
                login_user(admin)
                session.permanent = True
                return redirect(_safe_next(request.args.get("next")))
    elif request.method == "POST":
        status = 400
    return render_template("console/login.html", form=form), status


def _authenticate(username: str, password: str) -> Admin | None:
    with _services().db.session() as db_session:
        user = accounts.find(db_session, username)
        if user is None or not user.active or not accounts.verify_password(user.password_hash, password):
            # Audit the attempt under the name typed (cut to the column), never the password.
            audit.record(
                db_session, username[:64] or "-", "login.failed", "admin_user", user.id if user else None
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
        with _services().db.session() as db_session:
            admin = current_admin()
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
    API never carry one, and the serializer was 4% of a web worker's CPU under load (bench/webhook.py):
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
    app.extensions["login_limiter"] = LoginLimiter(Limiter(app.extensions["bot"].settings.redis))
    app.register_error_handler(CSRFError, _csrf_error)
