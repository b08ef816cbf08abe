"""The follow-up board: after provinces report through the real /callback, the console's board, a
directive's page, the CSV and the admin API show the same statuses — on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any

import pytest
from flask import Flask

from admin.console import accounts
from bot.models import AdminRole
from linesim import LineStandIn
from tests.broadcasts.test_reports import AUTH, TOKEN, api, choose, press, report_button, say, send_summary
from tests.conftest import services_of
from tests.console_helpers import PASSWORD, Browser, logged_in
from tests.linebot_helpers import LINE_ENV, Chat

# After the deadlines (31 มี.ค. 68 and 30 มิ.ย. 68) of the first and third directives: 15 April 2025.
TODAY = dt.datetime(2025, 4, 15, 3, 0, tzinfo=dt.UTC)


@pytest.fixture
def bot(build_app: Callable[..., Flask], standin: LineStandIn) -> Flask:
    return build_app(
        {"line": {"api_base_url": standin.base_url}},
        env={**LINE_ENV, "ADMIN_TOKEN": TOKEN},
        clock=lambda: TODAY,
    )


@pytest.fixture
def reported(bot: Flask, standin: LineStandIn) -> dict[str, Any]:
    """The summary sent; on the first directive เชียงใหม่ reports done (delivered twice), สงขลา in
    progress; on the second สงขลา reports a problem with a note."""
    meeting = send_summary(bot, standin)
    summary = standin.messages_to("C1")[0]
    chiang_mai, songkhla = Chat(standin, "U1", group_id="C1"), Chat(standin, "U2", group_id="C2")
    done = choose(press(bot, chiang_mai, report_button(summary, 1)["data"]), "ดำเนินการแล้ว")
    event = chiang_mai.postback(done)
    press(bot, chiang_mai, done, event)
    press(bot, chiang_mai, done, {**event, "replyToken": standin.issue_reply_token("C1")})
    press(bot, songkhla, choose(press(bot, songkhla, report_button(summary, 1)["data"]), "อยู่ระหว่างดำเนินการ"))
    press(bot, songkhla, choose(press(bot, songkhla, report_button(summary, 2)["data"]), "มีปัญหา"))
    say(bot, songkhla, "รอผลการจัดซื้อจัดจ้าง")
    return meeting


class BoardCells(HTMLParser):
    """{(directive id, province): status} of the board's table cells, and the dimmed ones."""

    def __init__(self) -> None:
        super().__init__()
        self.directive: str | None = None
        self.cells: dict[tuple[int, str], str] = {}
        self.dim: set[tuple[int, str]] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "tr" and found.get("data-directive"):
            self.directive = found["data-directive"]
        elif tag == "td" and self.directive and "cell" in (found.get("class") or "").split():
            key = (int(self.directive), str(found["data-province"]))
            self.cells[key] = str(found["data-status"])
            if "dim" in (found.get("class") or "").split():
                self.dim.add(key)

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self.directive = None


def board_cells(page: str) -> BoardCells:
    parser = BoardCells()
    parser.feed(page)
    return parser


def reported_cells(cells: dict[tuple[int, str], str]) -> dict[tuple[int, str], str]:
    return {key: status for key, status in cells.items() if status != "none"}


