"""The embedded database's settings reach SQLite (bot/db.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from bot.db import build_engine
from bot.settings import ConfigError, DatabaseSettings, load_settings


@pytest.mark.parametrize(("setting", "pragma"), [("normal", 1), ("full", 2)])
def test_sqlite_syncs_commits_as_configured(tmp_path: Path, setting: str, pragma: int) -> None:
    engine = build_engine(
        DatabaseSettings(url=f"sqlite:///{tmp_path / 'bot.sqlite3'}", sqlite_synchronous=setting)
    )
    try:
        with engine.connect() as connection:
            assert connection.execute(text("PRAGMA synchronous")).scalar() == pragma
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    finally:
        engine.dispose()


def test_the_embedded_default_syncs_at_checkpoints_and_a_wrong_value_is_one_line() -> None:
    assert load_settings(env={}).database.sqlite_synchronous == "normal"
    with pytest.raises(ConfigError) as raised:
        load_settings(env={"DATABASE_SQLITE_SYNCHRONOUS": "sometimes"})
    assert "database.sqlite_synchronous" in str(raised.value) and "\n" not in str(raised.value)
