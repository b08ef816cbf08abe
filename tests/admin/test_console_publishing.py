"""The console's publish review, unpublish and corrections, cancel with confirmation, and the
importer's warnings that an edit answers. Form posts as a browser sends them, CSRF tokens included."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from flask import Flask
from sqlalchemy import select

from bot.models import (
    AdminRole,
    AuditLog,
    Broadcast,
    BroadcastKind,
    BroadcastStatus,
    BroadcastTarget,
    Directive,
    GroupStatus,
    LineGroup,
    LineUser,
    Meeting,
    Province,
)
from meetings.parsing import article
from tests.conftest import services_of
from tests.console_helpers import Browser, csrf_token, logged_in


def _text(response: Any) -> str:
    return str(response.get_data(as_text=True))


def _meeting(app: Flask, title: str, date: dt.date | None, directives: list[str], warnings: list[str]) -> int:
    with services_of(app).db.session() as session:
        meeting = Meeting(title=title, meeting_date=date, raw_text="ข่าว", warnings=warnings)
        for seq, directive_title in enumerate(directives, start=1):
            meeting.directives.append(Directive(seq=seq, title=directive_title, text=f"เนื้อหาข้อ {seq}"))
        session.add(meeting)
        session.flush()
        return meeting.id


def _groups(app: Flask, members: dict[str, int]) -> None:
    with services_of(app).db.session() as session:
        province_id = session.scalar(select(Province.id).where(Province.name_th == "ชลบุรี"))
        for group_id, count in members.items():
            session.add(
                LineGroup(
                    line_group_id=group_id,
                    name=f"กลุ่ม {group_id}",
                    province_id=province_id,
                    status=GroupStatus.ACTIVE,
                    member_count=count,
                )
            )


def _form(page: str) -> dict[str, str]:
    """The meeting form's fields as the browser would send them (text inputs, textareas, checked boxes)."""
    form = page[page.index('id="meeting-form"') :]
    form = form[: form.index("</form>")]
    data: dict[str, str] = {}
    for tag in re.findall(r"<input[^>]*>", form):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name is None or ('type="checkbox"' in tag and "checked" not in tag):
            continue
        data[name.group(1)] = value.group(1) if value else ""
    for name, value in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>\r?\n?(.*?)</textarea>', form, re.S):
        data[name] = value
    return data


def _post_form(browser: Browser, meeting_id: int, **changes: str) -> Any:
    page = _text(browser.get(f"/admin/meetings/{meeting_id}"))
    data = {**_form(page), **changes}
    return browser.client.post(f"/admin/meetings/{meeting_id}", data=data)


def test_publishing_saves_the_form_then_shows_each_problem_next_to_its_field(ready_app: Flask) -> None:
    meeting_id = _meeting(ready_app, "", None, ["ขยะติดเชื้อ"], [article.WARN_NO_TITLE, article.WARN_NO_DATE])
    editor = logged_in(ready_app, "editor", AdminRole.EDITOR)
    # The title typed in and the review asked for in one go: the edit is saved, the date is missing.
    response = _post_form(editor, meeting_id, title="การประชุมผู้บริหาร สถ. ครั้งที่ 1/2569", review="1")
    assert response.status_code == 422
    page = _text(response)
    date_field = page[page.index('name="date"') :]
    assert "ใส่วันที่ประชุมก่อนเผยแพร่" in date_field[:400]  # the Thai message beside its field
    assert "ใส่ชื่อเรื่องก่อนเผยแพร่" not in page
    with services_of(ready_app).db.session() as session:
        meeting = session.get_one(Meeting, meeting_id)
        assert meeting.title == "การประชุมผู้บริหาร สถ. ครั้งที่ 1/2569" and meeting.published_at is None
        assert meeting.warnings == [article.WARN_NO_DATE]  # the title's warning went with it
        assert session.scalars(select(Broadcast)).all() == []

    response = _post_form(editor, meeting_id, date="2026-01-15", review="1")
    assert response.status_code == 302 and response.location.endswith(f"/admin/meetings/{meeting_id}/publish")
    with services_of(ready_app).db.session() as session:
        assert session.get_one(Meeting, meeting_id).warnings == []


