"""The simulator page: LINE chats in a browser, served by the emulator next to LINE's API paths.

`GET /simulator` is the page (`page/index.html`, `page/simulator.js`, `page/simulator.css`; Flex and
the rest are drawn by the shared renderer `bot/static/linechat.js`, read from disk). It talks JSON to:

=============================================  ===============================================
`GET  /simulator/api/world`                    the bot, officials, groups, quota; `next` item
`GET  /simulator/api/timeline?since=N`         `{"items": [...], "next": M}` (`ChatItem`s)
`POST /simulator/api/send`                     `{"type": "text", "userId", "groupId"?, "text"}`,
                                               `{"type": "action", ..., "action": {LINE action}}`,
                                               `{"type": "follow"|"unfollow", "userId"}`,
                                               `{"type": "join"|"leave", "groupId", "userId"?}`,
                                               `{"type": "memberJoined", "groupId", "userId"}`
                                               → `{"webhook": {...}}`; 409 `{"message"}` if LINE
                                               wouldn't let the user do it
`GET  /simulator/api/richmenu/{id}/image`      the image of a rich menu (the world names the default)
`GET  /simulator/api/webhooks/{index}`         one webhook sent: body, the bot's status and answer
`POST /simulator/api/webhooks/{index}/redeliver`  send it again with `isRedelivery: true`
=============================================  ===============================================

Like the control API, its routes answer only requests that name this machine in `Host`, and POSTs
only as `application/json` (`control.browser_refusal`): a page elsewhere can neither make a browser
send that cross-origin without a preflight, which is never answered, nor read the chats through a host
name of its own pointed at 127.0.0.1. The page runs no inline script (CSP `script-src 'self'`).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from aiohttp import web

from linesim.control import browser_refusal
from linesim.state import EmulatorError

if TYPE_CHECKING:
    from linesim.emulator import Emulator

PAGE_DIR: Final = Path(__file__).resolve().parent / "page"
SHARED_STATIC: Final = Path(__file__).resolve().parent.parent / "bot" / "static"
ASSETS: Final = {
    "simulator.js": (PAGE_DIR / "simulator.js", "text/javascript"),
    "simulator.css": (PAGE_DIR / "simulator.css", "text/css"),
    "linechat.js": (SHARED_STATIC / "linechat.js", "text/javascript"),
    "linechat.css": (SHARED_STATIC / "linechat.css", "text/css"),
}
SECURITY_HEADERS: Final = {
    # Images in Flex messages come from anywhere on https; everything else from here only.
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' https: data:; style-src 'self'; script-src 'self'; "
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class BadRequest(ValueError):
    """The page sent something malformed: 400."""


def add_simulator_routes(app: web.Application, emulator: Emulator) -> None:
    routes = SimulatorRoutes(emulator)
    app.router.add_get("/", _local(routes.home))
    app.router.add_get("/favicon.ico", _local(routes.no_icon))
    app.router.add_get("/simulator", _local(routes.page))
    app.router.add_get("/simulator/assets/{name}", _local(routes.asset))
    app.router.add_get("/simulator/api/world", _local(routes.world))
    app.router.add_get("/simulator/api/timeline", _local(routes.timeline))
    app.router.add_post("/simulator/api/send", _local(routes.send))
    app.router.add_get("/simulator/api/richmenu/{richMenuId}/image", _local(routes.rich_menu_image))
    app.router.add_get("/simulator/api/webhooks/{index}", _local(routes.webhook))
    app.router.add_post("/simulator/api/webhooks/{index}/redeliver", _local(routes.redeliver))


def _local(route: Handler) -> Handler:
    """`route`, for requests from this machine's own pages and programs only."""

    async def guarded(request: web.Request) -> web.StreamResponse:
        refused = browser_refusal(request)
        if refused is not None:
            return _json({"message": refused[1]}, refused[0])
        return await route(request)

    return guarded


def _json(body: Any, status: int = 200) -> web.Response:
    return web.Response(
        body=json.dumps(body, ensure_ascii=False).encode("utf-8"),
        status=status,
        content_type="application/json",
        headers=SECURITY_HEADERS,
    )


def _file(path: Path, content_type: str) -> web.Response:
    try:
        body = path.read_bytes()
    except OSError:
        return _json({"message": f"{path.name} not found"}, 404)
    return web.Response(body=body, content_type=content_type, charset="utf-8", headers=SECURITY_HEADERS)


