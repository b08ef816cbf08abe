"""The rich menu: its settings, the object and image built from them, and `flask richmenu deploy`,
`status` and `delete` against the LINE stand-in (which checks every request against LINE's rules)."""

from __future__ import annotations

import io
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from PIL import Image

from bot import postback, richmenu
from bot.settings import ConfigError, load_settings
from handlers.conversation import INTENTS
from handlers.intents import match_intent, normalize_text
from linesim import LineStandIn
from linesim.validation import default_spec
from tests.conftest import REQUIRE_SERVICES

FONT = load_settings(config_file=None).richmenu.font_path


@pytest.fixture
def thai_font() -> Path:
    if not FONT.is_file():
        message = f"Thai font not found at {FONT} (apt-get install fonts-thai-tlwg)"
        if REQUIRE_SERVICES:
            pytest.fail(f"{message}; BOT_TEST_REQUIRE_SERVICES=1: .ci/run installs it")
        pytest.skip(message)
    return FONT


def areas(*labels: str) -> list[dict[str, str]]:
    return [{"label": label, "text": label} for label in labels]


# --- settings ----------------------------------------------------------------------------------------


def test_the_data_host_is_lines_unless_the_api_points_elsewhere() -> None:
    assert load_settings(env={}).line.data_base_url == "https://api-data.line.me"
    stand_in = load_settings(env={"LINE_API_BASE_URL": "http://127.0.0.1:9000"})
    assert stand_in.line.data_base_url == "http://127.0.0.1:9000"
    both = load_settings(
        env={"LINE_API_BASE_URL": "http://127.0.0.1:9000", "LINE_DATA_API_BASE_URL": "http://127.0.0.1:9001/"}
    )
    assert both.line.data_base_url == "http://127.0.0.1:9001"
    with pytest.raises(ConfigError, match=r"line\.data_api_base_url"):
        load_settings(env={"LINE_DATA_API_BASE_URL": "api-data.line.me"})


@pytest.mark.parametrize(
    ("richmenu_settings", "setting", "thai"),
    [
        ({"chat_bar_text": "เมนูเจ้าหน้าที่ สถ. ทุกจังหวัด"}, "richmenu.chat_bar_text", "แถบเมนู"),
        ({"chat_bar_text": "  "}, "richmenu.chat_bar_text", "แถบเมนู"),
        ({"alias": "Officials Menu"}, "richmenu.alias", "ชื่อแทน"),
        ({"areas": []}, "richmenu.areas", "1–6 ปุ่ม"),
        ({"areas": areas(*"กขคงจฉช")}, "richmenu.areas", "1–6 ปุ่ม"),
        ({"areas": areas("ข้อสั่งการล่าสุดของอธิบดีกรม")}, "richmenu.areas.0.label", "ป้ายของปุ่ม"),
        ({"areas": [{"label": "ค้นหา", "text": "ก" * 301}]}, "richmenu.areas.0.text", "ข้อความของปุ่ม"),
        ({"areas": [{"label": "ค้นหา", "text": "ค้นหา", "keyboard": "ค้นหา "}]}, "richmenu.areas.0", "postback"),
        (  # a postback no handler answers: every tap would get the help text
            {"areas": [{"label": "ค้นหา", "text": "ค้นหา", "postback": "action=find"}]},
            "richmenu.areas.0",
            "ไม่ใช่ปุ่มที่บอทรู้จัก",
        ),
    ],
)
def test_bad_rich_menu_settings_stop_with_one_thai_line(
    richmenu_settings: dict[str, Any], setting: str, thai: str
) -> None:
    with pytest.raises(ConfigError) as raised:
        load_settings({"richmenu": richmenu_settings}, env={})
    message = str(raised.value)
    assert "\n" not in message
    assert f"setting {setting} " in message and thai in message


def test_the_areas_come_from_the_environment_as_a_yaml_list() -> None:
    settings = load_settings(env={"RICHMENU_AREAS": "[{label: ข่าว, text: ข้อสั่งการล่าสุด}]"})
    assert [(a.label, a.text) for a in settings.richmenu.areas] == [("ข่าว", "ข้อสั่งการล่าสุด")]


def test_the_configured_taps_send_what_the_conversation_understands() -> None:
    """Each area's text is an intent of the conversation, or a postback with its own data (search opens the
    keyboard with "ค้นหา " filled in, which the search intent reads once a topic is typed after it; the
    postback itself is a button of ours, answered with how to go on)."""
    configured = load_settings(env={}).richmenu.areas
    assert [area.label for area in configured] == [
        "ข้อสั่งการล่าสุด",
        "ค้นหา",
        "10Es",
        "ประชุมล่าสุด",
        "งานที่ใกล้ครบกำหนด",
        "วิธีใช้",
    ]
    for area in configured:
        if area.postback is not None:
            assert area.keyboard is not None
            found = match_intent(normalize_text(area.keyboard + "ขยะติดเชื้อ"), INTENTS)
            assert found is not None and found[0].name == "search"
            assert isinstance(postback.decode(area.postback), postback.StartSearch)
        else:
            assert match_intent(normalize_text(area.text), INTENTS) is not None, area.text


