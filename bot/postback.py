"""The postback format: what a button of ours sends back when pressed, built and parsed here only.

A button carries one of the small values below; `encode` writes it as LINE's postback `data`
(`action=register&province=12`, at most 300 characters) and `decode` reads it back, or gives None
for data that is not one of ours (an old button of a format we no longer use, a forged event). The
wire format is stable: buttons already sent stay in chats for months and must keep working.
"""

from __future__ import annotations

import dataclasses
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar, Final

from bot.models import ReportStatus

MAX_FIELDS: Final = 10  # more than any button of ours carries: a longer data is not ours


def _int(key: str) -> Any:
    return field(metadata={"key": key, "read": int})


def _str(key: str, default: str | None = None) -> Any:
    if default is None:
        return field(metadata={"key": key, "read": str})
    return field(default=default, metadata={"key": key, "read": str})


def _status(key: str) -> Any:
    return field(metadata={"key": key, "read": ReportStatus})


@dataclass(frozen=True)
class ShowDirective:
    """ "อ่านต่อ" on a directive's card: its full text."""

    action: ClassVar[str] = "directive"
    directive_id: int = _int("id")


@dataclass(frozen=True)
class PickRegion:
    """A region in the registration picker: its provinces, a page at a time."""

    action: ClassVar[str] = "region"
    code: str = _str("code")
    page: int = field(default=0, metadata={"key": "page", "read": int})


@dataclass(frozen=True)
class Register:
    """A province in the registration picker: the group registers for it."""

    action: ClassVar[str] = "register"
    province_id: int = _int("province")


@dataclass(frozen=True)
class Unsubscribe:
    """The group confirms it leaves its province's broadcasts."""

    action: ClassVar[str] = "unsubscribe"
    province_id: int = _int("province")


@dataclass(frozen=True)
class KeepSubscription:
    """The group changed its mind: nothing changes."""

    action: ClassVar[str] = "unsubscribe_cancel"


@dataclass(frozen=True)
class ShowMenu:
    action: ClassVar[str] = "menu"


@dataclass(frozen=True)
class Acknowledge:
    """ "รับทราบ" under a broadcast: the group has read it."""

    action: ClassVar[str] = "ack"
    broadcast_id: int = _int("b")


@dataclass(frozen=True)
class StartSearch:
    """ "ค้นหา" on the rich menu: LINE opens the keyboard with "ค้นหา " typed; the bot says how to go on."""

    action: ClassVar[str] = "search"


@dataclass(frozen=True)
class AskReport:
    """ "รายงานผล" on a directive sent to a provincial group: the bot offers the three statuses."""

    action: ClassVar[str] = "report"
    directive_id: int = _int("d")


@dataclass(frozen=True)
class GiveReport:
    """One of the three statuses picked: the group's province reports it on the directive."""

    action: ClassVar[str] = "report_status"
    directive_id: int = _int("d")
    status: ReportStatus = _status("s")  # noqa: RUF009  # a field(), as _int's: no shared default


Postback = (
    ShowDirective
    | PickRegion
    | Register
    | Unsubscribe
    | KeepSubscription
    | ShowMenu
    | Acknowledge
    | StartSearch
    | AskReport
    | GiveReport
)

_KINDS: Final[dict[str, Callable[..., Postback]]] = {
    kind.action: kind
    for kind in (
        ShowDirective,
        PickRegion,
        Register,
        Unsubscribe,
        KeepSubscription,
        ShowMenu,
        Acknowledge,
        StartSearch,
        AskReport,
        GiveReport,
    )
}

GROUP_CHANGES: Final = (Register, Unsubscribe)  # pressing these changes a group's registration


def encode(pressed: Postback) -> str:
    """The postback `data` for a button; a field left at its default is left out."""
    pairs: list[tuple[str, str]] = [("action", pressed.action)]
    for item in dataclasses.fields(pressed):
        value = getattr(pressed, item.name)
        if item.default is not dataclasses.MISSING and value == item.default:
            continue
        pairs.append((item.metadata["key"], str(value)))
    return urllib.parse.urlencode(pairs)


def decode(data: str) -> Postback | None:
    """The value a button's `data` encodes; None when it is not one of ours, or is malformed."""
    try:
        values = {k: v[0] for k, v in urllib.parse.parse_qs(data, max_num_fields=MAX_FIELDS).items()}
    except ValueError:  # more fields than any button of ours has
        return None
    kind = _KINDS.get(values.get("action", ""))
    if kind is None:
        return None
    arguments: dict[str, Any] = {}
    for item in dataclasses.fields(kind):  # type: ignore[arg-type]  # every kind is a dataclass
        key, read = item.metadata["key"], item.metadata["read"]
        if key in values:
            try:
                arguments[item.name] = read(values[key])
            except ValueError:
                return None
        elif item.default is dataclasses.MISSING:
            return None
    return kind(**arguments)