def test_the_board_the_api_and_the_csv_agree(
    bot: Flask, standin: LineStandIn, reported: dict[str, Any]
) -> None:
    first, second = (d["id"] for d in reported["directives"][:2])
    expected = {
        (first, "เชียงใหม่"): "done",
        (first, "สงขลา"): "in_progress",
        (second, "สงขลา"): "problem",
    }
    viewer = logged_in(bot, "viewer", AdminRole.VIEWER)
    page = viewer.get("/admin/followup/")
    assert page.status_code == 200
    cells = board_cells(page.get_data(as_text=True))
    assert reported_cells(cells.cells) == expected
    assert len({province for _, province in cells.cells}) == 77  # every province, reported or not
    listed = api(bot, "GET", "/api/reports")
    assert {
        (i["directive_id"], i["province"]): i["status"] for i in listed["items"] if i["status"]
    } == expected
    assert len(listed["items"]) == 77 * 4
    assert [d["overdue"] for d in listed["directives"]] == [True, False, False, False]
    exported = viewer.get("/admin/followup/reports.csv")
    rows = list(csv.DictReader(io.StringIO(exported.get_data(as_text=True).lstrip("\ufeff"))))
    assert len(rows) == 77 * 4
    by_title = {d["seq"]: d["id"] for d in reported["directives"]}
    from_csv = {(by_title[int(r["ข้อ"])], r["จังหวัด"]): r["สถานะ"] for r in rows if r["สถานะ"] != "ยังไม่รายงาน"}
    names = {"done": "ดำเนินการแล้ว", "in_progress": "อยู่ระหว่างดำเนินการ", "problem": "มีปัญหา"}
    assert from_csv == {key: names[status] for key, status in expected.items()}
    note = next(r for r in rows if r["จังหวัด"] == "สงขลา" and int(r["ข้อ"]) == 2)
    assert note["หมายเหตุ"] == "รอผลการจัดซื้อจัดจ้าง" and note["ผู้รายงาน"] == "U2"
    assert {r["เลยกำหนด"] for r in rows if r["ข้อ"] == "1"} == {"เลยกำหนด"}


@pytest.mark.parametrize(
    ("query", "provinces", "statuses"),
    [
        ("status=done", {"เชียงใหม่"}, {"done"}),
        ("status=problem&region=south", {"สงขลา"}, {"problem"}),
        ("region=north", None, None),  # the nine northern provinces, every status
        ("status=none&region=northeast", None, {"none"}),
    ],
)
def test_filters_give_the_same_cells_on_the_board_in_the_api_and_the_csv(
    bot: Flask,
    reported: dict[str, Any],
    query: str,
    provinces: set[str] | None,
    statuses: set[str] | None,
) -> None:
    listed = api(bot, "GET", f"/api/reports?{query}")
    from_api = {(i["directive_id"], i["province"]): i["status"] or "none" for i in listed["items"]}
    if provinces is not None:
        assert {p for _, p in from_api} == provinces
    if statuses is not None:
        assert set(from_api.values()) == statuses
    if query == "region=north":
        assert len({p for _, p in from_api}) == 9 and {i["region"] for i in listed["items"]} == {"north"}
    viewer = logged_in(bot, "viewer", AdminRole.VIEWER)
    cells = board_cells(viewer.get(f"/admin/followup/?{query}").get_data(as_text=True))
    kept = {key: status for key, status in cells.cells.items() if key not in cells.dim}
    assert kept == from_api
    exported = viewer.get(f"/admin/followup/reports.csv?{query}").get_data(as_text=True)
    assert len(list(csv.DictReader(io.StringIO(exported.lstrip("\ufeff"))))) == len(from_api)


def test_a_directives_page_lists_the_provinces_that_have_not_reported_with_their_groups(
    bot: Flask, reported: dict[str, Any]
) -> None:
    first = reported["directives"][0]["id"]
    shown = api(bot, "GET", f"/api/directives/{first}/reports")
    assert shown["counts"] == {"done": 1, "in_progress": 1, "problem": 0, "none": 75}
    assert shown["deadline"] == "2025-03-31" and shown["overdue"] is True
    waiting = {p["province"]: p for p in shown["provinces"] if p["status"] is None}
    assert [g["group_id"] for g in waiting["ขอนแก่น"]["groups"]] == ["C3"]
    assert waiting["ลำพูน"]["groups"] == []
    assert "เชียงใหม่" not in waiting
    assert [(h["province"], h["status"]) for h in shown["history"]] == [
        ("สงขลา", "in_progress"),
        ("เชียงใหม่", "done"),
    ]
    viewer = logged_in(bot, "viewer", AdminRole.VIEWER)
    page = viewer.get(f"/admin/followup/directives/{first}").get_data(as_text=True)
    not_reported = page[page.index('id="not-reported"') : page.index('id="reported"')]
    assert 'data-province="ขอนแก่น"' in not_reported and 'data-group="C3"' in not_reported
    assert 'data-province="เชียงใหม่"' not in not_reported
    assert "เลยกำหนด" in page