def test_the_review_shows_the_message_groups_members_and_cost_then_publishes_what_was_reviewed(
    ready_app: Flask,
) -> None:
    _groups(ready_app, {"Ca": 25, "Cb": 12})
    meeting_id = _meeting(ready_app, "การประชุมเดือนมกราคม", dt.date(2026, 1, 15), ["ค่าครองชีพ"], [])
    editor = logged_in(ready_app, "editor", AdminRole.EDITOR)
    review = editor.get(f"/admin/meetings/{meeting_id}/publish")
    page = _text(review)
    assert re.search(r'id="estimate-groups">2<', page)
    assert "37 คน" in page and re.search(r'id="estimate-cost">37<', page)
    assert 'id="preview-chat"' in page and "การประชุมเดือนมกราคม" in page  # the summary as LINE draws it
    version = re.search(r'name="version" type="hidden" value="([0-9a-f]+)"', page)
    assert version is not None
    token = csrf_token(review)

    # Edited in another tab after the review: the confirmation is refused, nothing is published.
    _post_form(editor, meeting_id, **{"directives-0-title": "ค่าครองชีพของประชาชน"})
    stale = editor.client.post(
        f"/admin/meetings/{meeting_id}/publish", data={"csrf_token": token, "version": version.group(1)}
    )
    assert stale.status_code == 302 and stale.location.endswith(f"/admin/meetings/{meeting_id}/publish")
    with services_of(ready_app).db.session() as session:
        assert session.get_one(Meeting, meeting_id).published_at is None

    review = editor.get(f"/admin/meetings/{meeting_id}/publish")
    fresh = re.search(r'name="version" type="hidden" value="([0-9a-f]+)"', _text(review))
    assert fresh is not None and fresh.group(1) != version.group(1)
    done = editor.client.post(
        f"/admin/meetings/{meeting_id}/publish",
        data={"csrf_token": csrf_token(review), "version": fresh.group(1)},
    )
    assert done.status_code == 302
    with services_of(ready_app).db.session() as session:
        assert session.get_one(Meeting, meeting_id).published_at is not None
        assert session.scalars(select(Broadcast)).one().meeting_id == meeting_id


def test_a_meeting_without_directives_needs_the_explicit_choice(ready_app: Flask) -> None:
    meeting_id = _meeting(ready_app, "ประชุมชี้แจง", dt.date(2026, 2, 1), [], [])
    editor = logged_in(ready_app, "editor", AdminRole.EDITOR)
    refused = _post_form(editor, meeting_id, review="1")
    assert refused.status_code == 422 and "ยังไม่มีข้อสั่งการ" in _text(refused)
    accepted = _post_form(editor, meeting_id, review="1", no_directives="y")
    assert accepted.status_code == 302 and "no_directives=1" in accepted.location


def test_unpublish_asks_first_then_cancels_the_summary(ready_app: Flask) -> None:
    _groups(ready_app, {"Ca": 25})
    meeting_id = _meeting(ready_app, "ประชุมที่ต้องถอน", dt.date(2026, 3, 1), ["ภัยแล้ง"], [])
    editor = logged_in(ready_app, "editor", AdminRole.EDITOR)
    review = editor.get(f"/admin/meetings/{meeting_id}/publish")
    version = re.search(r'name="version" type="hidden" value="([0-9a-f]+)"', _text(review))
    assert version is not None
    editor.client.post(
        f"/admin/meetings/{meeting_id}/publish",
        data={"csrf_token": csrf_token(review), "version": version.group(1)},
    )
    confirm = editor.get(f"/admin/meetings/{meeting_id}/unpublish")
    assert confirm.status_code == 200 and "ยืนยันยกเลิกการเผยแพร่" in _text(confirm)
    with services_of(ready_app).db.session() as session:
        assert session.get_one(Meeting, meeting_id).published_at is not None  # asking changed nothing
    done = editor.client.post(
        f"/admin/meetings/{meeting_id}/unpublish", data={"csrf_token": csrf_token(confirm)}
    )
    assert done.status_code == 302
    with services_of(ready_app).db.session() as session:
        assert session.get_one(Meeting, meeting_id).published_at is None
        assert session.scalars(select(Broadcast)).one().status is BroadcastStatus.CANCELLED


