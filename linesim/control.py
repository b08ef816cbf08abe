"""The control API under `/_standin/`: set up the world, inject faults, read what was received.

No authentication (it is not LINE's), JSON in and out, bad input → 400 `{"message": ...}`. The
routes mirror `StandInState`'s Python methods; the package docstring lists them.

It is for programs on this machine, never for a web page: a page elsewhere can make the browser of
someone running the emulator send a form (`text/plain`, no preflight) here, or point its own host name
at 127.0.0.1 (DNS rebinding) and read the answers. So every request must name this machine in `Host`
(127.0.0.1, localhost, [::1] or the address the server listens on, any port: a rebound name is
refused), and every POST must be `application/json`, which a cross-origin page cannot send without a
preflight nobody answers (`browser_refusal`, also used by the simulator's API).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Final
from urllib.parse import urlsplit

from aiohttp import web

from linesim.state import StandInState

Handler = Callable[[web.Request], Awaitable[web.Response]]
_PREFIX: Final = "/_standin"
LOOPBACK_HOSTS: Final = frozenset({"127.0.0.1", "localhost", "::1"})


class ControlError(ValueError):
    """Bad input to the control API: answered 400."""


def add_control_routes(app: web.Application, state: StandInState) -> None:
    routes: list[tuple[str, str, Callable[[StandInState, web.Request, Any], Any]]] = [
        ("GET", "/health", lambda s, r, b: {"ok": True}),
        ("GET", "/received", _received),
        ("GET", "/deliveries", _deliveries),
        ("GET", "/config", lambda s, r, b: s.config.to_json()),
        ("POST", "/config", _configure),
        ("POST", "/fail-next", _fail_next),
        ("GET", "/world", lambda s, r, b: s.world_json()),
        ("POST", "/world", _world),
        ("POST", "/reply-tokens", _reply_token),
        ("POST", "/reset", _reset),
    ]
    for method, path, action in routes:
        app.router.add_route(method, _PREFIX + path, _handler(state, action))


def browser_refusal(request: web.Request) -> tuple[int, str] | None:
    """(status, message) when a request may come from a web page elsewhere (see the module's
    docstring); None when it is for this API."""
    try:
        host = urlsplit(f"//{request.host}").hostname
    except ValueError:  # a malformed Host, e.g. an unclosed [
        host = None
    sockname = request.transport.get_extra_info("sockname") if request.transport else None
    listening = sockname[0] if isinstance(sockname, tuple) else None
    if host is None or (host not in LOOPBACK_HOSTS and host != listening):
        return 403, "Host must be 127.0.0.1, localhost or [::1]: this API is for this machine only"
    if request.method not in ("GET", "HEAD") and request.content_type != "application/json":
        return 415, "Content-Type must be application/json"
    return None


def _handler(state: StandInState, action: Callable[[StandInState, web.Request, Any], Any]) -> Handler:
    async def handle(request: web.Request) -> web.Response:
        refused = browser_refusal(request)
        if refused is not None:
            return web.json_response({"message": refused[1]}, status=refused[0])
        try:
            body = await request.json() if request.can_read_body else {}
            if not isinstance(body, dict):
                raise ControlError("the body must be a JSON object")
            return web.json_response(action(state, request, body))
        except (ValueError, TypeError, KeyError) as error:
            return web.json_response({"message": f"{type(error).__name__}: {error}"}, status=400)

    return handle


def _int_query(request: web.Request, name: str) -> int:
    try:
        return int(request.query.get(name, "0"))
    except ValueError as error:
        raise ControlError(f"{name} must be an integer") from error


def _received(state: StandInState, request: web.Request, body: Any) -> dict[str, Any]:
    since = _int_query(request, "since")
    records = state.received(since, endpoint=request.query.get("endpoint"))
    following = records[-1].index + 1 if records else since
    if request.query.get("summary") in ("1", "true"):  # for pollers: no bodies to encode and decode
        statuses = Counter(str(record.status) for record in records)
        last = {str(record.status): record.time for record in records}
        return {"count": len(records), "statuses": statuses, "lastTime": last, "next": following}
    return {"requests": [record.to_json() for record in records], "next": following}


def _deliveries(state: StandInState, request: web.Request, body: Any) -> dict[str, Any]:
    counts = state.delivery_counts()
    answer: dict[str, Any] = {"counts": counts, "total": sum(counts.values())}
    if request.query.get("detail") in ("1", "true"):
        answer["deliveries"] = [d.to_json() for d in state.deliveries(_int_query(request, "since"))]
    return answer


def _configure(state: StandInState, request: web.Request, body: dict[str, Any]) -> dict[str, Any]:
    return state.configure(**body).to_json()


def _fail_next(state: StandInState, request: web.Request, body: dict[str, Any]) -> dict[str, Any]:
    state.fail_next(int(body["count"]), int(body.get("status", 500)), body.get("endpoint"))
    return {"ok": True}


def _world(state: StandInState, request: web.Request, body: dict[str, Any]) -> dict[str, Any]:
    for user in body.get("users", []):
        state.add_user(
            user["userId"],
            user.get("displayName"),
            picture_url=user.get("pictureUrl"),
            language=user.get("language"),
            status_message=user.get("statusMessage"),
        )
    for group in body.get("groups", []):
        state.add_group(
            group["groupId"],
            group.get("groupName"),
            member_count=group.get("memberCount"),
            picture_url=group.get("pictureUrl"),
            bot_is_member=bool(group.get("botIsMember", True)),
            member_ids=group.get("memberIds", ()),
        )
    created: list[str] = []
    bulk: Mapping[str, Any] | None = body.get("bulkGroups")
    if bulk is not None:
        created = state.add_groups(
            int(bulk["count"]),
            member_count=int(bulk.get("memberCount", 10)),
            name_prefix=str(bulk.get("namePrefix", "Group")),
        )
    quota = body.get("quota")
    if quota is not None:
        state.set_quota(quota["type"], quota.get("value"))
    if "totalUsage" in body:
        state.set_consumption(int(body["totalUsage"]))
    world = state.world_json()
    return {"users": len(world["users"]), "groups": len(world["groups"]), "createdGroupIds": created}


def _reply_token(state: StandInState, request: web.Request, body: dict[str, Any]) -> dict[str, Any]:
    token = state.issue_reply_token(
        body.get("chatId"), token=body.get("replyToken"), issued_at=body.get("issuedAt")
    )
    return {"replyToken": token}


def _reset(state: StandInState, request: web.Request, body: dict[str, Any]) -> dict[str, Any]:
    state.reset(keep_world=bool(body.get("keepWorld", False)))
    return {"ok": True}