# --- the object and the image ------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 2, 3, 4, 5, 6])
def test_the_menu_object_tiles_the_menu_and_line_accepts_it(count: int) -> None:
    settings = load_settings({"richmenu": {"areas": areas(*[f"ปุ่ม{n}" for n in range(count)])}}, env={})
    request = richmenu.menu_request(settings.richmenu)
    assert default_spec().request_problems("RichMenuRequest", request) == []
    width, height = request["size"]["width"], request["size"]["height"]
    assert (width, height) == ((2500, 843) if count <= 3 else (2500, 1686))
    boxes = [area["bounds"] for area in request["areas"]]
    for index, one in enumerate(boxes):
        for other in boxes[index + 1 :]:  # no two areas overlap
            assert (
                one["x"] + one["width"] <= other["x"]
                or other["x"] + other["width"] <= one["x"]
                or one["y"] + one["height"] <= other["y"]
                or other["y"] + other["height"] <= one["y"]
            )
    covered = sum(box["width"] * box["height"] for box in boxes)
    if count != 5:  # full grids cover the whole menu; five leave the last cell of the second row empty
        assert covered == width * height
    assert [area["action"]["label"] for area in request["areas"]] == [f"ปุ่ม{n}" for n in range(count)]


def test_a_postback_area_opens_the_keyboard() -> None:
    area = {"label": "ค้นหา", "text": "ค้นหา", "postback": "action=search", "keyboard": "ค้นหา "}
    request = richmenu.menu_request(load_settings({"richmenu": {"areas": [area]}}, env={}).richmenu)
    assert request["areas"][0]["action"] == {
        "type": "postback",
        "label": "ค้นหา",
        "data": "action=search",
        "displayText": "ค้นหา",
        "inputOption": "openKeyboard",
        "fillInText": "ค้นหา ",
    }


def _ink(png: bytes, box: tuple[int, int, int, int]) -> int:
    """Pixels of the label colour (white) inside `box`."""
    tile = Image.open(io.BytesIO(png)).convert("RGB").crop(box)
    return sum(1 for pixel in tile.get_flattened_data() if pixel == richmenu.LABEL)


def test_the_image_is_a_png_of_the_menus_size_with_each_label_drawn(thai_font: Path) -> None:
    settings = load_settings(env={}).richmenu
    png = richmenu.draw_image(settings)
    assert png.startswith(b"\x89PNG") and len(png) <= richmenu.IMAGE_BYTES_MAX
    request = richmenu.menu_request(settings)
    assert Image.open(io.BytesIO(png)).size == (request["size"]["width"], request["size"]["height"])
    for area in request["areas"]:
        b = area["bounds"]
        assert _ink(png, (b["x"], b["y"], b["x"] + b["width"], b["y"] + b["height"])) > 500, area


def test_the_image_follows_the_configured_labels(thai_font: Path) -> None:
    one = richmenu.draw_image(load_settings({"richmenu": {"areas": areas("ข่าว", "ค้นหา")}}, env={}).richmenu)
    changed = richmenu.draw_image(
        load_settings({"richmenu": {"areas": areas("ข่าว", "ประชุม")}}, env={}).richmenu
    )
    assert one != changed
    left = (0, 0, 1250, 843)
    assert _ink(one, left) == _ink(changed, left)  # the first label is the same, drawn the same


def test_a_missing_font_is_one_thai_line_naming_the_file_and_the_package(tmp_path: Path) -> None:
    missing = tmp_path / "nothing.ttf"
    settings = load_settings({"richmenu": {"font_path": str(missing)}}, env={}).richmenu
    with pytest.raises(richmenu.RichMenuError) as raised:
        richmenu.draw_image(settings)
    assert str(missing) in str(raised.value) and "fonts-thai-tlwg" in str(raised.value)
    not_a_font = tmp_path / "notes.ttf"
    not_a_font.write_text("ไม่ใช่ฟอนต์", encoding="utf-8")
    with pytest.raises(richmenu.RichMenuError, match="อ่านไฟล์ฟอนต์"):
        richmenu.draw_image(load_settings({"richmenu": {"font_path": str(not_a_font)}}, env={}).richmenu)


# --- deploy, status, delete on LINE (the stand-in) -----------------------------------------------------


def _menus(standin: LineStandIn) -> list[str]:
    return [str(menu["richMenuId"]) for menu in standin.rich_menu_list().body["richmenus"]]


def _default(standin: LineStandIn) -> str | None:
    answer = standin.default_rich_menu()
    return str(answer.body["richMenuId"]) if answer.status == 200 else None


def _alias(standin: LineStandIn, alias: str = "dla-officials") -> str | None:
    answer = standin.rich_menu_alias(alias)
    return str(answer.body["richMenuId"]) if answer.status == 200 else None


