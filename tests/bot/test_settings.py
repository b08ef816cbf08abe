"""Settings: defaults, layering (config.yaml → BOT_CONFIG → environment → overrides), and one-line errors."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from bot.app import create_app
from bot.settings import DEFAULT_DATABASE_URL, SECRET_PATHS, ConfigError, Settings, load_settings

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def test_defaults_from_config_yaml() -> None:
    settings = load_settings(env={})
    assert settings.database.url == DEFAULT_DATABASE_URL
    assert settings.database.url.startswith("sqlite:///") and "/instance/" in settings.database.url
    assert settings.redis.url is None
    assert settings.line.api_base_url == "https://api.line.me"
    assert settings.timezone == "Asia/Bangkok"
    assert settings.server.port == 8000
    assert settings.reports.note_window_seconds == 300
    assert not settings.line.configured


def test_environment_overrides_every_level() -> None:
    env = {
        "DATABASE_URL": "postgresql://db.internal/bot",
        "REDIS_URL": "redis://127.0.0.1:6379/2",
        "LINE_API_BASE_URL": "http://127.0.0.1:9000/",
        "SERVER_PORT": "9001",
        "SCHEDULER_EMBEDDED": "false",
        "LINE_CHANNEL_SECRET": "s3cret",
        "LINE_CHANNEL_ACCESS_TOKEN": "token",
        "ADMIN_TOKEN": "admin-token",
        "SECRET_KEY": "key",
    }
    settings = load_settings(env=env)
    assert settings.database.url == "postgresql+psycopg://db.internal/bot"
    assert settings.redis.url == "redis://127.0.0.1:6379/2"
    assert settings.line.api_base_url == "http://127.0.0.1:9000"
    assert settings.server.port == 9001
    assert settings.scheduler.embedded is False
    assert settings.line.configured
    assert settings.admin.token is not None and settings.admin.token.get_secret_value() == "admin-token"
    assert settings.secret_key is not None and settings.secret_key.get_secret_value() == "key"


def test_empty_environment_variable_counts_as_unset() -> None:
    assert load_settings(env={"DATABASE_URL": ""}).database.url == DEFAULT_DATABASE_URL


def test_bot_config_file_is_read_after_config_yaml(tmp_path: Path) -> None:
    extra = tmp_path / "local.yaml"
    extra.write_text("server:\n  port: 8123\nlog_level: DEBUG\n", encoding="utf-8")
    settings = load_settings(env={"BOT_CONFIG": str(extra)})
    assert settings.server.port == 8123
    assert settings.log_level == "DEBUG"
    assert settings.server.host == "127.0.0.1"  # untouched keys keep config.yaml's value
    # ...and the environment still wins over the file
    assert load_settings(env={"BOT_CONFIG": str(extra), "SERVER_PORT": "7000"}).server.port == 7000


def test_settings_are_frozen() -> None:
    settings = load_settings(env={})
    with pytest.raises(ValueError, match="frozen"):
        settings.server.port = 1  # type: ignore[misc]


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"SERVER_PORT": "eighty"}, "server.port from environment variable SERVER_PORT"),
        ({"SERVER_PORT": "70000"}, "server.port"),
        ({"DATABASE_URL": "mysql://localhost/bot"}, "unsupported database 'mysql'"),
        ({"DATABASE_URL": "not a url"}, "database.url"),
        ({"REDIS_URL": "http://127.0.0.1:6379"}, "redis.url"),
        ({"LINE_API_BASE_URL": "api.line.me"}, "line.api_base_url"),
        ({"LINE_API_BASE_URL": "ftp://api.line.me"}, "line.api_base_url"),
        ({"TIMEZONE": "Asia/Bangkokk"}, "unknown time zone"),
        ({"SCHEDULER_EMBEDDED": "perhaps"}, "scheduler.embedded"),
        ({"LOG_LEVEL": "LOUD"}, "log_level"),
        ({"REPORTS_NOTE_WINDOW_SECONDS": "0"}, "reports.note_window_seconds"),
        ({"REPORTS_NOTE_WINDOW_SECONDS": "five minutes"}, "reports.note_window_seconds"),
    ],
)
def test_bad_values_name_the_setting(env: dict[str, str], expected: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(env=env)
    message = str(caught.value)
    assert expected in message
    assert "\n" not in message


def test_url_errors_do_not_echo_passwords() -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(env={"DATABASE_URL": "mysql://bot:hunter2@db/bot"})
    assert "hunter2" not in str(caught.value)


def test_unknown_key_in_a_file_is_named_with_the_file(tmp_path: Path) -> None:
    extra = tmp_path / "typo.yaml"
    extra.write_text("databse:\n  url: sqlite:///x.db\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"unknown setting 'databse' in typo\.yaml"):
        load_settings(env={"BOT_CONFIG": str(extra)})


def test_unknown_nested_key(tmp_path: Path) -> None:
    extra = tmp_path / "nested.yaml"
    extra.write_text("server:\n  prot: 80\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"unknown setting 'server\.prot'"):
        load_settings(env={"BOT_CONFIG": str(extra)})


def test_wrong_type_in_a_file(tmp_path: Path) -> None:
    extra = tmp_path / "types.yaml"
    extra.write_text("server: 8000\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="server"):
        load_settings(env={"BOT_CONFIG": str(extra)})


@pytest.mark.parametrize(
    ("yaml_text", "variable"),
    [
        ("secret_key: abc\n", "SECRET_KEY"),
        ("line:\n  channel_secret: abc\n", "LINE_CHANNEL_SECRET"),
        ("line:\n  channel_access_token: abc\n", "LINE_CHANNEL_ACCESS_TOKEN"),
        ("admin:\n  token: abc\n", "ADMIN_TOKEN"),
    ],
)
def test_secrets_in_files_are_refused(tmp_path: Path, yaml_text: str, variable: str) -> None:
    extra = tmp_path / "secrets.yaml"
    extra.write_text(yaml_text, encoding="utf-8")
    with pytest.raises(ConfigError, match=f"set {variable} in the environment"):
        load_settings(env={"BOT_CONFIG": str(extra)})


def test_invalid_yaml_and_missing_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("server: [unclosed\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_settings(env={"BOT_CONFIG": str(broken)})
    with pytest.raises(ConfigError, match="cannot read"):
        load_settings(env={"BOT_CONFIG": str(tmp_path / "absent.yaml")})


def test_production_needs_a_secret_key() -> None:
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app(load_settings({"environment": "production"}, env={}))


def test_production_refuses_fetching_from_private_addresses() -> None:
    """The tests' opt-in to reach their local server must never open production to internal servers."""
    env = {
        "ENVIRONMENT": "production",
        "SECRET_KEY": "x" * 32,
        "INGEST_ALLOW_PRIVATE_ADDRESSES": "[127.0.0.1]",
    }
    with pytest.raises(ConfigError) as refused:
        load_settings(env=env)
    message = str(refused.value)
    assert message.startswith("setting ingest.allow_private_addresses:") and "\n" not in message
    assert load_settings(env={**env, "ENVIRONMENT": "test"}).ingest.allow_private_addresses == ("127.0.0.1",)
    with pytest.raises(ConfigError, match="allowed_domains"):
        load_settings({"ingest": {"allowed_domains": ["https://dla.go.th/"]}}, env={})
    with pytest.raises(ConfigError, match="allow_private_addresses"):
        load_settings({"ingest": {"allow_private_addresses": ["intranet"]}}, env={})


