"""The stand-in's rich-menu endpoints over real HTTP: what LINE accepts, and what it refuses and how.

Rich menu objects are checked against `RichMenuRequest` in messaging-api.yml and LINE's rules the spec
leaves out (size 800–2500 wide, at least 250 high, width/height ≥ 1.45; areas inside the menu; action
texts); images must be PNG or JPEG, at most 1 MB, exactly the menu's size, uploaded once.
"""

from __future__ import annotations

import copy
import io
import re
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from PIL import Image

from linesim import LineStandIn

TOKEN = "test-channel-access-token"


@pytest.fixture(scope="module")
def server() -> Iterator[LineStandIn]:
    with LineStandIn(token=TOKEN) as running:
        yield running


@pytest.fixture
def standin(server: LineStandIn) -> LineStandIn:
    server.reset()
    return server


@pytest.fixture
def http(standin: LineStandIn) -> Iterator[requests.Session]:
    with requests.Session() as session:
        session.headers["Authorization"] = f"Bearer {TOKEN}"
        yield session


def menu(width: int = 2500, height: int = 1686, columns: int = 3, rows: int = 2) -> dict[str, Any]:
    """A valid rich menu object: a grid of message actions covering the menu."""
    areas = []
    for index in range(columns * rows):
        row, column = divmod(index, columns)
        x0, x1 = width * column // columns, width * (column + 1) // columns
        y0, y1 = height * row // rows, height * (row + 1) // rows
        areas.append(
            {
                "bounds": {"x": x0, "y": y0, "width": x1 - x0, "height": y1 - y0},
                "action": {"type": "message", "label": f"ปุ่ม {index + 1}", "text": f"ข้อความ {index + 1}"},
            }
        )
    return {
        "size": {"width": width, "height": height},
        "selected": True,
        "name": "เมนู",
        "chatBarText": "เมนู",
        "areas": areas,
    }


def image(width: int, height: int, kind: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (30, 80, 150)).save(buffer, format=kind)
    return buffer.getvalue()


def url(standin: LineStandIn, path: str) -> str:
    return f"{standin.base_url}{path}"


def create(http: requests.Session, standin: LineStandIn, body: dict[str, Any] | None = None) -> str:
    response = http.post(url(standin, "/v2/bot/richmenu"), json=body or menu(), timeout=5)
    assert response.status_code == 200, response.text
    rich_menu_id: str = response.json()["richMenuId"]
    return rich_menu_id


def upload(
    http: requests.Session,
    standin: LineStandIn,
    rich_menu_id: str,
    data: bytes,
    content_type: str = "image/png",
) -> requests.Response:
    return http.post(
        url(standin, f"/v2/bot/richmenu/{rich_menu_id}/content"),
        data=data,
        headers={"Content-Type": content_type},
        timeout=5,
    )


def installed(http: requests.Session, standin: LineStandIn) -> str:
    """A menu with its image: ready to be the default."""
    rich_menu_id = create(http, standin)
    assert upload(http, standin, rich_menu_id, image(2500, 1686)).status_code == 200
    return rich_menu_id


# --- create, validate, get, list, delete -------------------------------------------------------------


@pytest.mark.parametrize(
    ("width", "height", "columns", "rows"),
    [(2500, 1686, 3, 2), (2500, 843, 3, 1), (1200, 405, 2, 1), (800, 250, 1, 1)],
)
def test_menus_of_every_allowed_size_are_created_and_read_back(
    http: requests.Session, standin: LineStandIn, width: int, height: int, columns: int, rows: int
) -> None:
    body = menu(width, height, columns, rows)
    rich_menu_id = create(http, standin, body)
    assert re.fullmatch(r"richmenu-[0-9a-f]{32}", rich_menu_id)
    got = http.get(url(standin, f"/v2/bot/richmenu/{rich_menu_id}"), timeout=5)
    assert got.status_code == 200
    assert got.json() == {"richMenuId": rich_menu_id, **body}
    listed = http.get(url(standin, "/v2/bot/richmenu/list"), timeout=5).json()["richmenus"]
    assert [found["richMenuId"] for found in listed] == [rich_menu_id]


