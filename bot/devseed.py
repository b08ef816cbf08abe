"""The simulated LINE world of `make run` without a LINE channel: provincial groups and officials.

`serve` starts the LINE emulator (`linesim.emulator`) when no LINE credentials are configured;
this module gives it a world worth looking at, and puts the same world in the bot's database:

- five provincial groups in five regions, registered and active, so that a meeting published in the
  admin console (urgent: at once; otherwise at the next send slot) arrives in them;
- one group the bot has not joined yet (Kanchanaburi), to try adding it and registering the province;
- three officials: two in groups, one in none (to try joining a group).

Ids are fixed (UUID5 of a name), so the database of `instance/` and the emulator rebuilt at each start
agree across restarts. Seeding is idempotent and never undoes what happened since: a group an
administrator switched off stays off, a group the bot left stays left, an official who blocked the
bot stays blocked.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from pydantic import SecretStr
from sqlalchemy import select

from bot import groups
from bot.models import GroupStatus, LineGroup, LineUser, UserRole, utcnow
from bot.provinces import ProvinceFinder
from bot.services import Services
from bot.settings import Settings
from linesim.emulator import Emulator

_NAMESPACE: Final = uuid.UUID("0f6c1b52-3c2e-4f0c-9a57-5a0f3d6c7e21")
# LINE's Thailand "Basic" plan: 15,000 messages a month. A summary to the seeded groups costs ~120.
MONTHLY_QUOTA: Final = 15_000
# Webhook worker threads when the configuration has none: the emulator's events must be answered.
EMULATOR_WORKERS: Final = 4


def line_id(prefix: str, name: str) -> str:
    """A LINE-shaped id (`U`/`C` + 32 hex digits), the same for the same name on every start."""
    return prefix + uuid.uuid5(_NAMESPACE, name).hex


@dataclass(frozen=True)
class SimulatedGroup:
    key: str
    name: str
    province: str
    member_count: int
    registered: bool = True  # False: the bot is not in it yet

    @property
    def group_id(self) -> str:
        return line_id("C", f"group:{self.key}")


@dataclass(frozen=True)
class SimulatedOfficial:
    key: str
    name: str
    province: str
    groups: tuple[str, ...]  # keys of the groups they are in

    @property
    def user_id(self) -> str:
        return line_id("U", f"user:{self.key}")


GROUPS: Final[tuple[SimulatedGroup, ...]] = (
    SimulatedGroup("chiangmai", "ท้องถิ่นจังหวัดเชียงใหม่", "เชียงใหม่", 25),
    SimulatedGroup("khonkaen", "ท้องถิ่นจังหวัดขอนแก่น", "ขอนแก่น", 18),
    SimulatedGroup("ayutthaya", "ท้องถิ่นจังหวัดพระนครศรีอยุธยา", "พระนครศรีอยุธยา", 20),
    SimulatedGroup("chonburi", "ท้องถิ่นจังหวัดชลบุรี", "ชลบุรี", 22),
    SimulatedGroup("songkhla", "ท้องถิ่นจังหวัดสงขลา", "สงขลา", 30),
    SimulatedGroup("kanchanaburi", "ท้องถิ่นจังหวัดกาญจนบุรี (กลุ่มใหม่)", "กาญจนบุรี", 12, registered=False),
)
OFFICIALS: Final[tuple[SimulatedOfficial, ...]] = (
    SimulatedOfficial("somchai", "สมชาย ใจดี", "เชียงใหม่", tuple(group.key for group in GROUPS)),
    SimulatedOfficial("somying", "สมหญิง รักษ์ถิ่น", "สงขลา", ("songkhla", "chonburi")),
    SimulatedOfficial("wipa", "วิภา ศรีสุข", "ขอนแก่น", ()),
)
BOT_USER_ID: Final = line_id("U", "bot")


@dataclass(frozen=True)
class DevSeedSummary:
    groups_created: int
    officials_created: int
    groups: int
    officials: int


def start_emulator(host: str, port: int, webhook_url: str) -> Emulator:
    """The emulator on host:port with a channel secret and token made up for this session."""
    emulator = Emulator(
        token=secrets.token_urlsafe(32),
        channel_secret=secrets.token_hex(16),
        webhook_url=webhook_url,
        bot_user_id=BOT_USER_ID,
        host=host,
        port=port,
    )
    emulator.set_quota("limited", MONTHLY_QUOTA)
    return emulator.start()


def emulated_settings(settings: Settings, emulator: Emulator) -> Settings:
    """`settings` pointed at the emulator, with its session's credentials and webhook workers on."""
    line = settings.line.model_copy(
        update={
            "api_base_url": emulator.base_url,
            "channel_secret": SecretStr(emulator.channel_secret),
            "channel_access_token": SecretStr(emulator.token),
        }
    )
    webhook = settings.webhook
    if not webhook.workers:
        webhook = webhook.model_copy(update={"workers": EMULATOR_WORKERS})
    return settings.model_copy(update={"line": line, "webhook": webhook})