def test_bad_filters_are_refused_without_a_traceback(bot: Flask, reported: dict[str, Any]) -> None:
    client = bot.test_client()
    for query in ("status=finished", "region=atlantis", "meeting_id=abc", "meeting_id=99999"):
        response = client.get(f"/api/reports?{query}", headers=AUTH)
        assert response.status_code == 422 and response.json is not None and response.json["error"]
    assert client.get("/api/directives/99999/reports", headers=AUTH).status_code == 404
    assert client.get("/api/reports").status_code == 401
    viewer = logged_in(bot, "viewer", AdminRole.VIEWER)
    assert viewer.get("/admin/followup/?status=finished").status_code == 400
    assert viewer.get("/admin/followup/directives/99999").status_code == 404
    assert Browser(bot).get("/admin/followup/").status_code == 302  # to the login


def test_a_phone_sees_one_directive_at_a_time(bot: Flask, reported: dict[str, Any]) -> None:
    viewer = logged_in(bot, "viewer", AdminRole.VIEWER)
    ids = [d["id"] for d in reported["directives"]]
    for index, directive_id in enumerate(ids):
        page = viewer.get(f"/admin/followup/?i={index}").get_data(as_text=True)
        assert f'id="phone-board" data-directive="{directive_id}"' in page
    assert f'data-directive="{ids[-1]}"' in viewer.get("/admin/followup/?i=99").get_data(as_text=True)


def test_the_dashboard_shows_the_share_reported_and_the_nearest_deadlines(
    bot: Flask, reported: dict[str, Any]
) -> None:
    viewer = logged_in(bot, "viewer", AdminRole.VIEWER)
    page = viewer.get("/admin/").get_data(as_text=True)
    panel = page[page.index('id="followup-panel"') :]
    first, second, third, _ = (d["id"] for d in reported["directives"])
    shares = panel[: panel.index('id="followup-nearest"')]
    assert shares.index(f'<tr data-directive="{first}">') < shares.index('data-reported="2">2/77 (3%)')
    assert shares.index(f'<tr data-directive="{second}">') < shares.index('data-reported="1">1/77 (1%)')
    nearest = panel[panel.index('id="followup-nearest"') :]
    assert f"/admin/followup/directives/{third}" in nearest  # due 30 มิ.ย. 68
    assert f"/admin/followup/directives/{first}" not in nearest  # overdue since 31 มี.ค. 68
    assert "กำหนด 30 มิถุนายน 2568" in nearest


class MapParts(HTMLParser):
    """The map of a page (figure `figure_id`): {province: status} of its outlines, their titles, the
    legend's counts and the map's accessible name."""

    def __init__(self, figure_id: str) -> None:
        super().__init__()
        self.figure_id = figure_id
        self.inside = False
        self.statuses: dict[str, str] = {}
        self.titles: dict[str, str] = {}
        self.counts: dict[str, int] = {}
        self.outlines = 0
        self.label = ""
        self._title_of: str | None = None
        self._count_of: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "figure":
            self.inside = found.get("id") == self.figure_id
        elif not self.inside:
            return
        elif tag == "svg":
            assert found.get("role") == "img"
            self.label = str(found.get("aria-label"))
        elif tag == "path":
            self.outlines += 1
            if found.get("data-province"):
                province = str(found["data-province"])
                self.statuses[province] = str(found["data-status"])
                self._title_of = province
        elif tag == "li" and found.get("data-status"):
            self._count_of = found["data-status"]

    def handle_data(self, data: str) -> None:
        if self._title_of and self.get_starttag_text() == "<title>":
            self.titles[self._title_of] = data
            self._title_of = None
        elif self._count_of and data.strip().isdigit():
            self.counts[self._count_of] = int(data)
            self._count_of = None

    def handle_endtag(self, tag: str) -> None:
        if tag == "figure":
            self.inside = False


