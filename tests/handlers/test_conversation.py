"""The conversation as officials meet it: questions sent as signed events through the real /callback,
answers read from the LINE stand-in, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from bot.kv import MemoryStore
from handlers.conversation import FOLLOW_UP_SECONDS
from linesim import LineStandIn
from tests.conftest import services_of
from tests.handlers.questions import add_meetings, clock
from tests.handlers.test_webhook import ask
from tests.linebot_helpers import LINE_ENV, Chat, all_text


@pytest.fixture
def bot(make_bot: Callable[..., Flask]) -> Flask:
    return make_bot()


def test_a_topic_without_a_command_is_searched_once(
    bot: Flask, standin: LineStandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    search = services_of(bot).search
    calls: list[str] = []
    real = search.search

    def counted(query: Any, limit: int = 10) -> Any:
        calls.append(str(query))
        return real(query, limit)

    monkeypatch.setattr(search, "search", counted)
    answer = all_text(ask(bot, Chat(standin), "ขยะติดเชื้อ"))
    assert "มูลฝอยติดเชื้อ" in answer
    assert len(calls) == 1


# --- questions about a period, asked on a fixed day -------------------------------------------------------


@pytest.fixture
def meetings_bot(make_bot: Callable[..., Flask]) -> Flask:
    """The seed and five real meetings; today is 20 July 2568 in Bangkok."""
    app = make_bot(clock=clock)
    with services_of(app).db.session() as session:
        add_meetings(session)
    return app


@pytest.mark.parametrize("typed", ["ข้อสั่งการเดือนกรกฎาคม 2566", "ประชุม ก.ค.๖๖ มีไรบ้าง", "ข้อสั่งการ กรกฎา 66"])
def test_a_month_with_two_meetings_shows_both(meetings_bot: Flask, standin: LineStandIn, typed: str) -> None:
    answer = all_text(ask(meetings_bot, Chat(standin), typed))
    assert "มีการประชุม 2 ครั้ง" in answer
    assert "5 กรกฎาคม 2566" in answer and "18 กรกฎาคม 2566" in answer


@pytest.mark.parametrize(
    ("typed", "missing", "nearest"),
    [
        ("ข้อสั่งการเดือนกุมภา 65", "เดือนกุมภาพันธ์ 2565", "21 ม.ค. 65"),
        ("ประชุมเดือนที่แล้ว", "เดือนมิถุนายน 2568", "16 ก.ค. 68"),
        ("เมื่อวานประชุมอะไร", "วันที่ 19 กรกฎาคม 2568", "16 ก.ค. 68"),
        ("ข้อสั่งการปี 2564", "ปี 2564", "2 ธ.ค. 63"),
    ],
)
def test_a_period_without_meetings_says_so_and_offers_the_nearest(
    meetings_bot: Flask, standin: LineStandIn, typed: str, missing: str, nearest: str
) -> None:
    chat = Chat(standin)
    answer = ask(meetings_bot, chat, typed)
    assert f"ไม่มีการประชุมใน{missing}" in answer[0]["text"]
    offered = [item["action"] for item in answer[0]["quickReply"]["items"]]
    chosen = next(action for action in offered if action["label"] == nearest)
    assert "ข้อสั่งการ" in all_text(ask(meetings_bot, chat, chosen["text"]))  # the offer leads there


def test_this_month_follows_the_clock(make_bot: Callable[..., Flask], standin: LineStandIn) -> None:
    # 31 Jan 2565 17:30 UTC is already 1 February in Bangkok: "this month" is February, without meetings.
    late = dt.datetime(2022, 1, 31, 17, 30, tzinfo=dt.UTC)
    answer = all_text(ask(make_bot(clock=lambda: late), Chat(standin), "ข้อสั่งการเดือนนี้"))
    assert "ไม่มีการประชุมในเดือนกุมภาพันธ์ 2565" in answer


# --- follow-ups ------------------------------------------------------------------------------------------


def test_a_follow_up_refers_to_the_list_this_chat_was_shown(
    meetings_bot: Flask, standin: LineStandIn
) -> None:
    chat, other = Chat(standin, "U1"), Chat(standin, "U2")
    listed = all_text(ask(meetings_bot, chat, "ประชุมครั้งที่ 4/2563"))
    assert "7. ห้ามมิให้จำหน่ายเครื่องดื่มแอลกอฮอล์" in listed
    for typed in ("ข้อ 7", "ข้อเจ็ด", "อ่านต่อข้อที่ ๗", "อันที่เจ็ด"):
        assert "ข้อสั่งการข้อ 7 (ครั้งที่ 4/2563" in all_text(ask(meetings_bot, chat, typed)), typed
    # another chat was shown nothing: "ข้อ 2" is the latest meeting's second directive
    assert "มาตรการป้องปราม" in all_text(ask(meetings_bot, other, "ข้อ 2"))
    assert "มี 8 ข้อ" in all_text(ask(meetings_bot, chat, "ข้อ 9"))
    assert "ให้ผู้บังคับบัญชาเป็นแบบอย่างที่ดี" in all_text(ask(meetings_bot, chat, "ข้อสุดท้าย"))


def test_a_follow_up_after_a_search_is_a_hit_of_that_search(
    meetings_bot: Flask, standin: LineStandIn
) -> None:
    chat = Chat(standin)
    hits = all_text(ask(meetings_bot, chat, "ค้นหา มูลฝอยติดเชื้อ"))
    assert "1. แนวทางปฏิบัติในการบริหารจัดการมูลฝอยติดเชื้อ" in hits
    assert "กรมอนามัย" in all_text(ask(meetings_bot, chat, "ข้อแรก"))


def test_a_list_is_forgotten_after_some_minutes(
    meetings_bot: Flask, standin: LineStandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    chat = Chat(standin)
    ask(meetings_bot, chat, "ประชุมครั้งที่ 4/2563")
    kv = services_of(meetings_bot).kv
    assert isinstance(kv, MemoryStore)
    later = time.monotonic() + FOLLOW_UP_SECONDS + 1
    monkeypatch.setattr(kv, "_now", lambda: later)
    assert "มาตรการป้องปราม" in all_text(ask(meetings_bot, chat, "ข้อ 2"))  # the latest meeting's again


def test_with_redis_every_process_knows_the_list(
    build_app: Callable[..., Flask], standin: LineStandIn, redis_url: str
) -> None:
    settings = {
        "line": {"api_base_url": standin.base_url},
        "redis": {"url": redis_url, "key_prefix": f"test-{uuid.uuid4().hex[:8]}:"},
    }
    one, two = (build_app(settings, env=LINE_ENV, clock=clock) for _ in range(2))
    with services_of(one).db.session() as session:
        add_meetings(session)
    chat = Chat(standin)
    ask(one, chat, "ประชุมครั้งที่ 4/2563")
    assert "ข้อสั่งการข้อ 3 (ครั้งที่ 4/2563" in all_text(ask(two, chat, "ข้อ 3"))


# --- small talk ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("หวัดดีค่ะ", "สวัสดีครับ"),
        ("สวัสดีครับผม", "สวัสดีครับ"),
        ("ขอบคุณค่ะ", "ยินดีครับ"),
        ("ขอบใจมากนะ", "ยินดีครับ"),
        ("มีอะไรใหม่ไหม", "มาตรการป้องกัน"),
        ("อัปเดตหน่อย", "มาตรการป้องกัน"),
    ],
)
def test_small_talk_is_answered_as_such(
    meetings_bot: Flask, standin: LineStandIn, typed: str, expected: str
) -> None:
    answer = all_text(ask(meetings_bot, Chat(standin), typed))
    assert expected in answer and "ไม่พบ" not in answer


def test_small_talk_in_a_group_is_left_to_its_members(meetings_bot: Flask, standin: LineStandIn) -> None:
    group = Chat(standin, group_id="C100")
    chatter = ("ขอบคุณค่ะ", "สวัสดีครับ", "มีอะไรใหม่ไหม", "ข้อ 3", "เมื่อวานมีอะไรบ้าง", "ผู้ว่าว่าไง", "ขอเบอร์ติดต่อหน่อย")
    for typed in chatter:
        assert ask(meetings_bot, group, typed) == [], typed
    assert "มาตรการป้องกัน" in all_text(ask(meetings_bot, group, "ข้อสั่งการเดือนนี้"))
    mention = {"mentionees": [{"index": 0, "length": 4, "type": "user", "userId": "Ubot", "isSelf": True}]}
    assert "ยินดีครับ" in all_text(ask(meetings_bot, group, "@บอท ขอบคุณค่ะ", mention=mention))


def test_new_year_in_a_topic_is_not_what_is_new(meetings_bot: Flask, standin: LineStandIn) -> None:
    answer = all_text(ask(meetings_bot, Chat(standin), "ข้อสั่งการช่วงปีใหม่"))
    assert "ปีใหม่" in answer and "มาตรการป้องปราม" not in answer


# --- who chaired --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "ordered", "not_ordered"),
    [
        ("นายกฯ สั่งอะไรไว้บ้าง", "พร่องน้ำในคลองสาขา", "มาตรการป้องปราม"),  # รองนายกรัฐมนตรี is someone else
        ("มท.1 ว่าไง", "มาตรการป้องปราม", "พร่องน้ำในคลองสาขา"),
        ("ปลัดมหาดไทยสั่งการอะไรบ้าง", "อบจ.เชียงใหม่", "ค่าครองชีพ"),
        ("อธิบดี สถ. สั่งเรื่องอะไร", "ค่าครองชีพ", "มาตรการป้องปราม"),
    ],
)
def test_what_an_office_ordered(
    meetings_bot: Flask, standin: LineStandIn, typed: str, ordered: str, not_ordered: str
) -> None:
    answer = all_text(ask(meetings_bot, Chat(standin), typed))
    assert ordered in answer and not_ordered not in answer


def test_two_meetings_of_one_chair_are_both_listed(meetings_bot: Flask, standin: LineStandIn) -> None:
    answer = all_text(ask(meetings_bot, Chat(standin), "ปลัด มท. มีข้อสั่งการอะไรบ้าง"))
    assert "ปลัดกระทรวงมหาดไทยเป็นประธานการประชุม 2 ครั้ง" in answer
    assert "สวดมนต์" in answer and "อบจ.เชียงใหม่" in answer


# --- topics --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "says", "never"),
    [
        # The seed meeting's headline speaks of ค่าครองชีพ; only its second directive is about it.
        ("ค่าครองชีพ", ["(1 รายการ)"], ["มูลฝอยติดเชื้อ"]),
        # A flood meeting's directives say พร่องน้ำ, ประตูระบายน้ำ; its headline says น้ำหลาก.
        ("น้ำท่วม", ["(6 รายการ)", "พร่องน้ำในคลองสาขา"], []),
        ("อุทกภัย", ["(6 รายการ)", "พร่องน้ำในคลองสาขา"], []),
        ("ค้นหา น้ำท่วม", ["(6 รายการ)", "พร่องน้ำในคลองสาขา"], []),
        # A topic in a period: the meetings of that period only.
        ("น้ำท่วมปีที่แล้ว", ['"น้ำท่วม ในปี 2567" (6 รายการ)'], []),
        ("ข้อสั่งการเรื่องยาเสพติดเดือนนี้", ["มาตรการปราบปราม"], ["ไม่พบ"]),
        ("ค้นหา อุบัติเหตุ ธ.ค. 63", ["ทางถนน", "ในเดือนธันวาคม 2563"], []),
        ("ITA ปี 2565", ["การประเมินคุณธรรมและความโปร่งใส"], []),
        ("น้ำท่วมปีนี้", ['ไม่พบข้อสั่งการเรื่อง "น้ำท่วม" ในปี 2568'], ["พร่องน้ำ"]),
        ("ขยะติดเชื้อ ม.ค. 2566", ["ในเดือนมกราคม 2566"], ["มูลฝอยติดเชื้อภายหลัง"]),
        # Outside the bot's work: it says what it can do, and shows no search results.
        ("อากาศวันนี้เป็นยังไง", ["ตอบได้เรื่องข้อสั่งการ"], ["ผลการค้นหา"]),
        ("ผลบอลเมื่อคืน", ["ตอบได้เรื่องข้อสั่งการ"], ["ผลการค้นหา"]),
        ("หวยออกอะไร", ["ตอบได้เรื่องข้อสั่งการ"], ["ผลการค้นหา"]),
        ("ราคาทองวันนี้", ["ตอบได้เรื่องข้อสั่งการ"], ["ไม่พบข้อสั่งการเรื่อง"]),  # a period, but no topic of ours
    ],
)
def test_a_topic_shows_the_hits_about_it(
    meetings_bot: Flask, standin: LineStandIn, typed: str, says: list[str], never: list[str]
) -> None:
    answer = all_text(ask(meetings_bot, Chat(standin), typed))
    assert all(text in answer for text in says) and not any(text in answer for text in never)


def test_more_hits_than_shown_are_counted_and_offered(meetings_bot: Flask, standin: LineStandIn) -> None:
    chat = Chat(standin)
    first = ask(meetings_bot, chat, "น้ำท่วม")
    assert "(6 รายการ) แสดงรายการที่ 1–5" in first[0]["altText"]
    assert len(first[0]["contents"]["contents"]) == 5
    offered = first[0]["quickReply"]["items"][0]["action"]
    assert offered["label"] == "ดูเพิ่ม"
    rest = ask(meetings_bot, chat, offered["text"])
    assert "6. เร่งกำจัดขยะและผักตบชวา" in rest[0]["altText"]
    assert len(rest[0]["contents"]["contents"]) == 1
    assert "ดูเพิ่ม" not in all_text([rest[0]["quickReply"]])
    assert "ไม่มีรายการเพิ่มเติม" in all_text(ask(meetings_bot, chat, "มีอีกไหม"))
    assert "อธิบดีกรมชลประทาน" in all_text(ask(meetings_bot, chat, "ข้อ 6"))  # numbers run on


def test_more_without_a_list_says_there_is_none(meetings_bot: Flask, standin: LineStandIn) -> None:
    assert "ไม่มีรายการเพิ่มเติม" in all_text(ask(meetings_bot, Chat(standin), "ดูเพิ่ม"))


# --- out of scope -------------------------------------------------------------------------------------------


def test_contact_details_are_those_the_department_configured(
    make_bot: Callable[..., Flask], standin: LineStandIn
) -> None:
    bot = make_bot(contact={"phone": "0 2241 9000", "website": "https://www.dla.go.th"})
    answer = all_text(ask(bot, Chat(standin), "ขอเบอร์ติดต่อ สถ. หน่อยครับ"))
    assert "โทร: 0 2241 9000" in answer and "เว็บไซต์: https://www.dla.go.th" in answer
    assert "อีเมล" not in answer  # none configured, none made up


def test_without_contact_details_the_bot_says_it_has_none(bot: Flask, standin: LineStandIn) -> None:
    answer = all_text(ask(bot, Chat(standin), "เบอร์โทรกรมส่งเสริมการปกครองท้องถิ่น"))
    assert "ยังไม่มีข้อมูลติดต่อ" in answer and "โทร:" not in answer


# --- question words --------------------------------------------------------------------------------------


def test_when_is_answered_with_the_period_or_says_there_is_none(
    meetings_bot: Flask, standin: LineStandIn
) -> None:
    chat = Chat(standin)
    dated = ask(meetings_bot, chat, "ITA ต้องส่งเมื่อไหร่ครับ")
    assert dated[0]["type"] == "text" and "ประจำปีงบประมาณ พ.ศ. 2565" in dated[0]["text"]
    undated = ask(meetings_bot, chat, "ค่าครองชีพ กำหนดส่งเมื่อไหร่")
    assert "ไม่ได้ระบุวันหรือกำหนดเวลา" in undated[0]["text"]


def test_how_leads_with_what_local_bodies_must_do(meetings_bot: Flask, standin: LineStandIn) -> None:
    answer = ask(meetings_bot, Chat(standin), "ขยะติดเชื้อต้องทำยังไง")
    first = answer[0]["text"]
    assert "ร่วมมือกับองค์กรปกครองส่วนท้องถิ่นในพื้นที่ปฏิบัติตามแนวทาง" in first
    assert answer[1]["type"] == "flex"  # the directive's card still follows


@pytest.mark.parametrize(
    ("typed", "province"), [("ลงทะเบียน โคราช", "นครราชสีมา"), ("ลงทะเบียน อุบลฯ", "อุบลราชธานี")]
)
def test_a_group_registers_with_a_provinces_everyday_name(
    bot: Flask, standin: LineStandIn, typed: str, province: str
) -> None:
    answer = all_text(ask(bot, Chat(standin, group_id="C100"), typed))
    assert f"จังหวัด{province}" in answer


# --- directives due soon (the rich menu's "งานที่ใกล้ครบกำหนด") ---------------------------------------------


def _set_deadlines(app: Flask, deadlines: dict[int, dt.date | None]) -> dict[int, str]:
    """Give the latest meeting's directives (by position) these deadlines; their titles by position."""
    from sqlalchemy import select

    from bot.models import Meeting

    with services_of(app).db.session() as session:
        meeting = session.scalars(select(Meeting).order_by(Meeting.meeting_date.desc()).limit(1)).one()
        ordered = sorted(meeting.directives, key=lambda d: d.seq)
        for position, deadline in deadlines.items():
            ordered[position].deadline = deadline
        session.commit()
        return {position: ordered[position].title for position in deadlines}