def _run(app: Flask, *args: str) -> Any:
    return app.test_cli_runner().invoke(args=["richmenu", *args])


def test_deploy_installs_the_menu_as_the_default_with_its_alias(
    make_bot: Callable[..., Flask], standin: LineStandIn, thai_font: Path
) -> None:
    app = make_bot()
    result = _run(app, "deploy")
    assert result.exit_code == 0, result.output
    [menu_id] = _menus(standin)
    assert menu_id in result.output
    assert _default(standin) == menu_id and _alias(standin) == menu_id
    image = standin.rich_menu_image(menu_id)
    assert image is not None and image[1] == "image/png"
    assert image[0] == richmenu.draw_image(app.extensions["bot"].settings.richmenu)
    [upload] = standin.received(endpoint="richmenu_image_upload")
    assert upload.headers["Content-Type"] == "image/png"


def test_deploying_again_replaces_the_menu_and_leaves_other_menus_alone(
    make_bot: Callable[..., Flask], standin: LineStandIn, thai_font: Path
) -> None:
    foreign = standin.create_rich_menu(
        richmenu.menu_request(load_settings({"richmenu": {"name": "campaign"}}, env={}).richmenu)
    ).body["richMenuId"]
    assert _run(make_bot(), "deploy").exit_code == 0
    first = _default(standin)
    app = make_bot(richmenu={"areas": areas("ข้อสั่งการล่าสุด", "วิธีใช้")})
    result = _run(app, "deploy")
    assert result.exit_code == 0, result.output
    second = _default(standin)
    assert second != first and first is not None and second is not None
    assert sorted(_menus(standin)) == sorted([foreign, second])
    assert _alias(standin) == second
    assert first in result.output  # "ลบเมนูเดิม 1 เมนู: <first>"
    assert len(standin.rich_menu(second).body["areas"]) == 2

    status = _run(app, "status")
    assert status.exit_code == 0
    assert f"เมนูหลัก: {second}" in status.output and "(เมนูหลัก)" in status.output
    assert foreign not in status.output

    deleted = _run(app, "delete")
    assert deleted.exit_code == 0, deleted.output
    assert _menus(standin) == [foreign]
    assert _default(standin) is None and _alias(standin) is None
    assert "ยังไม่มีเมนู" in _run(app, "status").output


@pytest.mark.parametrize(
    "failing", ["richmenu_image_upload", "richmenu_default_set", "richmenu_alias_update"]
)
def test_a_failed_deploy_leaves_line_as_it_was(
    make_bot: Callable[..., Flask], standin: LineStandIn, thai_font: Path, failing: str
) -> None:
    app = make_bot()
    assert _run(app, "deploy").exit_code == 0
    before = (_menus(standin), _default(standin), _alias(standin))
    standin.fail_next(1, 500, failing)
    result = _run(app, "deploy")
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "LINE ไม่รับคำขอ" in lines[0] and "(500)" in lines[0]
    assert "Traceback" not in result.output + result.stderr
    assert (_menus(standin), _default(standin), _alias(standin)) == before


def test_the_image_goes_to_the_data_host(
    make_bot: Callable[..., Flask], standin: LineStandIn, thai_font: Path
) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        nobody = f"http://127.0.0.1:{closed.getsockname()[1]}"
    app = make_bot(line={"api_base_url": standin.base_url, "data_api_base_url": nobody})
    result = _run(app, "deploy")
    assert result.exit_code == 2
    assert "อัปโหลดภาพเมนู" in result.stderr and "line.data_api_base_url" in result.stderr
    assert standin.received(endpoint="richmenu_image_upload") == []
    assert _menus(standin) == []  # the menu made before the upload failed is deleted again


def test_nothing_reaches_line_without_a_font_or_a_token(
    make_bot: Callable[..., Flask], build_app: Callable[..., Flask], standin: LineStandIn, tmp_path: Path
) -> None:
    result = _run(make_bot(richmenu={"font_path": str(tmp_path / "none.ttf")}), "deploy")
    assert result.exit_code == 2 and "fonts-thai-tlwg" in result.stderr
    no_token = build_app({"line": {"api_base_url": standin.base_url}})
    for command in ("deploy", "status", "delete"):
        result = _run(no_token, command)
        assert result.exit_code == 2 and "LINE_CHANNEL_ACCESS_TOKEN" in result.stderr, command
    assert standin.received() == []


def test_status_and_delete_on_an_empty_channel(make_bot: Callable[..., Flask], standin: LineStandIn) -> None:
    app = make_bot()
    status = _run(app, "status")
    assert status.exit_code == 0
    assert "เมนูหลัก: ไม่มี" in status.output and "ยังไม่มี" in status.output
    deleted = _run(app, "delete")
    assert deleted.exit_code == 0 and "ลบเมนู 0 เมนู" in deleted.output
