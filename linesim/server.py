"""The stand-in's HTTP side: LINE's Messaging API paths, the control API, and `LineStandIn`.

Every request to a LINE path goes through the same steps (`LineApi._exchange`):
read the body (over 2 MB: 413) → Authorization must be `Bearer <token>` (401) → failures decided at
arrival (`fail_next`, the endpoint's token bucket, random 500s and 429s) → the configured latency,
awaited (`asyncio.sleep`, so thousands of requests wait at once) → validation against LINE's schemas
(400 with `details`) → the operation on `StandInState` (which may still fail *after* accepting a
send) → the answer, with a fresh `x-line-request-id` → recorded.

`LineStandIn` runs all this in a background thread with its own event loop; see the package
docstring for the control API and examples.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import threading
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Final, Self

import orjson
from aiohttp import web

from linesim.control import add_control_routes
from linesim.state import (
    AUTH_FAILED,
    NOT_FOUND,
    Answer,
    RecordedRequest,
    StandInConfig,
    StandInState,
    line_error,
    new_request_id,
)
from linesim.validation import LIMITS, MessagingSpec, default_spec

log = logging.getLogger(__name__)
# Generous for the control API (a world of thousands of groups); LINE paths enforce LIMITS themselves.
_CLIENT_MAX_SIZE: Final = 64 * 1024 * 1024
Operation = Callable[["Call"], Answer]


@dataclass
class Call:
    """One request to a LINE path, as an operation sees it."""

    request_id: str
    endpoint: str
    request: web.Request
    body: bytes
    _json: Any = field(default=None, init=False)
    _parsed: bool = field(default=False, init=False)

    @property
    def params(self) -> Mapping[str, str]:
        return self.request.match_info

    @property
    def retry_key(self) -> str | None:
        return self.request.headers.get("X-Line-Retry-Key")

    def json(self) -> Any:
        """The body parsed as JSON; ValueError if it isn't JSON."""
        if not self._parsed:
            self._json = orjson.loads(self.body) if self.body else None  # JSONDecodeError: a ValueError
            self._parsed = True
        return self._json


