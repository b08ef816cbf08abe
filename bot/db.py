"""The database: one engine and session factory per app, explicit transaction scopes.

Code that runs outside a request (the scheduler, CLI commands) uses the same `Database` object, so
nothing here needs a Flask app or request context.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine, event, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry

from bot.settings import DatabaseSettings

SQLITE_BUSY_TIMEOUT_MS = 5000

RowT = TypeVar("RowT", bound=DeclarativeBase)


class Database:
    """Engine plus session factory. `session()` is a unit of work that commits or rolls back."""

    def __init__(self, settings: DatabaseSettings) -> None:
        self.url = settings.url
        self.engine = build_engine(settings)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session in one transaction: committed when the block ends, rolled back on error."""
        with self.sessions() as session, session.begin():
            yield session

    @contextmanager
    def rolled_back(self) -> Iterator[None]:
        """Everything written through `session()` inside the block is undone when it ends (`ask`
        answers from the real database without changing it). One connection holds one transaction
        that the block's sessions join and never commit; it is rolled back at the end."""
        with self.engine.connect() as connection:
            outer = connection.begin()
            previous = self.sessions
            self.sessions = sessionmaker(
                bind=connection, expire_on_commit=False, join_transaction_mode="rollback_only"
            )
            try:
                yield
            finally:
                self.sessions = previous
                if outer.is_active:
                    outer.rollback()

    def ensure_directory(self) -> None:
        """Create the folder of a SQLite file (instance/ on a fresh clone); other databases: nothing."""
        database = self.engine.url.database
        if self.engine.url.get_backend_name() == "sqlite" and database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)

    def ping(self) -> None:
        """Raise if the database cannot answer a trivial query."""
        with self.engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    def dispose(self) -> None:
        self.engine.dispose()


def get_or_insert(session: Session, model: type[RowT], key: str, value: object, **values: Any) -> RowT:
    """The row of `model` whose unique column `key` holds `value`; inserted with `values` if missing.

    A row that exists is read, nothing written. A missing one is inserted with INSERT ... ON CONFLICT
    DO NOTHING, then read, on both databases: two transactions creating the same row at once (a join
    and the group's first registration, handled by two workers) both get it, the second INSERT
    waiting for the first transaction and then doing nothing, where a plain INSERT lost the second
    event to the unique constraint.
    """
    column = model.__table__.c[key]
    found = session.scalars(select(model).where(column == value)).first()
    if found is not None:
        return found
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(
        insert(model).values({key: value, **values}).on_conflict_do_nothing(index_elements=[column])
    )
    return session.scalars(select(model).where(column == value)).one()


def build_engine(settings: DatabaseSettings) -> Engine:
    if settings.is_sqlite:
        engine = create_engine(
            settings.url,
            echo=settings.echo,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    engine = create_engine(
        settings.url,
        echo=settings.echo,
        pool_size=settings.pool_size,
        max_overflow=settings.max_overflow,
        # Fail fast while the server is down: LINE redelivers, an admin retries.
        connect_args={"connect_timeout": 3},
    )
    event.listen(engine, "checkin", _note_checkin)
    event.listen(engine, "checkout", _ping_if_idle)
    return engine


# Pessimistic disconnect handling, only where it pays. SQLAlchemy's `pool_pre_ping` asks the server
# before every checkout: a round trip per transaction, a large share of the webhook's cost under load
# (docs/performance.md). A connection back from use a moment ago is as alive as a ping would say; one
# that sat idle (a quiet console, the night) is pinged, and replaced if the server went away.
# A restart of PostgreSQL under load costs each process one failed transaction (retried: LINE
# redelivers the webhook, the inbox tries again), after which SQLAlchemy replaces the whole pool.
IDLE_PING_SECONDS = 10.0


def _note_checkin(_dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
    record.info["checked_in"] = time.monotonic()


def _ping_if_idle(dbapi_connection: Any, record: ConnectionPoolEntry, _proxy: Any) -> None:
    checked_in = record.info.get("checked_in")
    if checked_in is None or time.monotonic() - checked_in < IDLE_PING_SECONDS:
        return  # new, or in use a moment ago
    try:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("SELECT 1")
        finally:
            cursor.close()
        dbapi_connection.rollback()
    except Exception as error:
        raise DisconnectionError("idle connection is gone") from error  # the pool opens a new one


def _sqlite_pragmas(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")  # readers don't block the one writer
    cursor.close()
