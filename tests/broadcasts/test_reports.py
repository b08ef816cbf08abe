"""Reports back from the provinces, through the real /callback and the LINE stand-in: deadlines on the
cards, "รายงานผล" on each directive of a summary, one current status per province with its history,
the note typed after, and LINE's redeliveries — on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Mapping
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from bot import postback
from bot.models import (
    AdminRole,
    Directive,
    DirectiveProgress,
    DirectiveReport,
    Meeting,
    Province,
    ReportStatus,
)
from broadcasts import reports
from broadcasts.scheduler import run_due
from linesim import LineStandIn, validate_messages
from tests.admin.test_api import Api
from tests.admin.test_console import _edit_form
from tests.bot.test_messages import report_buttons
from tests.broadcasts.test_publishing_safety import add_meeting
from tests.conftest import services_of
from tests.console_helpers import csrf_token, logged_in
from tests.linebot_helpers import LINE_ENV, Chat, all_text, post_events

TOKEN = "test-admin-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
# Three provinces of three regions; เชียงใหม่ has two groups (the provincial office's and the อปท.'s).
GROUPS = {"C1": "เชียงใหม่", "C1b": "เชียงใหม่", "C2": "สงขลา", "C3": "ขอนแก่น"}
DEADLINES = {1: "2025-03-31", 3: "2025-06-30"}  # the meeting's first and third directives


@pytest.fixture
def bot(build_app: Callable[..., Flask], standin: LineStandIn) -> Flask:
    return build_app({"line": {"api_base_url": standin.base_url}}, env={**LINE_ENV, "ADMIN_TOKEN": TOKEN})


def api(bot: Flask, method: str, path: str, body: Any = None) -> Any:
    """The admin API's answer, checked against its OpenAPI document."""
    checked = bot.extensions.setdefault("test_api_client", Api(bot.test_client()))  # the document read once
    response = checked.call(method, path, json=body)
    assert response.status_code < 300, (response.status_code, response.json)
    return response.json


def send_summary(bot: Flask, standin: LineStandIn) -> dict[str, Any]:
    """The seed meeting with two deadlines set by an editor, its summary sent to every group."""
    for group_id in GROUPS:
        standin.add_group(group_id, name=f"กลุ่ม {group_id}", member_count=10)
    rows = [{"group_id": g, "province": p} for g, p in GROUPS.items()]
    api(bot, "POST", "/api/groups", {"groups": rows})
    with services_of(bot).db.session() as session:
        meeting_id = session.scalars(select(Meeting.id)).one()
    edits = [{"seq": seq, "deadline": day} for seq, day in DEADLINES.items()]
    meeting = api(bot, "PATCH", f"/api/meetings/{meeting_id}", {"directives": edits})
    api(bot, "POST", "/api/broadcasts", {"meeting_id": meeting_id, "target": {"all": True}})
    run_due(services_of(bot))
    return dict(meeting)


def report_button(summary: Mapping[str, Any], seq: int) -> dict[str, Any]:
    """The seq-th card's "รายงานผล" (the first carousel's card 0 is the summary card)."""
    bubble = summary["contents"]["contents"][seq]
    return next(b["action"] for b in bubble["footer"]["contents"] if b["action"]["label"] == "รายงานผล")


