"""The rich menu under officials' one-to-one chat: drawn from the settings, installed on LINE, replaced.

- `menu_request(settings)` is the rich menu object: up to six areas, three to a row (two rows of
  2500x843 make LINE's large 2500x1686 menu), each a message action (or a postback that opens the
  keyboard) with the configured label.
- `draw_image(settings)` draws it with Pillow in the configured Thai font file (Debian's
  fonts-thai-tlwg): a PNG of the menu's exact size, as LINE requires.
- `deploy(settings)` installs it: create the menu, upload its image to LINE's data host, make it the
  default, point the alias at it, then delete the menus of the same name it replaces. A failure
  part-way deletes the new menu and puts the previous default back, so no orphan is left.
  `status` and `delete` read and remove what deploy made.

LINE is reached through line-bot-sdk v3's own clients (`MessagingApi`, `MessagingApiBlob` on the data
host, `LineSettings.data_base_url`). Whatever goes wrong is a `RichMenuError` whose message is one
Thai line for the operator.
"""

from __future__ import annotations

import io
import json
import logging
import math
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import urllib3
from linebot.v3.messaging import (
    ApiClient,
    ApiException,
    Configuration,
    CreateRichMenuAliasRequest,
    MessagingApi,
    MessagingApiBlob,
    RichMenuRequest,
    UpdateRichMenuAliasRequest,
)
from PIL import Image, ImageDraw, ImageFont

from bot import texts
from bot.settings import RichMenuSettings, Settings

log = logging.getLogger(__name__)

T = TypeVar("T")

WIDTH = 2500
ROW_HEIGHT = 843  # two rows: LINE's 2500x1686 menu; one row: its 2500x843 one
COLUMNS_MAX = 3
IMAGE_BYTES_MAX = 1_000_000  # LINE: 1 MB
# Drawing: the department's blue, cells a shade lighter, labels in white.
BACKGROUND = (18, 52, 110)
CELL = (31, 78, 150)
CELL_ALT = (26, 68, 132)
LABEL = (255, 255, 255)
GAP = 12
LABEL_SIZE_MAX = 150
LABEL_SIZE_MIN = 40


class RichMenuError(Exception):
    """Drawing or installing the menu failed; the message is one Thai line."""


class _NotFound(RichMenuError):
    """LINE answered 404: no such menu, alias or default."""


@dataclass(frozen=True)
class Cell:
    x: int
    y: int
    width: int
    height: int


def grid(count: int) -> tuple[int, int, list[Cell]]:
    """(width, height, cells) of `count` areas: one row of up to three, or two rows."""
    rows = 1 if count <= COLUMNS_MAX else 2
    columns = math.ceil(count / rows)
    height = ROW_HEIGHT * rows
    cells = []
    for index in range(count):
        row, column = divmod(index, columns)
        x0, x1 = WIDTH * column // columns, WIDTH * (column + 1) // columns
        cells.append(Cell(x0, ROW_HEIGHT * row, x1 - x0, ROW_HEIGHT))
    return WIDTH, height, cells


def menu_request(menu: RichMenuSettings) -> dict[str, Any]:
    """The rich menu object LINE creates (`POST /v2/bot/richmenu`), as JSON."""
    width, height, cells = grid(len(menu.areas))
    areas = []
    for area, cell in zip(menu.areas, cells, strict=True):
        action: dict[str, Any]
        if area.postback is None:
            action = {"type": "message", "label": area.label, "text": area.text}
        else:
            action = {
                "type": "postback",
                "label": area.label,
                "data": area.postback,
                "displayText": area.text,
            }
            if area.keyboard is not None:
                action |= {"inputOption": "openKeyboard", "fillInText": area.keyboard}
        bounds = {"x": cell.x, "y": cell.y, "width": cell.width, "height": cell.height}
        areas.append({"bounds": bounds, "action": action})
    return {
        "size": {"width": width, "height": height},
        "selected": True,
        "name": menu.name,
        "chatBarText": menu.chat_bar_text,
        "areas": areas,
    }


# --- the image -------------------------------------------------------------------------------------


def _font_file(path: Path) -> Path:
    if not path.is_file():
        raise RichMenuError(texts.RICHMENU_NO_FONT.format(path=path))
    return path


def _font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    try:
        return ImageFont.truetype(str(path), size)
    except OSError as error:
        raise RichMenuError(texts.RICHMENU_BAD_FONT.format(path=path, error=error)) from None


def _label_size(path: Path, labels: Sequence[str], room: int, draw: ImageDraw.ImageDraw) -> int:
    """The largest size (down to a floor) at which every label fits `room` pixels across: one size for
    all, so the menu reads as one."""
    size = LABEL_SIZE_MAX
    while size > LABEL_SIZE_MIN:
        font = _font(path, size)
        widths = [draw.textbbox((0, 0), label, font=font) for label in labels]
        if all(right - left <= room for left, _, right, _ in widths):
            break
        size -= 6
    return size