def _broken(change: str) -> dict[str, Any]:
    body = menu()
    if change == "no chatBarText":
        del body["chatBarText"]
    elif change == "long chatBarText":
        body["chatBarText"] = "เมนูของเจ้าหน้าที่ สถ."
    elif change == "long name":
        body["name"] = "ก" * 301
    elif change == "too narrow":
        body["size"]["width"] = 700
    elif change == "too wide":
        body["size"]["width"] = 2600
    elif change == "too low":
        body["size"] = {"width": 800, "height": 200}
    elif change == "too square":
        body["size"] = {"width": 2500, "height": 2500}
    elif change == "area outside":
        body["areas"][5]["bounds"]["x"] = 2000
    elif change == "negative x":
        body["areas"][0]["bounds"]["x"] = -1
    elif change == "no bounds":
        del body["areas"][0]["bounds"]
    elif change == "unknown action":
        body["areas"][0]["action"] = {"type": "teleport", "label": "ไป"}
    elif change == "message without text":
        del body["areas"][0]["action"]["text"]
    elif change == "long label":
        body["areas"][0]["action"]["label"] = "ก" * 21
    elif change == "long text":
        body["areas"][0]["action"]["text"] = "ก" * 301
    elif change == "long postback data":
        body["areas"][0]["action"] = {"type": "postback", "data": "x" * 301}
    elif change == "21 areas":
        body["areas"] = [copy.deepcopy(body["areas"][0]) for _ in range(21)]
    return body


REFUSED = [
    ("no chatBarText", "chatBarText"),
    ("long chatBarText", "chatBarText"),
    ("long name", "name"),
    ("too narrow", "size.width"),
    ("too wide", "size.width"),
    ("too low", "size.height"),
    ("too square", "size"),
    ("area outside", "areas[5].bounds"),
    ("negative x", "areas[0].bounds.x"),
    ("no bounds", "areas[0].bounds"),
    ("unknown action", "areas[0].action.type"),
    ("message without text", "areas[0].action.text"),
    ("long label", "areas[0].action.label"),
    ("long text", "areas[0].action.text"),
    ("long postback data", "areas[0].action.data"),
    ("21 areas", "areas"),
]


@pytest.mark.parametrize(("change", "prop"), REFUSED, ids=[case[0] for case in REFUSED])
def test_invalid_menus_are_refused_naming_the_property_and_nothing_is_created(
    http: requests.Session, standin: LineStandIn, change: str, prop: str
) -> None:
    for path in ("/v2/bot/richmenu", "/v2/bot/richmenu/validate"):
        response = http.post(url(standin, path), json=_broken(change), timeout=5)
        assert response.status_code == 400, (path, response.text)
        assert prop in [detail["property"] for detail in response.json()["details"]], response.json()
    assert http.get(url(standin, "/v2/bot/richmenu/list"), timeout=5).json() == {"richmenus": []}


def test_validate_accepts_a_valid_menu_without_creating_it(
    http: requests.Session, standin: LineStandIn
) -> None:
    response = http.post(url(standin, "/v2/bot/richmenu/validate"), json=menu(), timeout=5)
    assert response.status_code == 200
    assert http.get(url(standin, "/v2/bot/richmenu/list"), timeout=5).json() == {"richmenus": []}


def test_a_postback_that_opens_the_keyboard_is_accepted(http: requests.Session, standin: LineStandIn) -> None:
    body = menu()
    body["areas"][1]["action"] = {
        "type": "postback",
        "label": "ค้นหา",
        "data": "action=search",
        "displayText": "ค้นหา",
        "inputOption": "openKeyboard",
        "fillInText": "ค้นหา ",
    }
    create(http, standin, body)
    body["areas"][1]["action"]["inputOption"] = "openTelepathy"
    assert http.post(url(standin, "/v2/bot/richmenu"), json=body, timeout=5).status_code == 400