def map_of(page: str, figure_id: str) -> MapParts:
    parser = MapParts(figure_id)
    parser.feed(page)
    assert parser.outlines == 78, f"no whole map #{figure_id} on the page"
    return parser


def test_a_directives_map_colours_each_province_by_its_report_or_its_missing_group(
    bot: Flask, reported: dict[str, Any]
) -> None:
    """เชียงใหม่ done and สงขลา in progress on the first directive; ขอนแก่น has a group and has not
    reported; the 74 provinces without a group are "no group"."""
    first, second = (d["id"] for d in reported["directives"][:2])
    viewer = logged_in(bot, "viewer", AdminRole.VIEWER)
    shown = map_of(viewer.get(f"/admin/followup/directives/{first}").get_data(as_text=True), "directive-map")
    assert len(shown.statuses) == 77  # every province is drawn once, the lake besides
    assert {p: s for p, s in shown.statuses.items() if s != "no_group"} == {
        "เชียงใหม่": "done",
        "สงขลา": "in_progress",
        "ขอนแก่น": "none",
    }
    assert shown.counts == {"done": 1, "in_progress": 1, "problem": 0, "none": 1, "no_group": 74}
    assert shown.titles["เชียงใหม่"] == "เชียงใหม่: ดำเนินการแล้ว"
    assert shown.titles["ลำพูน"] == "ลำพูน: ไม่มีกลุ่มรับข่าว"
    assert shown.titles["กรุงเทพมหานคร"] == "กรุงเทพมหานคร: ไม่มีกลุ่มรับข่าว"
    assert "ดำเนินการแล้ว 1" in shown.label and "ไม่มีกลุ่มรับข่าว 74" in shown.label
    second_map = map_of(
        viewer.get(f"/admin/followup/directives/{second}").get_data(as_text=True), "directive-map"
    )
    assert (second_map.statuses["สงขลา"], second_map.statuses["เชียงใหม่"]) == ("problem", "none")


def test_a_meetings_map_shows_each_province_at_its_least_advanced(
    bot: Flask, reported: dict[str, Any]
) -> None:
    """On the board and the dashboard: เชียงใหม่ reported only the first of four directives (not yet),
    สงขลา has a problem on the second (a problem shows first)."""
    viewer = logged_in(bot, "viewer", AdminRole.VIEWER)
    expected = {"เชียงใหม่": "none", "สงขลา": "problem", "ขอนแก่น": "none"}
    for path, figure in (("/admin/followup/", "board-map"), ("/admin/", "dashboard-map")):
        page = viewer.get(path).get_data(as_text=True)
        shown = map_of(page, figure)
        assert {p: s for p, s in shown.statuses.items() if s != "no_group"} == expected, path
        assert shown.counts == {"done": 0, "in_progress": 0, "problem": 1, "none": 2, "no_group": 74}
        assert "@svg-maps/thailand" in page and "CC BY 4.0" in page  # the attribution, under the map
        assert "https://" not in page.split(f'id="{figure}"')[1].split("</svg>")[0]  # nothing fetched


def test_a_provincial_office_sees_the_country_with_only_its_province_coloured(
    bot: Flask, reported: dict[str, Any]
) -> None:
    with services_of(bot).db.session() as session:
        accounts.create(session, "songkhla", PASSWORD, AdminRole.PROVINCE, actor="test", provinces=["สงขลา"])
    office = Browser(bot)
    office.login("songkhla")
    first = reported["directives"][0]["id"]
    for path, figure, status in (
        ("/admin/followup/", "board-map", "problem"),
        (f"/admin/followup/directives/{first}", "directive-map", "in_progress"),
        ("/admin/", "dashboard-map", "problem"),
    ):
        page = office.get(path).get_data(as_text=True)
        shown = map_of(page, figure)  # the whole country, its outlines
        assert shown.statuses == {"สงขลา": status}, path
        assert sum(shown.counts.values()) == 1
        assert "เชียงใหม่" not in page.split(f'id="{figure}"')[1].split("</figure>")[0]