@pytest.mark.parametrize(
    "typed", ["งานที่ใกล้ครบกำหนด", "มีงานอะไรใกล้ครบกำหนดบ้าง", "ข้อสั่งการที่ใกล้ครบกำหนด", "deadline ช่วงนี้"]
)
def test_directives_due_are_listed_soonest_first_and_past_ones_left_out(
    meetings_bot: Flask, standin: LineStandIn, typed: str
) -> None:
    today = clock().astimezone(dt.timezone(dt.timedelta(hours=7))).date()
    titles = _set_deadlines(
        meetings_bot,
        {0: today + dt.timedelta(days=40), 1: today - dt.timedelta(days=1), 2: today, 3: None},
    )
    listed = ask(meetings_bot, Chat(standin), typed)[0]["text"]
    assert listed.startswith("งานที่ใกล้ครบกำหนด")
    soonest, later = listed.find(titles[2][:20]), listed.find(titles[0][:20])
    assert 0 <= soonest < later
    assert titles[1][:20] not in listed  # a day late: not due any more


def test_without_directives_due_the_bot_says_so(meetings_bot: Flask, standin: LineStandIn) -> None:
    answer = all_text(ask(meetings_bot, Chat(standin), "งานที่ใกล้ครบกำหนด"))
    assert "ยังไม่มีข้อสั่งการที่ระบุกำหนดเวลา" in answer