def test_a_menu_is_deleted_once(http: requests.Session, standin: LineStandIn) -> None:
    rich_menu_id = create(http, standin)
    assert http.delete(url(standin, f"/v2/bot/richmenu/{rich_menu_id}"), timeout=5).status_code == 200
    assert http.get(url(standin, f"/v2/bot/richmenu/{rich_menu_id}"), timeout=5).status_code == 404
    assert http.delete(url(standin, f"/v2/bot/richmenu/{rich_menu_id}"), timeout=5).status_code == 404
    assert http.get(url(standin, "/v2/bot/richmenu/list"), timeout=5).json() == {"richmenus": []}


def test_rich_menu_paths_need_the_channel_token(standin: LineStandIn) -> None:
    response = requests.get(url(standin, "/v2/bot/richmenu/list"), timeout=5)
    assert response.status_code == 401
    response = requests.post(url(standin, "/v2/bot/richmenu"), json=menu(), timeout=5)
    assert response.status_code == 401


# --- the image ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "content_type"), [("PNG", "image/png"), ("JPEG", "image/jpeg")])
def test_an_image_of_the_menus_size_is_uploaded_once_and_downloaded(
    http: requests.Session, standin: LineStandIn, kind: str, content_type: str
) -> None:
    rich_menu_id = create(http, standin)
    data = image(2500, 1686, kind)
    assert upload(http, standin, rich_menu_id, data, content_type).status_code == 200
    downloaded = http.get(url(standin, f"/v2/bot/richmenu/{rich_menu_id}/content"), timeout=5)
    assert downloaded.status_code == 200
    assert downloaded.headers["Content-Type"] == content_type
    assert downloaded.content == data
    again = upload(http, standin, rich_menu_id, data, content_type)
    assert again.status_code == 400
    assert "already been uploaded" in again.json()["message"]


@pytest.mark.parametrize(
    ("data", "content_type", "status", "says"),
    [
        (image(2500, 843), "image/png", 400, "size"),  # a 2500x843 image on a 2500x1686 menu
        (image(1686, 2500), "image/png", 400, "size"),
        (image(2500, 1686, "JPEG"), "image/png", 400, "not a valid"),  # JPEG bytes called PNG
        (b"\x89PNG\r\n\x1a\n broken", "image/png", 400, "not a valid"),
        (image(2500, 1686), "image/gif", 415, "Content-Type"),
        (image(2500, 1686), "", 415, "Content-Type"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 1_000_000, "image/png", 413, "too large"),
    ],
    ids=["shorter", "turned", "jpeg-as-png", "broken-png", "gif", "no-type", "over-1-mb"],
)
def test_images_line_would_refuse_are_refused(
    http: requests.Session, standin: LineStandIn, data: bytes, content_type: str, status: int, says: str
) -> None:
    rich_menu_id = create(http, standin)
    response = upload(http, standin, rich_menu_id, data, content_type)
    assert response.status_code == status, response.text
    assert says in response.json()["message"]
    # Refused, so the menu still takes its first image.
    assert upload(http, standin, rich_menu_id, image(2500, 1686)).status_code == 200


def test_an_image_for_an_unknown_menu_gets_404(http: requests.Session, standin: LineStandIn) -> None:
    assert upload(http, standin, "richmenu-" + "0" * 32, image(2500, 1686)).status_code == 404
    assert (
        http.get(url(standin, f"/v2/bot/richmenu/{'richmenu-' + '0' * 32}/content"), timeout=5).status_code
        == 404
    )


# --- the default ------------------------------------------------------------------------------------


def test_the_default_menu_needs_its_image_and_can_be_cancelled(
    http: requests.Session, standin: LineStandIn
) -> None:
    default = url(standin, "/v2/bot/user/all/richmenu")
    assert http.get(default, timeout=5).status_code == 404
    bare = create(http, standin)
    response = http.post(url(standin, f"/v2/bot/user/all/richmenu/{bare}"), timeout=5)
    assert response.status_code == 400
    assert "image" in response.json()["message"]
    assert (
        http.post(url(standin, f"/v2/bot/user/all/richmenu/{'richmenu-' + '0' * 32}"), timeout=5).status_code
        == 404
    )
    ready = installed(http, standin)
    assert http.post(url(standin, f"/v2/bot/user/all/richmenu/{ready}"), timeout=5).status_code == 200
    assert http.get(default, timeout=5).json() == {"richMenuId": ready}
    assert (
        standin.default_rich_menu_json()
        == http.get(url(standin, f"/v2/bot/richmenu/{ready}"), timeout=5).json()
    )
    assert http.delete(default, timeout=5).status_code == 200
    assert http.get(default, timeout=5).status_code == 404
    assert standin.default_rich_menu_json() is None


