"""The database: one engine and session factory per app, explicit transaction scopes.

Code that runs outside a request (the scheduler, CLI commands) uses the same `Database` object, so
nothing here needs a Flask app or request context.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry

from bot.settings import DatabaseSettings

SQLITE_BUSY_TIMEOUT_MS = 5000


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


def build_engine(settings: DatabaseSettings) -> Engine:
    if settings.is_sqlite:
        engine = create_engine(
            settings.url,
            echo=settings.echo,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(
        settings.url,
        echo=settings.echo,
        pool_size=settings.pool_size,
        pool_pre_ping=True,  # a restarted PostgreSQL costs one failed ping, not one failed request
        # Fail fast while the server is down: LINE redelivers, an admin retries.
        connect_args={"connect_timeout": 3},
    )


def _sqlite_pragmas(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")  # readers don't block the one writer
    cursor.close()
