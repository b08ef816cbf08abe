"""Settings: `config.yaml`, an optional second YAML file and the environment, validated once.

Order of precedence (later wins): the project's `config.yaml` → the file named by `BOT_CONFIG` →
environment variables → explicit overrides (tests). Every setting has an environment variable whose
name is its dotted path in upper case with dots as underscores (`database.url` → `DATABASE_URL`,
`server.port` → `SERVER_PORT`, `line.api_base_url` → `LINE_API_BASE_URL`). Secrets (`SECRET_KEY`,
`LINE_CHANNEL_SECRET`, `LINE_CHANNEL_ACCESS_TOKEN`, `ADMIN_TOKEN`) are accepted from the environment
only; a YAML file that holds one is refused.

Any problem — unknown key, wrong type, malformed URL, a secret in a file — raises `ConfigError` whose
message is one line naming the setting and what is wrong.
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Annotated, Any, Literal, get_origin
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot import postback, texts

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG_FILE = PROJECT_ROOT / "config.yaml"
INSTANCE_DIR = PROJECT_ROOT / "instance"
DEFAULT_DATABASE_URL = f"sqlite:///{INSTANCE_DIR / 'bot.sqlite3'}"

# Settings that may come only from the environment, never from a file.
SECRET_PATHS = frozenset(
    {
        ("secret_key",),
        ("line", "channel_secret"),
        ("line", "channel_access_token"),
        ("admin", "token"),
    }
)


class ConfigError(Exception):
    """A setting is wrong; the message is one line for the operator."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ServerSettings(_Section):
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    # Reverse proxies in front that set X-Forwarded-For/-Proto/-Host (0: none, requests are direct).
    # Trusted for the client address (login rate limit, logs) and https (secure cookies, URLs).
    trusted_proxies: int = Field(default=0, ge=0, le=5)


class DatabaseSettings(_Section):
    url: str = DEFAULT_DATABASE_URL
    echo: bool = False
    # Connections kept open per process, and how many more it may open at a busy moment (opened and
    # closed again: a new PostgreSQL connection costs the server a whole process).
    pool_size: int = Field(default=10, ge=1, le=100)
    max_overflow: int = Field(default=10, ge=0, le=100)
    # SQLite only (PRAGMA synchronous, in WAL mode): "full" syncs the disk at every commit; "normal"
    # at checkpoints only — a commit survives the bot crashing or being killed, and may be lost if the
    # machine itself loses power in the second after it (SQLite's advice for WAL; PostgreSQL is the
    # production database).
    sqlite_synchronous: Literal["full", "normal"] = "normal"

    @field_validator("url")
    @classmethod
    def _check_url(cls, value: str) -> str:
        return normalise_database_url(value)

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")