def test_deleting_the_default_menu_leaves_no_default(http: requests.Session, standin: LineStandIn) -> None:
    ready = installed(http, standin)
    http.post(url(standin, f"/v2/bot/user/all/richmenu/{ready}"), timeout=5)
    assert http.delete(url(standin, f"/v2/bot/richmenu/{ready}"), timeout=5).status_code == 200
    assert http.get(url(standin, "/v2/bot/user/all/richmenu"), timeout=5).status_code == 404


# --- aliases ------------------------------------------------------------------------------------------


def test_an_alias_is_created_read_listed_moved_and_deleted(
    http: requests.Session, standin: LineStandIn
) -> None:
    first, second = create(http, standin), create(http, standin)
    aliases = url(standin, "/v2/bot/richmenu/alias")
    body = {"richMenuAliasId": "officials-menu_1", "richMenuId": first}
    assert http.post(aliases, json=body, timeout=5).status_code == 200
    assert http.get(f"{aliases}/officials-menu_1", timeout=5).json() == body
    assert http.get(f"{aliases}/list", timeout=5).json() == {"aliases": [body]}
    assert http.post(f"{aliases}/officials-menu_1", json={"richMenuId": second}, timeout=5).status_code == 200
    assert http.get(f"{aliases}/officials-menu_1", timeout=5).json()["richMenuId"] == second
    assert http.delete(f"{aliases}/officials-menu_1", timeout=5).status_code == 200
    assert http.get(f"{aliases}/officials-menu_1", timeout=5).status_code == 404
    assert http.delete(f"{aliases}/officials-menu_1", timeout=5).status_code == 404
    assert http.get(f"{aliases}/list", timeout=5).json() == {"aliases": []}


@pytest.mark.parametrize(
    ("alias", "known_menu", "says"),
    [
        ("Officials", True, "richMenuAliasId"),  # upper case
        ("เมนู", True, "richMenuAliasId"),
        ("a" * 33, True, "richMenuAliasId"),
        ("", True, "richMenuAliasId"),
        ("officials", False, "richmenu not found"),
    ],
    ids=["upper-case", "thai", "33-characters", "empty", "unknown-menu"],
)
def test_aliases_line_would_refuse_are_refused(
    http: requests.Session, standin: LineStandIn, alias: str, known_menu: bool, says: str
) -> None:
    rich_menu_id = create(http, standin) if known_menu else "richmenu-" + "0" * 32
    response = http.post(
        url(standin, "/v2/bot/richmenu/alias"),
        json={"richMenuAliasId": alias, "richMenuId": rich_menu_id},
        timeout=5,
    )
    assert response.status_code == 400
    assert says in response.text
    assert http.get(url(standin, "/v2/bot/richmenu/alias/list"), timeout=5).json() == {"aliases": []}


def test_an_alias_id_is_taken_once_and_moves_only_to_known_menus(
    http: requests.Session, standin: LineStandIn
) -> None:
    rich_menu_id = create(http, standin)
    aliases = url(standin, "/v2/bot/richmenu/alias")
    body = {"richMenuAliasId": "officials", "richMenuId": rich_menu_id}
    assert http.post(aliases, json=body, timeout=5).status_code == 200
    conflict = http.post(aliases, json=body, timeout=5)
    assert conflict.status_code == 400
    assert "conflict" in conflict.json()["message"]
    moved = http.post(f"{aliases}/officials", json={"richMenuId": "richmenu-" + "0" * 32}, timeout=5)
    assert moved.status_code == 400
    assert http.post(f"{aliases}/nobody", json={"richMenuId": rich_menu_id}, timeout=5).status_code == 404
    assert http.post(f"{aliases}/officials", json={}, timeout=5).status_code == 400
    assert http.get(f"{aliases}/officials", timeout=5).json()["richMenuId"] == rich_menu_id