class LineApi:
    """Builds the aiohttp application serving `state`: LINE's paths plus `/_standin/` control."""

    def __init__(
        self,
        state: StandInState,
        spec: MessagingSpec | None = None,
        *,
        extra_routes: Callable[[web.Application], None] | None = None,
    ) -> None:
        """`extra_routes(app)` adds routes of its own (the emulator's pages) before the catch-all 404."""
        self.state = state
        self.spec = spec or default_spec()
        self.extra_routes = extra_routes

    def application(self) -> web.Application:
        app = web.Application(client_max_size=_CLIENT_MAX_SIZE)
        line_routes: list[tuple[str, str, str, Operation]] = [
            ("POST", "/v2/bot/message/reply", "reply", self._reply),
            ("POST", "/v2/bot/message/push", "push", self._push),
            ("POST", "/v2/bot/message/multicast", "multicast", self._multicast),
            ("GET", "/v2/bot/profile/{userId}", "profile", self._profile),
            ("GET", "/v2/bot/group/{groupId}/summary", "group_summary", self._group_summary),
            ("GET", "/v2/bot/group/{groupId}/members/count", "group_member_count", self._member_count),
            ("GET", "/v2/bot/group/{groupId}/member/{userId}", "group_member_profile", self._member),
            ("POST", "/v2/bot/group/{groupId}/leave", "group_leave", self._leave),
            ("GET", "/v2/bot/message/quota", "quota", lambda call: self.state.quota()),
            ("GET", "/v2/bot/message/quota/consumption", "quota_consumption", self._consumption),
            ("POST", "/v2/bot/chat/loading/start", "loading", self._loading),
            # Rich menus. The fixed paths come before /v2/bot/richmenu/{richMenuId}, which would
            # take "list" or "alias" for an id. The image paths are on LINE's data host
            # (api-data.line.me); the stand-in serves both hosts on one address.
            ("POST", "/v2/bot/richmenu", "richmenu_create", self._create_rich_menu),
            ("POST", "/v2/bot/richmenu/validate", "richmenu_validate", self._validate_rich_menu),
            ("GET", "/v2/bot/richmenu/list", "richmenu_list", lambda call: self.state.rich_menu_list()),
            ("POST", "/v2/bot/richmenu/alias", "richmenu_alias_create", self._create_alias),
            ("GET", "/v2/bot/richmenu/alias/list", "richmenu_alias_list", self._alias_list),
            ("GET", "/v2/bot/richmenu/alias/{aliasId}", "richmenu_alias_get", self._alias),
            ("POST", "/v2/bot/richmenu/alias/{aliasId}", "richmenu_alias_update", self._update_alias),
            ("DELETE", "/v2/bot/richmenu/alias/{aliasId}", "richmenu_alias_delete", self._delete_alias),
            ("GET", "/v2/bot/richmenu/{richMenuId}", "richmenu_get", self._rich_menu),
            ("DELETE", "/v2/bot/richmenu/{richMenuId}", "richmenu_delete", self._delete_rich_menu),
            ("POST", "/v2/bot/richmenu/{richMenuId}/content", "richmenu_image_upload", self._upload_image),
            ("GET", "/v2/bot/richmenu/{richMenuId}/content", "richmenu_image_download", self._image),
            ("POST", "/v2/bot/user/all/richmenu/{richMenuId}", "richmenu_default_set", self._set_default),
            ("GET", "/v2/bot/user/all/richmenu", "richmenu_default_get", self._default),
            ("DELETE", "/v2/bot/user/all/richmenu", "richmenu_default_cancel", self._cancel_default),
        ]
        for method, path, endpoint, operation in line_routes:
            app.router.add_route(method, path, self._handler(endpoint, operation))
        add_control_routes(app, self.state)
        if self.extra_routes is not None:
            self.extra_routes(app)
        app.router.add_route("*", "/{tail:.*}", self._handler("unknown", self._not_found))
        return app

    def _handler(
        self, endpoint: str, operation: Operation
    ) -> Callable[[web.Request], Awaitable[web.Response]]:
        async def handle(request: web.Request) -> web.Response:
            return await self._exchange(request, endpoint, operation)

        return handle

    async def _exchange(self, request: web.Request, endpoint: str, operation: Operation) -> web.Response:
        state = self.state
        call = Call(new_request_id(), endpoint, request, b"")
        received_at = state.clock()
        answer: Answer | None = None
        too_large = request.content_length is not None and request.content_length > LIMITS.request_body_bytes
        if not too_large:
            call.body = await request.read()
            too_large = len(call.body) > LIMITS.request_body_bytes
        if too_large:
            answer = Answer(413, line_error("Request Entity Too Large"))
        elif not self._authorized(request):
            answer = Answer(401, line_error(AUTH_FAILED))
        else:
            answer = state.admit(endpoint)
        delay = state.latency_for(endpoint)
        if delay > 0:
            await asyncio.sleep(delay)
        if answer is None:
            try:
                answer = operation(call)
            except Exception as error:  # a stand-in bug must show, recorded, not as a bare aiohttp 500
                log.exception("linesim: %s failed", endpoint)
                answer = Answer(500, line_error(f"linesim internal error: {error!r}"), fault="internal")
        response = web.Response(
            body=orjson.dumps(answer.body) if answer.content is None else answer.content,
            status=answer.status,
            content_type=answer.content_type,
            headers={"x-line-request-id": call.request_id, **answer.headers},
        )
        headers = {name: value for name, value in request.headers.items() if name.lower() != "authorization"}
        state.record(
            RecordedRequest(
                index=-1,
                time=received_at,
                endpoint=endpoint,
                method=request.method,
                path=request.path,
                query=request.query_string,
                headers=headers,
                raw_body=None if too_large else call.body,
                status=answer.status,
                request_id=call.request_id,
                retry_key=call.retry_key,
                fault=answer.fault,
                response=dict(answer.body),
            )
        )
        return response

    def _authorized(self, request: web.Request) -> bool:
        given = request.headers.get("Authorization", "")
        return hmac.compare_digest(given.encode(), f"Bearer {self.state.token}".encode())

    # --- Operations ------------------------------------------------------------------------------

    def _valid_body(self, call: Call, schema: str) -> tuple[Mapping[str, Any] | None, Answer | None]:
        try:
            body = call.json()
        except ValueError:
            return None, Answer(
                400, line_error("The request body has 1 error(s)", [{"message": "invalid JSON"}])
            )
        problems = self.spec.request_problems(schema, body)
        if problems:
            details = [problem.as_detail() for problem in problems]
            return None, Answer(400, line_error(f"The request body has {len(details)} error(s)", details))
        return body, None

    def _retry_key(self, call: Call) -> tuple[str | None, Answer | None]:
        key = call.retry_key
        if key is None:
            return None, None
        try:
            uuid.UUID(key)
        except ValueError:
            return None, Answer(400, line_error("The value of the X-Line-Retry-Key header is invalid"))
        return key, None

    def _reply(self, call: Call) -> Answer:
        if call.retry_key is not None:
            return Answer(400, line_error("X-Line-Retry-Key is not supported by the reply API"))
        body, invalid = self._valid_body(call, "ReplyMessageRequest")
        return invalid or self.state.reply(_given(body), call.request_id)

    def _push(self, call: Call) -> Answer:
        key, bad_key = self._retry_key(call)
        if bad_key:
            return bad_key
        body, invalid = self._valid_body(call, "PushMessageRequest")
        return invalid or self.state.push(_given(body), key, call.request_id)

    def _multicast(self, call: Call) -> Answer:
        key, bad_key = self._retry_key(call)
        if bad_key:
            return bad_key
        body, invalid = self._valid_body(call, "MulticastRequest")
        return invalid or self.state.multicast(_given(body), key, call.request_id)

    def _loading(self, call: Call) -> Answer:
        body, invalid = self._valid_body(call, "ShowLoadingAnimationRequest")
        return invalid or self.state.show_loading(_given(body))

    def _profile(self, call: Call) -> Answer:
        return self.state.profile(call.params["userId"])

    def _group_summary(self, call: Call) -> Answer:
        return self.state.group_summary(call.params["groupId"])

    def _member_count(self, call: Call) -> Answer:
        return self.state.group_member_count(call.params["groupId"])

    def _member(self, call: Call) -> Answer:
        return self.state.group_member_profile(call.params["groupId"], call.params["userId"])

    def _leave(self, call: Call) -> Answer:
        return self.state.leave_group(call.params["groupId"])

    def _consumption(self, call: Call) -> Answer:
        return self.state.quota_consumption()

    # Rich menus

    def _create_rich_menu(self, call: Call) -> Answer:
        body, invalid = self._valid_body(call, "RichMenuRequest")
        return invalid or self.state.create_rich_menu(_given(body))

    def _validate_rich_menu(self, call: Call) -> Answer:
        _, invalid = self._valid_body(call, "RichMenuRequest")
        return invalid or Answer(200, {})

    def _rich_menu(self, call: Call) -> Answer:
        return self.state.rich_menu(call.params["richMenuId"])

    def _delete_rich_menu(self, call: Call) -> Answer:
        return self.state.delete_rich_menu(call.params["richMenuId"])

    def _upload_image(self, call: Call) -> Answer:
        content_type = call.request.headers.get("Content-Type", "").split(";")[0].strip().lower()
        return self.state.upload_rich_menu_image(call.params["richMenuId"], content_type, call.body)

    def _image(self, call: Call) -> Answer:
        found = self.state.rich_menu_image(call.params["richMenuId"])
        if found is None:
            return Answer(404, line_error(NOT_FOUND))
        return Answer(200, {}, content=found[0], content_type=found[1])

    def _set_default(self, call: Call) -> Answer:
        return self.state.set_default_rich_menu(call.params["richMenuId"])

    def _default(self, call: Call) -> Answer:
        return self.state.default_rich_menu()

    def _cancel_default(self, call: Call) -> Answer:
        return self.state.cancel_default_rich_menu()

    def _create_alias(self, call: Call) -> Answer:
        body, invalid = self._valid_body(call, "CreateRichMenuAliasRequest")
        if invalid:
            return invalid
        given = _given(body)
        return self.state.create_rich_menu_alias(str(given["richMenuAliasId"]), str(given["richMenuId"]))

    def _update_alias(self, call: Call) -> Answer:
        body, invalid = self._valid_body(call, "UpdateRichMenuAliasRequest")
        if invalid:
            return invalid
        return self.state.update_rich_menu_alias(call.params["aliasId"], str(_given(body)["richMenuId"]))

    def _alias(self, call: Call) -> Answer:
        return self.state.rich_menu_alias(call.params["aliasId"])

    def _alias_list(self, call: Call) -> Answer:
        return self.state.rich_menu_alias_list()

    def _delete_alias(self, call: Call) -> Answer:
        return self.state.delete_rich_menu_alias(call.params["aliasId"])

    def _not_found(self, call: Call) -> Answer:
        return Answer(404, line_error(NOT_FOUND))