class RedisSettings(_Section):
    url: str | None = None
    key_prefix: str = Field(default="dlabot:", min_length=1)

    @field_validator("url")
    @classmethod
    def _check_url(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        assert value is not None
        if not re.match(r"^(redis|rediss)://[^/\s]+(/\d+)?$|^unix:///\S+$", value):
            raise ValueError("must look like redis://host:port/0, rediss://… or unix:///path")
        return value


LINE_API_BASE_URL = "https://api.line.me"
# LINE's limits on a rich menu (the chat bar's text, an action's label and text) and our layout's.
RICHMENU_CHAT_BAR_MAX = 14
RICHMENU_LABEL_MAX = 20
RICHMENU_TEXT_MAX = 300
RICHMENU_AREAS_MAX = 6
LINE_DATA_API_BASE_URL = "https://api-data.line.me"


class LineSettings(_Section):
    api_base_url: str = LINE_API_BASE_URL
    # LINE's data host (uploads and downloads of images, e.g. the rich menu's). Unset: LINE's own,
    # or api_base_url when that points elsewhere (the stand-in serves both).
    data_api_base_url: str | None = None
    timeout_seconds: float = Field(default=5.0, gt=0, le=60)
    channel_secret: SecretStr | None = None
    channel_access_token: SecretStr | None = None

    @field_validator("api_base_url")
    @classmethod
    def _check_url(cls, value: str) -> str:
        if not re.match(r"^https?://[A-Za-z0-9.\-\[\]:]+(:\d+)?/?$", value):
            raise ValueError("must be an http(s) URL with a host and no path, e.g. https://api.line.me")
        return value.rstrip("/")

    @field_validator("data_api_base_url")
    @classmethod
    def _check_data_url(cls, value: str | None) -> str | None:
        return None if value in (None, "") else cls._check_url(str(value))

    @property
    def configured(self) -> bool:
        return self.channel_secret is not None and self.channel_access_token is not None

    @property
    def data_base_url(self) -> str:
        """Where image uploads go: the setting, else LINE's data host, else the stand-in's one host."""
        if self.data_api_base_url:
            return self.data_api_base_url
        if self.api_base_url != LINE_API_BASE_URL:
            return self.api_base_url
        return LINE_DATA_API_BASE_URL


class RichMenuArea(_Section):
    """One tappable area of the rich menu: its label (drawn, and read aloud by screen readers) and
    what a tap sends. Without `postback` the tap is the official's message `text`; with it, a
    postback whose `text` shows in the chat and, with `keyboard`, opens the keyboard filled with it."""

    label: str
    text: str
    postback: str | None = None
    keyboard: str | None = None

    @field_validator("label")
    @classmethod
    def _check_label(cls, value: str) -> str:
        value = value.strip()
        if not 1 <= len(value) <= RICHMENU_LABEL_MAX:
            raise ValueError(f"ป้ายของปุ่มต้องยาว 1–{RICHMENU_LABEL_MAX} ตัวอักษร (LINE กำหนด)")
        return value

    @field_validator("text", "postback", "keyboard")
    @classmethod
    def _check_text(cls, value: str | None) -> str | None:
        if value is not None and not (value.strip() and len(value) <= RICHMENU_TEXT_MAX):
            raise ValueError(f"ข้อความของปุ่มต้องยาว 1–{RICHMENU_TEXT_MAX} ตัวอักษร (LINE กำหนด)")
        return value

    @model_validator(mode="after")
    def _keyboard_needs_postback(self) -> RichMenuArea:
        if self.keyboard is not None and self.postback is None:
            raise ValueError("keyboard ใช้ได้กับปุ่มแบบ postback เท่านั้น: ใส่ postback ด้วย")
        if self.postback is not None and postback.decode(self.postback) is None:
            raise ValueError(f"postback {self.postback!r} ไม่ใช่ปุ่มที่บอทรู้จัก (ดู bot/postback.py)")
        return self


def _default_areas() -> tuple[RichMenuArea, ...]:
    return tuple(RichMenuArea.model_validate(area) for area in texts.RICHMENU_AREAS)


class RichMenuSettings(_Section):
    # Shown to nobody: it tells the bot's own menus from others in the channel (deploy replaces
    # only menus of this name).
    name: str = "dla-officials"
    chat_bar_text: str = texts.RICHMENU_CHAT_BAR
    alias: str = "dla-officials"
    font_path: Path = Path("/usr/share/fonts/truetype/tlwg/Loma-Bold.ttf")
    areas: tuple[RichMenuArea, ...] = Field(default_factory=_default_areas)

    @field_validator("name")
    @classmethod
    def _check_name(cls, value: str) -> str:
        if not 1 <= len(value) <= 300:
            raise ValueError("ชื่อเมนูต้องยาว 1–300 ตัวอักษร (LINE กำหนด)")
        return value

    @field_validator("chat_bar_text")
    @classmethod
    def _check_chat_bar(cls, value: str) -> str:
        if not (value.strip() and len(value) <= RICHMENU_CHAT_BAR_MAX):
            raise ValueError(f"ข้อความบนแถบเมนูต้องยาว 1–{RICHMENU_CHAT_BAR_MAX} ตัวอักษร (LINE กำหนด)")
        return value

    @field_validator("alias")
    @classmethod
    def _check_alias(cls, value: str) -> str:
        if not re.fullmatch(r"[a-z0-9_-]{1,32}", value):
            raise ValueError("ชื่อแทน (alias) ใช้ได้เฉพาะ a-z 0-9 _ - ยาวไม่เกิน 32 ตัวอักษร")
        return value

    @field_validator("areas")
    @classmethod
    def _check_areas(cls, value: tuple[RichMenuArea, ...]) -> tuple[RichMenuArea, ...]:
        if not 1 <= len(value) <= RICHMENU_AREAS_MAX:
            raise ValueError(f"เมนูต้องมีปุ่ม 1–{RICHMENU_AREAS_MAX} ปุ่ม")
        return value


class AdminSettings(_Section):
    token: SecretStr | None = None


class SchedulerSettings(_Section):
    embedded: bool = True
    heartbeat_seconds: int = Field(default=30, ge=1, le=3600)


class WebhookSettings(_Section):
    max_body_bytes: int = Field(default=1_000_000, ge=10_000, le=20_000_000)
    # Threads per web process that work the inbox after the webhook has answered LINE. Most of their
    # time is spent waiting for LINE, so more threads answer more events when LINE is slow. 0: none
    # (events wait for `flask --app wsgi inbox work`; tests use this to work them step by step).
    workers: int = Field(default=16, ge=0, le=256)
    # Concurrent webhook requests share one INSERT and commit (each still answers after its own
    # events are stored): much less database work per event under load.
    group_commit: bool = True
    # Events claimed from the inbox at a time (one database round trip for the lot).
    batch_size: int = Field(default=16, ge=1, le=500)
    # Of those, how many may build answers at the same time (CPU work); the rest wait for LINE.
    # Keeps the threads that acknowledge webhooks from being starved of the interpreter lock.
    # Two: with one, answers fell behind acknowledgements under load (docs/performance.md).
    cpu_slots: int = Field(default=2, ge=1, le=64)
    # A reply token is good for about a minute; past this age an event is answered by push (see
    # late_answer_seconds).
    reply_token_seconds: float = Field(default=50, gt=0, le=60)
    # An event older than this (from its timestamp) does not change a group's registration (register,
    # confirm unsubscribing): after an outage, or replayed, it is logged and left alone. The group
    # can ask again; a change made minutes after the member asked could undo a newer one.
    state_change_max_age_seconds: float = Field(default=300, ge=60, le=86_400)
    # An event the bot acknowledged while its reply token was fresh, whose token ran out while the
    # bot held it (a crashed process, a backlog), is answered by push up to this age; older, or
    # already late when it arrived (a redelivery), it is recorded as expired. A group's registration
    # is answered by push while younger than state_change_max_age_seconds.
    late_answer_seconds: float = Field(default=600, ge=0, le=86_400)
    # A claimed event is renewed by its live pool's heartbeat every quarter of this; one whose
    # process died is taken up again after this many seconds: well inside the reply token's window.
    lease_seconds: float = Field(default=10, ge=2, le=3600)
    # Handled events are kept this many days (redelivery dedupe and audit), then purged.
    retention_days: int = Field(default=7, ge=1, le=365)
    # Chat messages (text, stickers, button presses) answered per minute, per person and per group;
    # past that one short notice, then silence until the minute has passed: one person pasting in a
    # loop cannot spend the channel's replies. 0: no limit.
    user_messages_per_minute: int = Field(default=20, ge=0, le=10_000)
    group_messages_per_minute: int = Field(default=60, ge=0, le=100_000)


class ContentSettings(_Section):
    # Seconds between checks that published content changed; until then each process answers from its
    # search index and cached answers. Lower: fresher after an edit; higher: one small query less often.
    check_seconds: float = Field(default=5.0, ge=0, le=600)


class BroadcastSettings(_Section):
    # Pushes per second across every process that sends (shared through Redis when configured).
    # LINE allows 2,000 requests/s per channel for push.
    rate_per_second: float = Field(default=2000, gt=0, le=10_000)
    # Pushes in flight at once per sending process.
    concurrency: int = Field(default=200, ge=1, le=2000)
    # Attempts per group before a delivery is recorded as failed (500s, timeouts, 429s).
    max_attempts: int = Field(default=6, ge=1, le=50)
    # A published meeting's summary goes out at the next send slot (Asia/Bangkok time) ...
    send_time: str = Field(default="08:30", pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
    # ... unless marked urgent; nothing but urgent alerts is sent in quiet hours ("HH:MM-HH:MM"; the
    # same start and end: none). Creating a broadcast refuses such a time, the scheduler postpones it.
    quiet_hours: str = Field(
        default="20:00-07:00", pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]$"
    )
    # A broadcast that fell due while no scheduler ran is still sent if it is at most this late;
    # later, it is marked missed and reported.
    misfire_grace_minutes: float = Field(default=60, ge=0, le=7 * 24 * 60)
    # Seconds between the scheduler's looks for due broadcasts.
    check_seconds: float = Field(default=10, ge=1, le=3600)
    # Days before a directive's deadline when the provinces that have not reported it done are
    # reminded (at the send slot of that day); empty: no reminders.
    reminder_days: tuple[Annotated[int, Field(ge=1, le=365)], ...] = (7, 1)


class ReportSettings(_Section):
    # After a province's report ("รายงานผล"), the reporter's next text in the group within this many
    # seconds is taken as its one-line note (the bot says how long, in minutes when whole ones).
    note_window_seconds: int = Field(default=300, gt=0, le=86_400)


class GroupSettings(_Section):
    # When true, a group's registration for a province waits for an administrator's approval.
    require_approval: bool = False


class IngestSettings(_Section):
    # An article is tens of kilobytes; anything far bigger is not an article.
    max_article_bytes: int = Field(default=2_000_000, ge=10_000, le=50_000_000)
    # The whole budget of one fetch (every redirect, the headers and the body), not a per-read timeout.
    fetch_timeout_seconds: float = Field(default=15.0, gt=0, le=120)
    user_agent: str = "DLA-LINE-Bot/1.0 (+https://www.dla.go.th)"
    # Domains URLs may be fetched from ("dla.go.th" exactly, "*.go.th" any name under go.th); empty:
    # any public web server. Checked at every redirect.
    allowed_domains: tuple[str, ...] = ()
    # Private networks fetches may reach anyway ("127.0.0.1", "10.0.0.0/8"): for tests against a local
    # server only; production refuses to start with any.
    allow_private_addresses: tuple[str, ...] = ()
    # Threads per web process fetching URL imports of the console and the API.
    import_workers: int = Field(default=2, ge=1, le=16)

    @field_validator("allowed_domains")
    @classmethod
    def _check_domains(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for domain in value:
            if not re.fullmatch(
                r"(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*", domain
            ):
                raise ValueError(f"{domain!r} is not a domain (e.g. dla.go.th or *.go.th, lower case)")
        return value

    @field_validator("allow_private_addresses")
    @classmethod
    def _check_networks(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for network in value:
            try:
                ipaddress.ip_network(network, strict=False)
            except ValueError:
                raise ValueError(f"{network!r} is not an address or network (e.g. 127.0.0.1)") from None
        return value


class ContactSettings(_Section):
    # How officials reach the department, given when they ask the bot ("ขอเบอร์ติดต่อ สถ."). Filled in
    # by the department; the bot never makes any up, and says it has none when all are empty.
    name: str = "กรมส่งเสริมการปกครองท้องถิ่น"
    phone: str = ""
    email: str = ""
    website: str = ""
    address: str = ""


class FeedSource(_Section):
    name: str = Field(min_length=1)
    url: str
    # feed: RSS or Atom. listing: an HTML page whose links matching link_pattern are articles.
    kind: Literal["feed", "listing"] = "feed"
    # Searched in links on the source's host; a link to another host is followed only when the
    # pattern matches it from the start ("^https://other\\.go\\.th/...").
    link_pattern: str | None = None
    # Trusted sources publish what they ingest; others leave drafts for an administrator.
    trusted: bool = False

    @field_validator("url")
    @classmethod
    def _check_url(cls, value: str) -> str:
        if not re.match(r"^https?://[^\s/]+(/\S*)?$", value):
            raise ValueError("must be an http(s) URL")
        return value

    @field_validator("link_pattern")
    @classmethod
    def _check_pattern(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as error:
                raise ValueError(f"is not a regular expression ({error})") from None
        return value


class FeedSettings(_Section):
    interval_minutes: float = Field(default=30, gt=0, le=24 * 60)
    # An item that keeps failing is tried this many rounds, then left for an administrator.
    max_attempts: int = Field(default=5, ge=1, le=100)
    sources: tuple[FeedSource, ...] = ()


class Settings(_Section):
    environment: Literal["development", "production", "test"] = "development"
    timezone: str = "Asia/Bangkok"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["text", "json"] = "text"  # json: one object per line, for a log collector
    secret_key: SecretStr | None = None
    server: ServerSettings = ServerSettings()
    database: DatabaseSettings = DatabaseSettings()
    redis: RedisSettings = RedisSettings()
    line: LineSettings = LineSettings()
    admin: AdminSettings = AdminSettings()
    scheduler: SchedulerSettings = SchedulerSettings()
    webhook: WebhookSettings = WebhookSettings()
    content: ContentSettings = ContentSettings()
    groups: GroupSettings = GroupSettings()
    broadcasts: BroadcastSettings = BroadcastSettings()
    reports: ReportSettings = ReportSettings()
    ingest: IngestSettings = IngestSettings()
    feeds: FeedSettings = FeedSettings()
    richmenu: RichMenuSettings = RichMenuSettings()
    contact: ContactSettings = ContactSettings()

    @model_validator(mode="after")
    def _no_private_fetches_in_production(self) -> Settings:
        if self.environment == "production" and self.ingest.allow_private_addresses:
            raise ValueError(
                "setting ingest.allow_private_addresses: must be empty in production"
                " (it lets editors' URLs reach internal servers; it is for tests)"
            )
        return self

    @field_validator("timezone")
    @classmethod
    def _check_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r} (e.g. Asia/Bangkok)") from None
        return value

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def normalise_database_url(value: str) -> str:
    """Check a database URL and point PostgreSQL URLs at the psycopg 3 driver we install."""
    try:
        url = make_url(value)
    except ArgumentError:
        raise ValueError("is not a database URL (e.g. sqlite:///path or postgresql://host/db)") from None
    backend = url.get_backend_name()
    if backend in ("postgresql", "postgres"):  # "postgres" is the old Heroku spelling
        url = url.set(drivername="postgresql+psycopg")
    elif backend != "sqlite":
        raise ValueError(f"unsupported database {backend!r}: use sqlite or postgresql")
    return url.render_as_string(hide_password=False)


def env_name(path: tuple[str, ...]) -> str:
    return "_".join(path).upper()


def _setting_paths(
    model: type[BaseModel], prefix: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], bool]]:
    """Every leaf setting, with whether it holds a list (given in the environment as YAML/JSON)."""
    for name, field in model.model_fields.items():
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            yield from _setting_paths(annotation, (*prefix, name))
        else:
            yield (*prefix, name), get_origin(annotation) in (tuple, list)


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ConfigError(f"{path}: cannot read the file ({error.strerror})") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        where = getattr(error, "problem_mark", None)
        line = f" line {where.line + 1}" if where is not None else ""
        raise ConfigError(f"{path}:{line} is not valid YAML") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: must be a mapping of settings, not a {type(data).__name__}")
    for secret in SECRET_PATHS:
        node: Any = data
        for part in secret:
            node = node.get(part) if isinstance(node, dict) else None
        if node is not None:
            raise ConfigError(
                f"{path}: {'.'.join(secret)} is a secret: set {env_name(secret)} in the environment instead"
            )
    return data


def _merge(base: dict[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _set_path(data: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    node = data
    for part in path[:-1]:
        child = node.get(part)
        if not isinstance(child, dict):
            child = {}
            node[part] = child
        node = child
    node[path[-1]] = value


def _describe(error: ValidationError, sources: Mapping[tuple[str, ...], str]) -> str:
    first = error.errors()[0]
    path = tuple(str(part) for part in first["loc"])
    dotted = ".".join(path) or "(top level)"
    # A list item's setting was given with its list: the nearest path some file or variable set.
    source = next(
        (sources[path[:end]] for end in range(len(path), 0, -1) if path[:end] in sources), "the defaults"
    )
    if first["type"] == "extra_forbidden":
        return f"unknown setting {dotted!r} in {source}"
    message = first["msg"].removeprefix("Value error, ")
    if not path:  # a rule across settings: its message names them
        return message
    given = first.get("input")
    # URLs may carry passwords and secrets are secret: name the variable, never echo the value.
    hidden = path in SECRET_PATHS or path[-1] == "url" or isinstance(given, dict | list)
    shown = "" if hidden else f" (got {given!r})"
    return f"setting {dotted} from {source}: {message[0].lower()}{message[1:]}{shown}"


def load_settings(
    overrides: Mapping[str, Any] | None = None,
    *,
    env: Mapping[str, str] | None = None,
    config_file: Path | None = DEFAULT_CONFIG_FILE,
) -> Settings:
    """Build the settings from files, the environment and overrides; raise ConfigError if wrong."""
    environ = os.environ if env is None else env
    data: dict[str, Any] = {}
    sources: dict[tuple[str, ...], str] = {}
    files = [config_file] if config_file is not None else []
    if environ.get("BOT_CONFIG"):
        files.append(Path(environ["BOT_CONFIG"]))
    for file in files:
        layer = _read_yaml(file)
        data = _merge(data, layer)
        _remember_sources(layer, (), sources, file.name)
    for path, is_list in _setting_paths(Settings):
        name = env_name(path)
        if environ.get(name, "") == "":  # an empty variable counts as unset
            continue
        value: Any = environ[name]
        if is_list:
            try:
                value = yaml.safe_load(value)
            except yaml.YAMLError:
                raise ConfigError(f"environment variable {name}: must be a YAML or JSON list") from None
        _set_path(data, path, value)
        sources[path] = f"environment variable {name}"
    if overrides:
        data = _merge(data, overrides)
    try:
        settings = Settings.model_validate(data)
    except ValidationError as error:
        raise ConfigError(_describe(error, sources)) from None
    return settings


def _remember_sources(
    layer: Mapping[str, Any], prefix: tuple[str, ...], sources: dict[tuple[str, ...], str], name: str
) -> None:
    """Remember which file set each key, so an error names the file to fix."""
    for key, value in layer.items():
        path = (*prefix, str(key))
        sources[path] = name
        if isinstance(value, Mapping):
            _remember_sources(value, path, sources, name)
