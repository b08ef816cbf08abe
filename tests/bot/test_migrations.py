"""Migrations, on SQLite and PostgreSQL: up, down, up again, and the models match the scripts."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from flask import Flask
from sqlalchemy import inspect

from bot import migrate
from bot.models import Base
from tests.conftest import services_of

TABLES = set(Base.metadata.tables)


def _tables(app: Flask) -> set[str]:
    return set(inspect(services_of(app).db.engine).get_table_names()) - {"alembic_version"}


def test_upgrade_creates_every_table_and_downgrade_removes_them(app: Flask) -> None:
    engine = services_of(app).db.engine
    assert _tables(app) == set()
    migrate.upgrade(engine)
    assert _tables(app) == TABLES
    assert migrate.current_revision(engine) == migrate.head_revision(engine)
    migrate.downgrade(engine, "base")
    assert _tables(app) == set()
    assert migrate.current_revision(engine) is None
    migrate.upgrade(engine)  # and up again, from nothing
    assert _tables(app) == TABLES


def test_models_and_migrations_agree(app: Flask) -> None:
    """A model change without its migration fails here, on both databases."""
    engine = services_of(app).db.engine
    migrate.upgrade(engine)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_db_commands(app: Flask) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["db", "current"])
    assert f"รุ่น {migrate.head_revision(services_of(app).db.engine)}" in result.output
    result = runner.invoke(args=["db", "downgrade", "base"])
    assert result.exit_code == 0, result.output
    assert _tables(app) == set()