def test_every_setting_is_documented_in_config_yaml() -> None:
    """config.yaml is the operator's reference: every non-secret setting appears in it."""
    text = (PROJECT_ROOT / "config.yaml").read_text(encoding="utf-8")
    for name, field in Settings.model_fields.items():
        section = field.annotation
        if isinstance(section, type) and hasattr(section, "model_fields"):
            keys = [key for key in section.model_fields if (name, key) not in SECRET_PATHS]
            if keys:
                assert f"\n{name}:" in text, name
            for key in keys:  # shown set, or commented out with its default
                assert re.search(rf"^  (# )?{key}:", text, re.MULTILINE), f"{name}.{key}"
        elif (name,) not in SECRET_PATHS:
            assert f"\n{name}:" in text, name


def _flask(args: list[str], env_extra: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(PROJECT_ROOT), **env_extra}
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_bad_value_stops_the_cli_with_one_line(tmp_path: Path) -> None:
    result = _flask(["config"], {"SERVER_PORT": "abc", "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines == [lines[0]] and "server.port" in lines[0] and lines[0].startswith("config error:")


def test_config_command_masks_secrets(tmp_path: Path) -> None:
    result = _flask(
        ["config"],
        {
            "DATABASE_URL": f"postgresql://bot:pw-in-url@127.0.0.1/{tmp_path.name}",
            "LINE_CHANNEL_SECRET": "very-secret-value",
            "ADMIN_TOKEN": "admin-secret-value",
        },
    )
    assert result.returncode == 0, result.stderr
    assert "very-secret-value" not in result.stdout
    assert "admin-secret-value" not in result.stdout
    assert "pw-in-url" not in result.stdout
    assert '"port": 8000' in result.stdout


def test_feed_sources_from_yaml_and_environment(tmp_path: Path) -> None:
    extra = tmp_path / "feeds.yaml"
    extra.write_text(
        "feeds:\n  sources:\n    - {name: สถ., url: 'http://127.0.0.1:9/rss', trusted: true}\n",
        encoding="utf-8",
    )
    settings = load_settings(env={"BOT_CONFIG": str(extra)})
    assert [(s.name, s.kind, s.trusted) for s in settings.feeds.sources] == [("สถ.", "feed", True)]
    from_env = load_settings(
        env={
            "FEEDS_SOURCES": '[{"name": "x", "url": "http://h/l", "kind": "listing", "link_pattern": "/d/"}]'
        }
    )
    assert from_env.feeds.sources[0].link_pattern == "/d/"
    with pytest.raises(ConfigError, match=r"feeds\.sources\.0\.link_pattern"):
        load_settings(env={"FEEDS_SOURCES": '[{"name": "x", "url": "http://h/l", "link_pattern": "("}]'})
    with pytest.raises(ConfigError, match="FEEDS_SOURCES"):
        load_settings(env={"FEEDS_SOURCES": "[unclosed"})
