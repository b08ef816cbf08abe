"""Console accounts: argon2 password hashes, creating accounts, and `flask --app wsgi admin ...`.

An account's `session_version` is part of every session cookie of that account (auth.py): logging
out and changing the password increment it, which ends every session opened before.
"""

from __future__ import annotations

import functools
import os
import re
import secrets
from collections.abc import Sequence
from typing import Final

import click
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from admin.console import texts
from bot import audit
from bot.current import current_services
from bot.models import AdminRole, AdminUser, Province
from bot.provinces import ProvinceFinder
from bot.services import Services

USERNAME: Final = re.compile(r"[A-Za-z0-9._@-]{3,64}")
MIN_PASSWORD: Final = 10
PASSWORD_ENV: Final = "ADMIN_PASSWORD"  # noqa: S105 (the name of an environment variable)

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters


class AccountError(ValueError):
    """A refused account change; the message is one Thai line."""


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@functools.cache
def _decoy_hash() -> str:
    """The hash of a random password, made once per process with the same parameters as real ones."""
    return _hasher.hash(secrets.token_urlsafe(32))


def authenticated(user: AdminUser | None, password: str) -> AdminUser | None:
    """`user` when `password` opens their account; None for no such username, an inactive account
    or a wrong password.

    Always one argon2 verification, against a decoy hash when there is no account: otherwise an
    unknown username answers at once and a known one after the hash's work, and the time taken tells
    which usernames exist.
    """
    matches = verify_password(user.password_hash if user is not None else _decoy_hash(), password)
    return user if matches and user is not None and user.active else None


def needs_rehash(stored_hash: str) -> bool:
    return _hasher.check_needs_rehash(stored_hash)


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(texts.PASSWORD_TOO_SHORT.format(n=MIN_PASSWORD))


def find(session: Session, username: str) -> AdminUser | None:
    return session.scalars(
        select(AdminUser).where(func.lower(AdminUser.username) == username.lower())
    ).first()


def find_provinces(session: Session, names: Sequence[str]) -> list[Province]:
    """The provinces named as people write them (Thai or English names, abbreviations, everyday names
    such as โคราช: bot/provinces.py, as in the conversation); an unknown one is a Thai line."""
    finder = ProvinceFinder.load(session)
    found: dict[int, Province] = {}
    for name in names:
        entry = finder.find(name)
        if entry is None:
            close = "/".join(p.name_th for p in finder.suggestions(name))
            hint = texts.PROVINCE_HINT.format(names=close) if close else ""
            raise AccountError(texts.PROVINCE_UNKNOWN.format(name=name.strip()[:60], hint=hint))
        found[entry.id] = session.get_one(Province, entry.id)
    return list(found.values())


def create(
    session: Session,
    username: str,
    password: str,
    role: AdminRole,
    actor: str,
    provinces: Sequence[str] = (),
) -> AdminUser:
    """A new account; a provincial office's (role "province") needs its provinces, and only it has any."""
    if not USERNAME.fullmatch(username):
        raise AccountError(texts.USERNAME_INVALID)
    check_password(password)
    if find(session, username) is not None:
        raise AccountError(texts.USERNAME_TAKEN.format(username=username))
    names = [name for name in provinces if name.strip()]
    if role is AdminRole.PROVINCE and not names:
        raise AccountError(texts.PROVINCE_REQUIRED)
    if role is not AdminRole.PROVINCE and names:
        raise AccountError(texts.PROVINCE_ONLY_FOR_OFFICES)
    chosen = find_provinces(session, names)
    user = AdminUser(username=username, password_hash=hash_password(password), role=role, provinces=chosen)
    session.add(user)
    session.flush()
    extra = {"provinces": [p.name_th for p in chosen]} if chosen else {}
    audit.record(
        session, actor, "admin.create", "admin_user", user.id, username=username, role=role.value, **extra
    )
    return user


def set_password(session: Session, user: AdminUser, password: str, actor: str) -> None:
    check_password(password)
    user.password_hash = hash_password(password)
    end_sessions(user)
    audit.record(session, actor, "admin.password", "admin_user", user.id)


def end_sessions(user: AdminUser) -> None:
    """Every session of the account opened so far stops working (at the next flush)."""
    # Incremented in SQL: two logouts at once both count.
    user.session_version = AdminUser.session_version + 1


def ensure_first_admin(services: Services) -> str | None:
    """Development only: with no account at all, create `admin` with a random password and return
    the password (printed once by `serve`), so that `make run` opens the console without set-up."""
    with services.db.session() as session:
        if session.scalar(select(func.count()).select_from(AdminUser)):
            return None
        password = secrets.token_urlsafe(12)
        create(session, "admin", password, AdminRole.ADMIN, actor="setup")
        return password


# --- command line ------------------------------------------------------------------------------

admin_cli = AppGroup("admin", help="Console accounts (admin, editor, viewer, province).")


def _password(confirm: bool = True) -> str:
    from_env = os.environ.get(PASSWORD_ENV)
    if from_env:
        return from_env
    value: str = click.prompt(texts.CLI_PASSWORD_PROMPT, hide_input=True, confirmation_prompt=confirm)
    return value


def _fail(message: str) -> None:
    click.echo(message, err=True)
    raise SystemExit(2)


@admin_cli.command("create")
@click.argument("username")
@click.option(
    "--role",
    type=click.Choice([r.value for r in AdminRole]),
    default=AdminRole.VIEWER.value,
    show_default=True,
    help="admin: everything; editor: import, edit, schedule; viewer: read; "
    "province: a provincial office, its provinces only.",
)
@click.option(
    "--province",
    "provinces",
    multiple=True,
    help="A province of a provincial office's account (repeat for several), e.g. เชียงใหม่.",
)
@with_appcontext
def create_command(username: str, role: str, provinces: tuple[str, ...]) -> None:
    """Create a console account. The password is prompted, or read from ADMIN_PASSWORD."""
    try:
        with current_services().db.session() as session:  # names checked before the password is asked
            if AdminRole(role) is AdminRole.PROVINCE or provinces:
                find_provinces(session, provinces)
        password = _password()
        with current_services().db.session() as session:
            create(session, username, password, AdminRole(role), actor="cli", provinces=provinces)
    except AccountError as error:
        _fail(str(error))
    click.echo(texts.CLI_CREATED.format(username=username, role=role))


@admin_cli.command("password")
@click.argument("username")
@with_appcontext
def password_command(username: str) -> None:
    """Set a console account's password (prompted, or read from ADMIN_PASSWORD)."""
    password = _password()
    try:
        with current_services().db.session() as session:
            user = find(session, username)
            if user is None:
                raise AccountError(texts.USERNAME_UNKNOWN.format(username=username))
            set_password(session, user, password, actor="cli")
    except AccountError as error:
        _fail(str(error))
    click.echo(texts.CLI_PASSWORD_SET.format(username=username))