def press(bot: Flask, chat: Chat, data: str, event: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    before = len(chat.replies())
    post_events(bot.test_client(), [event or chat.postback(data)])
    bot.extensions["inbox"].drain()
    return chat.replies()[before:]


def say(bot: Flask, chat: Chat, text: str) -> list[dict[str, Any]]:
    before = len(chat.replies())
    post_events(bot.test_client(), [chat.text(text)])
    bot.extensions["inbox"].drain()
    return chat.replies()[before:]


def choose(answer: list[dict[str, Any]], status: str) -> str:
    """The postback data of a status offered as a quick reply."""
    items = answer[-1]["quickReply"]["items"]
    return str(next(i["action"]["data"] for i in items if i["action"]["label"] == status))


def current(bot: Flask) -> dict[tuple[int, str], ReportStatus]:
    with services_of(bot).db.session() as session:
        rows = session.execute(
            select(DirectiveProgress.directive_id, Province.name_th, DirectiveProgress.status).join(
                Province, DirectiveProgress.province_id == Province.id
            )
        ).all()
        return {(d, p): s for d, p, s in rows}


def history(bot: Flask) -> list[tuple[str, str | None, str | None]]:
    with services_of(bot).db.session() as session:
        rows = session.scalars(select(DirectiveReport).order_by(DirectiveReport.id)).all()
        return [(r.status.value, r.reported_by, r.note) for r in rows]


def test_the_summary_shows_deadlines_and_a_report_button_on_each_directive(
    bot: Flask, standin: LineStandIn
) -> None:
    meeting = send_summary(bot, standin)
    assert {d["seq"]: d["deadline"] for d in meeting["directives"]} == {
        1: "2025-03-31",
        2: None,
        3: "2025-06-30",
        4: None,
    }
    summary = standin.messages_to("C2")[0]
    validate_messages([summary])
    assert "(กำหนด 31 มี.ค. 68)" in summary["altText"] and "(กำหนด 30 มิ.ย. 68)" in summary["altText"]
    cards = summary["contents"]["contents"]
    assert "กำหนด 31 มี.ค. 68" in all_text([cards[1]]) and "กำหนด" not in all_text([cards[2]])
    for seq, directive in enumerate(meeting["directives"], start=1):
        pressed = postback.decode(report_button(summary, seq)["data"])
        assert pressed == postback.AskReport(directive["id"])


def test_a_long_meetings_summary_goes_on_in_a_second_carousel_and_its_last_directive_can_be_reported(
    bot: Flask, standin: LineStandIn
) -> None:
    """Fourteen directives: the summary card and 11 in the first carousel, 3 in a second, in the same push
    (one delivery, billed once per member); the 14th's button works like the first's."""
    for group_id in GROUPS:
        standin.add_group(group_id, name=f"กลุ่ม {group_id}", member_count=10)
    api(bot, "POST", "/api/groups", {"groups": [{"group_id": g, "province": p} for g, p in GROUPS.items()]})
    meeting_id = add_meeting(
        bot, "ประชุมผู้บริหาร สถ.", dt.date(2026, 3, 3), [f"ให้ดำเนินการเรื่องที่ {n}" for n in range(1, 15)]
    )
    api(bot, "POST", f"/api/meetings/{meeting_id}/publish", {"urgent": True})
    run_due(services_of(bot))
    assert standin.delivery_counts() == dict.fromkeys(GROUPS, 1)
    summary = standin.messages_to("C2")
    validate_messages(summary)
    assert [len(m["contents"]["contents"]) for m in summary] == [12, 3]
    assert "ข้อสั่งการข้อ 12–14" in summary[1]["altText"]
    by_seq = select(Directive.id).where(Directive.meeting_id == meeting_id).order_by(Directive.seq)
    with services_of(bot).db.session() as session:
        ids = list(session.scalars(by_seq))
    assert report_buttons(summary) == ids
    songkhla = Chat(standin, "U2", group_id="C2")
    last = report_button(summary[1], 2)  # the second carousel has no summary card: its card 2 is the 14th
    press(bot, songkhla, choose(press(bot, songkhla, last["data"]), "ดำเนินการแล้ว"))
    assert current(bot) == {(ids[-1], "สงขลา"): ReportStatus.DONE}


def test_a_province_reports_by_postback_and_a_later_report_replaces_the_current_one(
    bot: Flask, standin: LineStandIn
) -> None:
    meeting = send_summary(bot, standin)
    first = meeting["directives"][0]["id"]
    summary = standin.messages_to("C1")[0]
    chiang_mai, songkhla = Chat(standin, "U1", group_id="C1"), Chat(standin, "U2", group_id="C2")
    offered = press(bot, chiang_mai, report_button(summary, 1)["data"])
    assert "จังหวัดเชียงใหม่" in offered[-1]["text"] and "กำหนด 31 มี.ค. 68" in offered[-1]["text"]
    assert [i["action"]["label"] for i in offered[-1]["quickReply"]["items"]] == [
        "ดำเนินการแล้ว",
        "อยู่ระหว่างดำเนินการ",
        "มีปัญหา",
    ]
    press(bot, chiang_mai, choose(offered, "อยู่ระหว่างดำเนินการ"))
    press(bot, songkhla, choose(press(bot, songkhla, report_button(summary, 1)["data"]), "มีปัญหา"))
    assert current(bot) == {
        (first, "เชียงใหม่"): ReportStatus.IN_PROGRESS,
        (first, "สงขลา"): ReportStatus.PROBLEM,
    }
    # The province's other group reports later: the province's status is the latest report.
    other = Chat(standin, "U9", group_id="C1b")
    answer = press(bot, other, choose(press(bot, other, report_button(summary, 1)["data"]), "ดำเนินการแล้ว"))
    assert "ดำเนินการแล้ว" in answer[-1]["text"]
    assert current(bot)[(first, "เชียงใหม่")] is ReportStatus.DONE
    assert [(s, who) for s, who, _ in history(bot)] == [
        ("in_progress", "U1"),
        ("problem", "U2"),
        ("done", "U9"),
    ]


def test_a_redelivered_report_is_recorded_once(bot: Flask, standin: LineStandIn) -> None:
    meeting = send_summary(bot, standin)
    summary = standin.messages_to("C3")[0]
    khon_kaen = Chat(standin, "U3", group_id="C3")
    data = choose(press(bot, khon_kaen, report_button(summary, 3)["data"]), "ดำเนินการแล้ว")
    event = khon_kaen.postback(data)
    press(bot, khon_kaen, data, event)
    redelivered = {**event, "deliveryContext": {"isRedelivery": True}}
    redelivered["replyToken"] = standin.issue_reply_token("C3")
    press(bot, khon_kaen, data, redelivered)
    assert history(bot) == [("done", "U3", None)]
    assert current(bot) == {(meeting["directives"][2]["id"], "ขอนแก่น"): ReportStatus.DONE}


def test_the_next_line_from_the_reporter_is_the_note(bot: Flask, standin: LineStandIn) -> None:
    send_summary(bot, standin)
    summary = standin.messages_to("C2")[0]
    reporter, colleague = Chat(standin, "U2", group_id="C2"), Chat(standin, "U5", group_id="C2")
    answer = press(bot, reporter, choose(press(bot, reporter, report_button(summary, 2)["data"]), "มีปัญหา"))
    window = services_of(bot).settings.reports.note_window_seconds  # config.yaml's
    assert f"ภายใน {window // 60} นาที" in answer[-1]["text"]
    say(bot, colleague, "ใครไปประชุมพรุ่งนี้บ้าง")  # another member's chatter is no note
    saved = say(bot, reporter, "งบประมาณยังไม่ได้รับจัดสรร\nรออนุมัติจากจังหวัด")
    assert "บันทึกหมายเหตุ" in all_text(saved)
    assert say(bot, reporter, "ขอบคุณครับ") == []  # one note: the next line is chatter again
    assert history(bot) == [("problem", "U2", "งบประมาณยังไม่ได้รับจัดสรร")]


def note_after(bot: Flask, standin: LineStandIn, seconds: float, monkeypatch: pytest.MonkeyPatch) -> str:
    """สงขลา reports done; the reporter's next line comes `seconds` later. The bot's answer to the report."""
    send_summary(bot, standin)
    summary = standin.messages_to("C2")[0]
    reporter = Chat(standin, "U2", group_id="C2")
    answer = press(
        bot, reporter, choose(press(bot, reporter, report_button(summary, 2)["data"]), "ดำเนินการแล้ว")
    )
    kv = services_of(bot).kv
    later = time.monotonic() + seconds
    monkeypatch.setattr(kv, "_now", lambda: later)
    say(bot, reporter, "เสร็จเรียบร้อย")
    return str(answer[-1]["text"])


def test_a_note_after_the_minutes_have_passed_is_not_taken(
    bot: Flask, standin: LineStandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    note_after(bot, standin, services_of(bot).settings.reports.note_window_seconds + 1, monkeypatch)
    assert history(bot) == [("done", "U2", None)]


@pytest.mark.parametrize(
    ("window", "after", "said", "taken"),
    [
        (600, 400, "ภายใน 10 นาที", True),  # past config.yaml's 5 minutes, inside this window
        (90, 120, "ภายใน 90 วินาที", False),  # inside 5 minutes, past this window
    ],
)
def test_the_note_window_is_a_setting(
    build_app: Callable[..., Flask],
    standin: LineStandIn,
    monkeypatch: pytest.MonkeyPatch,
    window: int,
    after: float,
    said: str,
    taken: bool,
) -> None:
    overrides = {"line": {"api_base_url": standin.base_url}, "reports": {"note_window_seconds": window}}
    bot = build_app(overrides, env={**LINE_ENV, "ADMIN_TOKEN": TOKEN})
    assert said in note_after(bot, standin, after, monkeypatch)
    assert history(bot) == [("done", "U2", "เสร็จเรียบร้อย" if taken else None)]


@pytest.mark.parametrize(
    ("chat", "expected"),
    [
        (lambda s: Chat(s, "U1"), "รายงานผลได้ในกลุ่ม"),  # one-to-one: for which province?
        (lambda s: Chat(s, "U1", group_id="C9"), "ยังไม่ได้ลงทะเบียนจังหวัด"),  # a group without one
    ],
)
def test_a_report_needs_a_provincial_group(
    bot: Flask, standin: LineStandIn, chat: Callable[[LineStandIn], Chat], expected: str
) -> None:
    meeting = send_summary(bot, standin)
    standin.add_group("C9", name="กลุ่มใหม่", member_count=3)
    directive = meeting["directives"][0]["id"]
    who = chat(standin)
    for pressed in (postback.AskReport(directive), postback.GiveReport(directive, ReportStatus.DONE)):
        assert expected in press(bot, who, postback.encode(pressed))[-1]["text"]
    assert history(bot) == []


def test_a_closed_or_unknown_directive_takes_no_report(bot: Flask, standin: LineStandIn) -> None:
    meeting = send_summary(bot, standin)
    closed = meeting["directives"][1]
    api(bot, "PATCH", f"/api/meetings/{meeting['id']}", {"directives": [{"seq": 2, "status": "closed"}]})
    group = Chat(standin, "U1", group_id="C1")
    for directive_id in (closed["id"], 99_999):
        answer = press(bot, group, postback.encode(postback.GiveReport(directive_id, ReportStatus.DONE)))
        assert "รายงานผลไม่ได้" in answer[-1]["text"]
    assert history(bot) == []


def test_an_editor_changes_and_removes_a_deadline_by_the_api(bot: Flask, standin: LineStandIn) -> None:
    meeting = send_summary(bot, standin)
    path = f"/api/meetings/{meeting['id']}"
    changed = api(
        bot,
        "PATCH",
        path,
        {"directives": [{"seq": 1, "deadline": "2025-04-30"}, {"seq": 3, "deadline": None}]},
    )
    assert [d["deadline"] for d in changed["directives"]] == ["2025-04-30", None, None, None]
    response = bot.test_client().patch(
        path, json={"directives": [{"seq": 1, "deadline": "31/03/68"}]}, headers=AUTH
    )
    assert response.status_code == 422
    assert dt.date.fromisoformat(api(bot, "GET", path)["directives"][0]["deadline"]) == dt.date(2025, 4, 30)


def test_an_editor_sets_and_removes_a_deadline_in_the_console(bot: Flask, standin: LineStandIn) -> None:
    meeting = send_summary(bot, standin)
    editor = logged_in(bot, "editor", AdminRole.EDITOR)
    path = f"/admin/meetings/{meeting['id']}"
    data = _edit_form(editor, meeting["id"])
    assert (data["directives-0-deadline"], data["directives-1-deadline"]) == ("2025-03-31", "")
    data["directives-1-deadline"] = "2025-09-30"
    data["directives-0-deadline"] = ""
    data["csrf_token"] = csrf_token(editor.get(path))
    assert editor.client.post(path, data=data).status_code == 302
    shown = api(bot, "GET", f"/api/meetings/{meeting['id']}")
    assert [d["deadline"] for d in shown["directives"]] == [None, "2025-09-30", "2025-06-30", None]
    page = editor.get(path).get_data(as_text=True)
    assert "กำหนดเสร็จ 30 กันยายน 2568" in page
    data["directives-1-deadline"] = "31/09/2568"  # not a date: refused, nothing written
    data["csrf_token"] = csrf_token(editor.get(path))
    assert editor.client.post(path, data=data).status_code == 422
    assert api(bot, "GET", f"/api/meetings/{meeting['id']}")["directives"][1]["deadline"] == "2025-09-30"


def test_the_latest_report_is_current_whatever_order_they_are_handled_in(
    bot: Flask, standin: LineStandIn
) -> None:
    meeting = send_summary(bot, standin)
    directive = meeting["directives"][0]["id"]
    noon = dt.datetime(2026, 3, 2, 5, 0, tzinfo=dt.UTC)
    services = services_of(bot)
    # Two groups of เชียงใหม่ report a minute apart; the later one is handled first.
    for group, status, at, event in (
        ("C1b", ReportStatus.DONE, noon + dt.timedelta(minutes=1), "E2"),
        ("C1", ReportStatus.PROBLEM, noon, "E1"),
    ):
        with services.db.session() as session:
            reports.record(
                session,
                directive_id=directive,
                line_group_id=group,
                status=status,
                user_id=None,
                user_name=None,
                at=at,
                webhook_event_id=event,
            )
    assert current(bot) == {(directive, "เชียงใหม่"): ReportStatus.DONE}
    assert sorted(s for s, _, _ in history(bot)) == ["done", "problem"]