def draw_image(menu: RichMenuSettings) -> bytes:
    """The menu's PNG: a tile per area with its label, centred, in the configured Thai font."""
    font_path = _font_file(menu.font_path)
    width, height, cells = grid(len(menu.areas))
    image = Image.new("RGB", (width, height), BACKGROUND)
    draw = ImageDraw.Draw(image)
    room = min(cell.width for cell in cells) - 8 * GAP
    font = _font(font_path, _label_size(font_path, [area.label for area in menu.areas], room, draw))
    for index, (area, cell) in enumerate(zip(menu.areas, cells, strict=True)):
        box = (cell.x + GAP, cell.y + GAP, cell.x + cell.width - GAP, cell.y + cell.height - GAP)
        draw.rounded_rectangle(box, radius=48, fill=CELL if index % 2 == 0 else CELL_ALT)
        centre = (cell.x + cell.width / 2, cell.y + cell.height / 2)
        draw.text(centre, area.label, font=font, fill=LABEL, anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    data = buffer.getvalue()
    if len(data) > IMAGE_BYTES_MAX:
        raise RichMenuError(texts.RICHMENU_IMAGE_TOO_LARGE.format(size=len(data), limit=IMAGE_BYTES_MAX))
    return data


# --- LINE ------------------------------------------------------------------------------------------


def _line_message(body: Any) -> str:
    try:
        data = json.loads(body)
    except (TypeError, ValueError):
        return ""
    if not isinstance(data, dict):
        return ""
    message = str(data.get("message", ""))
    details = data.get("details") or []
    if details and isinstance(details[0], dict):
        first = details[0]
        message += f" ({first.get('property', '')}: {first.get('message', '')})"
    return " ".join(message.split())[:300]


class RichMenuApi:
    """LINE's rich-menu endpoints through the SDK: JSON on the API host, the image on the data host."""

    def __init__(self, settings: Settings) -> None:
        line = settings.line
        if line.channel_access_token is None:
            raise RichMenuError(texts.RICHMENU_NO_TOKEN)
        token = line.channel_access_token.get_secret_value()
        self._clients = []
        for host in (line.api_base_url, line.data_base_url):
            configuration = Configuration(host=host, access_token=token)
            configuration.retries = False
            self._clients.append(ApiClient(configuration))
        self.api = MessagingApi(self._clients[0])
        self.blob = MessagingApiBlob(self._clients[1])
        self.timeout = (min(3.0, line.timeout_seconds), line.timeout_seconds)

    def close(self) -> None:
        for client in self._clients:
            client.close()

    def call(self, step: str, send: Callable[[], T]) -> T:
        """`send()`, with LINE's refusals and silences as a RichMenuError naming `step`."""
        try:
            return send()
        except ApiException as error:
            message = texts.RICHMENU_LINE_REFUSED.format(
                step=step, status=error.status, message=_line_message(error.body)
            )
            raise (_NotFound if error.status == 404 else RichMenuError)(message) from None
        except urllib3.exceptions.HTTPError as error:
            raise RichMenuError(
                texts.RICHMENU_LINE_UNREACHABLE.format(step=step, error=type(error).__name__)
            ) from None

    def optional(self, step: str, send: Callable[[], T]) -> T | None:
        """As `call`, with LINE's 404 (no such default, alias or menu) as None."""
        try:
            return self.call(step, send)
        except _NotFound:
            return None

    # The endpoints, each one SDK call.

    def menus(self, name: str) -> list[Any]:
        listed = self.call(
            texts.RICHMENU_STEP_LIST, lambda: self.api.get_rich_menu_list(_request_timeout=self.timeout)
        )
        return [menu for menu in listed.richmenus if menu.name == name]

    def default_id(self) -> str | None:
        found = self.optional(
            texts.RICHMENU_STEP_DEFAULT_GET,
            lambda: self.api.get_default_rich_menu_id(_request_timeout=self.timeout),
        )
        return None if found is None else str(found.rich_menu_id)

    def alias_target(self, alias: str) -> str | None:
        found = self.optional(
            texts.RICHMENU_STEP_ALIAS,
            lambda: self.api.get_rich_menu_alias(alias, _request_timeout=self.timeout),
        )
        return None if found is None else str(found.rich_menu_id)

    def create(self, request: dict[str, Any]) -> str:
        body = RichMenuRequest.from_dict(request)
        created = self.call(
            texts.RICHMENU_STEP_CREATE, lambda: self.api.create_rich_menu(body, _request_timeout=self.timeout)
        )
        return str(created.rich_menu_id)

    def upload(self, rich_menu_id: str, png: bytes) -> None:
        self.call(
            texts.RICHMENU_STEP_UPLOAD,
            lambda: self.blob.set_rich_menu_image(
                rich_menu_id, png, _headers={"Content-Type": "image/png"}, _request_timeout=self.timeout
            ),
        )

    def set_default(self, rich_menu_id: str) -> None:
        self.call(
            texts.RICHMENU_STEP_DEFAULT_SET,
            lambda: self.api.set_default_rich_menu(rich_menu_id, _request_timeout=self.timeout),
        )

    def cancel_default(self) -> None:
        self.call(
            texts.RICHMENU_STEP_DEFAULT_CANCEL,
            lambda: self.api.cancel_default_rich_menu(_request_timeout=self.timeout),
        )

    def point_alias(self, alias: str, rich_menu_id: str, *, exists: bool) -> None:
        if exists:
            update = UpdateRichMenuAliasRequest(richMenuId=rich_menu_id)
            self.call(
                texts.RICHMENU_STEP_ALIAS,
                lambda: self.api.update_rich_menu_alias(alias, update, _request_timeout=self.timeout),
            )
        else:
            create = CreateRichMenuAliasRequest(richMenuAliasId=alias, richMenuId=rich_menu_id)
            self.call(
                texts.RICHMENU_STEP_ALIAS,
                lambda: self.api.create_rich_menu_alias(create, _request_timeout=self.timeout),
            )

    def delete_alias(self, alias: str) -> None:
        self.call(
            texts.RICHMENU_STEP_ALIAS_DELETE,
            lambda: self.api.delete_rich_menu_alias(alias, _request_timeout=self.timeout),
        )

    def delete(self, rich_menu_id: str) -> None:
        self.optional(
            texts.RICHMENU_STEP_DELETE,
            lambda: self.api.delete_rich_menu(rich_menu_id, _request_timeout=self.timeout),
        )


@contextmanager
def _api(settings: Settings) -> Iterator[RichMenuApi]:
    api = RichMenuApi(settings)
    try:
        yield api
    finally:
        api.close()


@dataclass(frozen=True)
class Deployed:
    rich_menu_id: str
    areas: int
    replaced: Sequence[str]


def deploy(settings: Settings) -> Deployed:
    """Draw and install the menu as the default, with the alias; delete the menus it replaces."""
    menu = settings.richmenu
    png = draw_image(menu)  # a missing font stops here, before anything changes on LINE
    request = menu_request(menu)
    with _api(settings) as api:
        previous = [str(found.rich_menu_id) for found in api.menus(menu.name)]
        previous_default = api.default_id()
        alias_exists = api.alias_target(menu.alias) is not None
        new_id = api.create(request)
        try:
            api.upload(new_id, png)
            api.set_default(new_id)
            api.point_alias(menu.alias, new_id, exists=alias_exists)
        except RichMenuError:
            _roll_back(api, new_id, previous_default)
            raise
        for old_id in previous:
            api.delete(old_id)
    log.info("rich menu %s deployed, replacing %s", new_id, previous or "none")
    return Deployed(new_id, len(request["areas"]), previous)


def _roll_back(api: RichMenuApi, new_id: str, previous_default: str | None) -> None:
    """Leave LINE as it was: the previous default back, the half-installed menu gone."""
    try:
        if previous_default is not None and api.default_id() == new_id:
            api.set_default(previous_default)
        api.delete(new_id)
    except RichMenuError as error:
        log.warning("rich menu %s: rollback incomplete (%s)", new_id, error)


@dataclass(frozen=True)
class MenuState:
    rich_menu_id: str
    chat_bar_text: str
    areas: int


@dataclass(frozen=True)
class Status:
    default_id: str | None
    alias_target: str | None
    menus: Sequence[MenuState]


def status(settings: Settings) -> Status:
    """The default menu, the alias's menu and the menus of the configured name on LINE."""
    with _api(settings) as api:
        menus = [
            MenuState(str(found.rich_menu_id), str(found.chat_bar_text), len(found.areas))
            for found in api.menus(settings.richmenu.name)
        ]
        return Status(api.default_id(), api.alias_target(settings.richmenu.alias), menus)


@dataclass(frozen=True)
class Removed:
    menus: int
    alias: bool


def delete(settings: Settings) -> Removed:
    """Remove what deploy made: the default (if ours), the alias and the menus of the configured name."""
    menu = settings.richmenu
    with _api(settings) as api:
        ours = {str(found.rich_menu_id) for found in api.menus(menu.name)}
        if api.default_id() in ours:
            api.cancel_default()
        alias_target = api.alias_target(menu.alias)
        alias = alias_target is not None and alias_target in ours
        if alias:
            api.delete_alias(menu.alias)
        for rich_menu_id in sorted(ours):
            api.delete(rich_menu_id)
    return Removed(len(ours), alias)