class SimulatorRoutes:
    def __init__(self, emulator: Emulator) -> None:
        self.emulator = emulator

    async def home(self, request: web.Request) -> web.StreamResponse:
        raise web.HTTPFound("/simulator")

    async def no_icon(self, request: web.Request) -> web.StreamResponse:
        return web.Response(status=204)

    async def page(self, request: web.Request) -> web.StreamResponse:
        return _file(PAGE_DIR / "index.html", "text/html")

    async def asset(self, request: web.Request) -> web.StreamResponse:
        found = ASSETS.get(request.match_info["name"])
        if found is None:
            return _json({"message": "not found"}, 404)
        return _file(*found)

    async def world(self, request: web.Request) -> web.StreamResponse:
        return _json(self.emulator.page_world())

    async def timeline(self, request: web.Request) -> web.StreamResponse:
        try:
            since = max(0, int(request.query.get("since", "0")))
        except ValueError:
            return _json({"message": "since must be an integer"}, 400)
        items = self.emulator.timeline(since)
        following = items[-1].index + 1 if items else since
        return _json({"items": [item.to_json() for item in items], "next": following})

    async def send(self, request: web.Request) -> web.StreamResponse:
        try:
            body = await request.json()
            if not isinstance(body, dict):
                raise BadRequest("the body must be a JSON object")
            act = self._action(body)
        except (ValueError, KeyError, TypeError) as error:
            return _json({"message": f"{type(error).__name__}: {error}"}, 400)
        try:
            # The webhook is a blocking HTTP call to the bot, which may call back into this loop.
            call = await asyncio.to_thread(act)
        except EmulatorError as error:
            return _json({"message": str(error)}, 409)
        return _json({"webhook": None if call is None else call.to_json()})

    def _action(self, body: dict[str, Any]) -> Callable[[], Any]:
        """What the page asked for, checked, as a call to make off the event loop."""
        emulator = self.emulator
        kind = body.get("type")
        user_id = _optional_str(body, "userId")
        group_id = _optional_str(body, "groupId")
        if kind == "text":
            text, who = body.get("text"), _required(user_id, "userId")
            if not isinstance(text, str):
                raise BadRequest("text must be a string")
            return lambda: emulator.say(who, text, group_id)
        if kind == "action":
            action, who = body.get("action"), _required(user_id, "userId")
            if not isinstance(action, dict):
                raise BadRequest("action must be a LINE action object")
            return lambda: emulator.press(who, action, group_id)
        if kind in ("follow", "unfollow"):
            who = _required(user_id, "userId")
            return lambda: emulator.follow(who) if kind == "follow" else emulator.unfollow(who)
        if kind in ("join", "leave"):
            group = _required(group_id, "groupId")
            return lambda: emulator.join(group, user_id) if kind == "join" else emulator.leave(group, user_id)
        if kind == "memberJoined":
            group, who = _required(group_id, "groupId"), _required(user_id, "userId")
            return lambda: emulator.member_joined(group, who)
        raise BadRequest(f"unknown type {kind!r}")

    async def rich_menu_image(self, request: web.Request) -> web.StreamResponse:
        found = self.emulator.rich_menu_image(request.match_info["richMenuId"])
        if found is None:
            return _json({"message": "no such rich menu image"}, 404)
        image, content_type = found
        return web.Response(body=image, content_type=content_type, headers=SECURITY_HEADERS)

    async def webhook(self, request: web.Request) -> web.StreamResponse:
        try:
            call = self.emulator.webhook(_index(request))
        except BadRequest as error:
            return _json({"message": str(error)}, 400)
        except EmulatorError as error:
            return _json({"message": str(error)}, 404)
        return _json(call.to_json())

    async def redeliver(self, request: web.Request) -> web.StreamResponse:
        try:
            index = _index(request)
            call = await asyncio.to_thread(self.emulator.redeliver, index)
        except BadRequest as error:
            return _json({"message": str(error)}, 400)
        except EmulatorError as error:
            return _json({"message": str(error)}, 409)
        return _json({"webhook": call.to_json()})


def _optional_str(body: dict[str, Any], name: str) -> str | None:
    value = body.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise BadRequest(f"{name} must be a string")
    return value


def _required(value: str | None, name: str) -> str:
    if value is None:
        raise BadRequest(f"{name} is required")
    return value


def _index(request: web.Request) -> int:
    try:
        return int(request.match_info["index"])
    except ValueError:
        raise BadRequest("the webhook index must be an integer") from None
