"""Alembic environment: runs migrations on the engine handed over by `bot.migrate`."""

from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy import Engine

from bot.models import Base, UTCDateTime

config = context.config
engine = config.attributes.get("engine")
if not isinstance(engine, Engine):
    raise SystemExit("run migrations through `flask --app wsgi db ...`, which knows the database")


def render_item(type_: str, obj: Any, _context: AutogenContext) -> str | Literal[False]:
    """Write our UTCDateTime as the plain column type it stores, so scripts don't import the app."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
        compare_type=True,
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