def _given(body: Mapping[str, Any] | None) -> Mapping[str, Any]:
    assert body is not None  # _valid_body returns a body or an answer
    return body


class LineStandIn(StandInState):
    """LINE's Messaging API on 127.0.0.1, in a background thread: world, rules, faults and recordings.

        with LineStandIn(token="t", latency_ms=40) as standin:
            standin.add_group("C1", member_count=20)
            conf = linebot.v3.messaging.Configuration(host=standin.base_url, access_token="t")
            ...
            assert standin.delivery_counts() == {"C1": 1}

    Keyword arguments other than `host`, `port`, `config` and `clock` are `StandInConfig` fields.
    Port 0 (the default) takes a free port; `base_url` tells which.
    """

    def __init__(
        self,
        token: str,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        config: StandInConfig | None = None,
        clock: Callable[[], float] = time.time,
        **config_changes: Any,
    ) -> None:
        super().__init__(token, (config or StandInConfig()).replace(**config_changes), clock=clock)
        self.host = host
        self._requested_port = port
        self._port: int | None = None
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop_event: asyncio.Event | None = None
        self._startup_error: BaseException | None = None

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("the stand-in is not running: call start() first")
        return self._port

    @property
    def base_url(self) -> str:
        """`http://127.0.0.1:PORT`: what `LINE_API_BASE_URL` or `Configuration(host=...)` takes."""
        return f"http://{self.host}:{self.port}"

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, timeout: float = 10.0) -> Self:
        """Serve in a background thread; returns once the port is bound."""
        if self._thread is not None:
            raise RuntimeError("the stand-in is already running")
        api = self.api()  # compiles the validators before the first request
        ready = threading.Event()
        self._startup_error = None
        self._thread = threading.Thread(
            target=lambda: asyncio.run(self._serve(api, ready)), name="linesim", daemon=True
        )
        self._thread.start()
        if not ready.wait(timeout):
            self.stop()
            raise TimeoutError(f"the stand-in did not start within {timeout} s")
        if self._startup_error is not None:
            self._thread.join()
            self._thread = None
            raise RuntimeError(
                f"the stand-in could not start: {self._startup_error}"
            ) from self._startup_error
        return self

    def api(self) -> LineApi:
        """The HTTP side serving this state (subclasses add routes of their own)."""
        return LineApi(self)

    def stop(self, timeout: float = 10.0) -> None:
        """Stop serving and join the thread (in-flight requests get `timeout` seconds to finish)."""
        thread, loop, stop_event = self._thread, self._loop, self._stop_event
        if thread is None:
            return
        if loop is not None and stop_event is not None and thread.is_alive():
            loop.call_soon_threadsafe(stop_event.set)
        thread.join(timeout)
        if thread.is_alive():
            raise TimeoutError(f"the stand-in's thread did not stop within {timeout} s")
        self._thread = self._loop = self._stop_event = None
        self._port = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    async def _serve(self, api: LineApi, ready: threading.Event) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop_event = asyncio.Event()
        try:
            runner = await start_runner(api, self.host, self._requested_port)
        except OSError as error:
            self._startup_error = error
            ready.set()
            return
        try:
            self._port = bound_port(runner)
            ready.set()
            await self._stop_event.wait()
        finally:
            await runner.cleanup()


async def start_runner(api: LineApi, host: str, port: int, *, backlog: int = 2048) -> web.AppRunner:
    """Set up and start serving `api` on host:port; the caller owns the runner (`await runner.cleanup()`)."""
    runner = web.AppRunner(api.application(), access_log=None, shutdown_timeout=2.0)
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port, backlog=backlog).start()
    except BaseException:
        await runner.cleanup()
        raise
    return runner


def bound_port(runner: web.AppRunner) -> int:
    for address in runner.addresses:
        if isinstance(address, tuple) and len(address) >= 2:
            return int(address[1])
    raise RuntimeError("the stand-in is not listening on a TCP port")