def test_a_correction_is_audited_and_can_notify_the_groups(ready_app: Flask) -> None:
    meeting_id = _meeting(ready_app, "ประชุมเดือนมีนาคม", dt.date(2026, 3, 9), ["น้ำท่วม"], [])
    with services_of(ready_app).db.session() as session:
        session.get_one(Meeting, meeting_id).published_at = dt.datetime.now(dt.UTC)
    editor = logged_in(ready_app, "editor", AdminRole.EDITOR)
    page = _text(editor.get(f"/admin/meetings/{meeting_id}"))
    assert "ส่งข้อความแจ้งการแก้ไข" in page and "ยกเลิกการเผยแพร่" in page
    assert _post_form(editor, meeting_id, title="ประชุมเดือนมีนาคม 2569", notify="y").status_code == 302
    with services_of(ready_app).db.session() as session:
        entry = session.scalars(select(AuditLog).where(AuditLog.action == "meeting.correct")).one()
        assert entry.details == {"changed": ["title"], "notify": True}
    admin = logged_in(ready_app, "boss", AdminRole.ADMIN)
    log = _text(admin.get("/admin/audit"))
    assert "แก้ไขการประชุมที่เผยแพร่แล้ว" in log and "ที่แก้ไข: ชื่อเรื่อง" in log
    assert f'href="/admin/meetings/{meeting_id}"' in log


def test_cancel_asks_first_and_the_page_says_when_it_was_cancelled(ready_app: Flask) -> None:
    _groups(ready_app, {"Ca": 25})
    with services_of(ready_app).db.session() as session:
        broadcast = Broadcast(
            kind=BroadcastKind.TEXT,
            text="นัดประชุม",
            target_kind=BroadcastTarget.ALL,
            target_ids=[],
            scheduled_at=dt.datetime.now(dt.UTC) + dt.timedelta(days=1),
            status=BroadcastStatus.SCHEDULED,
        )
        session.add(broadcast)
        session.flush()
        broadcast_id = broadcast.id
    editor = logged_in(ready_app, "editor", AdminRole.EDITOR)
    detail = _text(editor.get(f"/admin/broadcasts/{broadcast_id}"))
    assert f'href="/admin/broadcasts/{broadcast_id}/cancel"' in detail
    confirm = editor.get(f"/admin/broadcasts/{broadcast_id}/cancel")
    assert "ยืนยันยกเลิกการส่ง" in _text(confirm) and "ทุกกลุ่ม" in _text(confirm)
    with services_of(ready_app).db.session() as session:
        assert session.get_one(Broadcast, broadcast_id).status is BroadcastStatus.SCHEDULED
    editor.client.post(f"/admin/broadcasts/{broadcast_id}/cancel", data={"csrf_token": csrf_token(confirm)})
    detail = _text(editor.get(f"/admin/broadcasts/{broadcast_id}"))
    assert re.search(r'id="broadcast-ended">ยกเลิกแล้ว เมื่อ \d', detail)
    assert "ส่งเสร็จ" not in detail


def test_the_audit_log_names_line_users_instead_of_their_ids(ready_app: Flask) -> None:
    user_id = "U" + "a1" * 16
    with services_of(ready_app).db.session() as session:
        session.add(LineUser(line_user_id=user_id, display_name="สมชาย ใจดี"))
        session.add(
            AuditLog(
                actor=f"line:{user_id}",
                action="group.unsubscribe",
                target_type="line_group",
                target_id="999",
                details={"province": "ชลบุรี", "member": "สมชาย ใจดี"},
            )
        )
        session.add(
            AuditLog(actor=f"line:U{'f' * 32}", action="group.register", details={"status": "active"})
        )
    admin = logged_in(ready_app, "boss", AdminRole.ADMIN)
    log = _text(admin.get("/admin/audit"))
    assert "สมชาย ใจดี (ทาง LINE)" in log and "ยกเลิกการรับข่าวของกลุ่ม" in log
    assert user_id not in log and "U" + "f" * 32 not in log
    assert "ผู้ใช้ LINE ที่ไม่ทราบชื่อ" in log and "สถานะ: รับข่าว" in log