def seed_database(
    services: Services,
    groups_: Sequence[SimulatedGroup] = GROUPS,
    officials: Sequence[SimulatedOfficial] = OFFICIALS,
) -> DevSeedSummary:
    """Register the seeded groups and add the officials that are not in the database yet.

    Needs the provinces (`flask --app wsgi setup`); `groups.GroupImportError` says which are missing.
    """
    with services.db.session() as session:
        known = set(
            session.scalars(
                select(LineGroup.line_group_id).where(
                    LineGroup.line_group_id.in_([group.group_id for group in groups_])
                )
            )
        )
        rows = [
            {
                "group_id": group.group_id,
                "province": group.province,
                "name": group.name,
                "member_count": group.member_count,
            }
            for group in groups_
            if group.registered and group.group_id not in known
        ]
        created = groups.register_groups(session, rows, "simulator").created if rows else 0
        finder = ProvinceFinder.load(session)
        users = set(
            session.scalars(
                select(LineUser.line_user_id).where(
                    LineUser.line_user_id.in_([official.user_id for official in officials])
                )
            )
        )
        added = 0
        for official in officials:
            if official.user_id in users:
                continue
            province = finder.find(official.province)
            session.add(
                LineUser(
                    line_user_id=official.user_id,
                    display_name=official.name,
                    role=UserRole.OFFICIAL,
                    province_id=province.id if province else None,
                    following=True,
                    followed_at=utcnow(),
                )
            )
            added += 1
    return DevSeedSummary(created, added, len(groups_), len(officials))


def populate_emulator(
    emulator: Emulator,
    services: Services,
    groups_: Sequence[SimulatedGroup] = GROUPS,
    officials: Sequence[SimulatedOfficial] = OFFICIALS,
) -> None:
    """The emulator's world, as the database remembers it: is the bot in each group, who follows it."""
    with services.db.session() as session:
        group_ids = [group.group_id for group in groups_]
        statuses: dict[str, GroupStatus] = {
            group_id: status
            for group_id, status in session.execute(
                select(LineGroup.line_group_id, LineGroup.status).where(
                    LineGroup.line_group_id.in_(group_ids)
                )
            )
        }
        user_ids = [official.user_id for official in officials]
        following: dict[str, bool] = {
            user_id: follows
            for user_id, follows in session.execute(
                select(LineUser.line_user_id, LineUser.following).where(LineUser.line_user_id.in_(user_ids))
            )
        }
    for official in officials:
        follows = following.get(official.user_id, True)
        emulator.add_official(official.user_id, official.name, following=follows)
    for group in groups_:
        status = statuses.get(group.group_id)
        emulator.add_group(
            group.group_id,
            group.name,
            member_count=group.member_count,
            member_ids=[o.user_id for o in officials if group.key in o.groups],
            bot_is_member=status is not None and status != GroupStatus.LEFT,
        )


def seed(services: Services, emulator: Emulator) -> DevSeedSummary:
    """Both halves: the database, then the emulator from it."""
    summary = seed_database(services)
    populate_emulator(emulator, services)
    return summary
