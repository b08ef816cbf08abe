"""Provincial office accounts (#20): a console account scoped to its provinces, on SQLite and PostgreSQL.

The office sees and changes its own provinces' groups and broadcasts only, and every route of the app
is checked with another province's ids (walked from the url_map, so a new route is covered at once).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask, url_for
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select

from admin.console import accounts
from bot.models import (
    AdminRole,
    AdminUser,
    AuditLog,
    Broadcast,
    BroadcastKind,
    BroadcastStatus,
    BroadcastTarget,
    ChangeRequestStatus,
    Delivery,
    DeliveryStatus,
    Directive,
    DirectiveProgress,
    DirectiveReport,
    GroupChangeRequest,
    GroupStatus,
    LineGroup,
    Meeting,
    Province,
    ReportStatus,
    utcnow,
)
from broadcasts import service
from linesim import LineStandIn
from tests.conftest import services_of
from tests.console_helpers import PASSWORD, Browser, csrf_token, logged_in
from tests.linebot_helpers import LINE_ENV

OWN, OTHER = "เชียงใหม่", "สงขลา"
NEW = "/admin/broadcasts/new"
API_TOKEN = "department-token"
# Reachable without an account: they show nothing of any province (LINE's webhook checks its signature).
PUBLIC = frozenset(
    {
        "static",
        "metrics.metrics",
        "health.healthz",
        "health.readyz",
        "home.index",
        "api.openapi",
        "auth.login",
        "auth.logout",
    }
)


@pytest.fixture
def bot(build_app: Callable[..., Flask], standin: LineStandIn) -> Flask:
    return build_app({"line": {"api_base_url": standin.base_url}}, env={**LINE_ENV, "ADMIN_TOKEN": API_TOKEN})


def _province_id(app: Flask, name: str) -> int:
    with services_of(app).db.session() as session:
        found = session.scalar(select(Province.id).where(Province.name_th == name))
    assert found is not None, name
    return found


def office(app: Flask, username: str, *provinces: str) -> Browser:
    with services_of(app).db.session() as session:
        accounts.create(session, username, PASSWORD, AdminRole.PROVINCE, actor="test", provinces=provinces)
    browser = Browser(app)
    assert browser.login(username).status_code == 302
    return browser


def add_group(
    app: Flask, standin: LineStandIn, line_id: str, province: str, status: GroupStatus, members: int = 10
) -> int:
    standin.add_group(line_id, name=f"กลุ่ม {line_id}", member_count=members)
    with services_of(app).db.session() as session:
        group = LineGroup(
            line_group_id=line_id,
            name=f"กลุ่ม {line_id}",
            province_id=_province_id(app, province),
            status=status,
            member_count=members,
            member_count_at=utcnow(),
        )
        session.add(group)
        session.flush()
        return group.id


def change_request(app: Flask, group_id: int, to: str) -> int:
    with services_of(app).db.session() as session:
        request = GroupChangeRequest(group_id=group_id, province_id=_province_id(app, to))
        session.add(request)
        session.flush()
        return request.id


def broadcast_to(
    app: Flask, provinces: list[str], text: str, by: str | None = None, sent: bool = True
) -> int:
    """A text broadcast to these provinces; `sent`: its deliveries written and delivered (one failed)."""
    services = services_of(app)
    with services.db.session() as session:
        ids = tuple(_province_id(app, name) for name in provinces)
        record, _ = service.create(
            services,
            session,
            kind=BroadcastKind.TEXT,
            text=text,
            target=service.Target(BroadcastTarget.PROVINCES, ids),
            actor=by or "test",
            check_quota=False,
            at=None if sent else utcnow().replace(year=utcnow().year + 1),
        )
        if by is not None:
            record.created_by_id = session.scalar(select(AdminUser.id).where(AdminUser.username == by))
        if sent:
            record.status = BroadcastStatus.PARTIALLY_FAILED
            session.flush()
            service.write_deliveries(session, record)
            for delivery in session.scalars(select(Delivery).where(Delivery.broadcast_id == record.id)):
                delivery.status = DeliveryStatus.FAILED
                delivery.last_error = "500 down"
        return record.id


def _url(app: Flask, endpoint: str, **values: Any) -> str:
    with app.test_request_context():
        return url_for(endpoint, **values)


def count(app: Flask, model: type[Any], *where: Any) -> int:
    with services_of(app).db.session() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where)) or 0


# --- creating the accounts ----------------------------------------------------------------------------


@pytest.fixture
def cli(ready_app: Flask, monkeypatch: pytest.MonkeyPatch) -> FlaskCliRunner:
    monkeypatch.setenv(accounts.PASSWORD_ENV, PASSWORD)
    return ready_app.test_cli_runner()


def _provinces_of(app: Flask, username: str) -> tuple[AdminRole, set[str]]:
    with services_of(app).db.session() as session:
        user = accounts.find(session, username)
        assert user is not None
        return user.role, {p.name_th for p in user.provinces}


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["เชียงใหม่"], {"เชียงใหม่"}),
        (["โคราช", "Chiang Rai"], {"นครราชสีมา", "เชียงราย"}),  # everyday and English names
        (["จ.อุบล", "อุบลราชธานี"], {"อุบลราชธานี"}),  # one province named twice is one
        (["กทม"], {"กรุงเทพมหานคร"}),
        (["เชียงใหม"], {"เชียงใหม่"}),  # a typo the conversation forgives too
    ],
)
def test_the_cli_creates_an_office_account_for_the_provinces_named_as_people_write_them(
    cli: FlaskCliRunner, ready_app: Flask, names: list[str], expected: set[str]
) -> None:
    args = ["admin", "create", "office1", "--role", "province"]
    for name in names:
        args += ["--province", name]
    result = cli.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert _provinces_of(ready_app, "office1") == (AdminRole.PROVINCE, expected)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "province", "--province", "สมุทรสาคราม"], "ไม่รู้จักจังหวัด"),  # two provinces as close
        (["--role", "province", "--province", "แอตแลนติส"], "ไม่รู้จักจังหวัด 'แอตแลนติส'"),
        (["--role", "province", "--province", "เชียงใหม่", "--province", "zz"], "ไม่รู้จักจังหวัด 'zz'"),
        (["--role", "province"], "ต้องระบุจังหวัด"),
        (["--role", "editor", "--province", "เชียงใหม่"], "เฉพาะบัญชีสำนักงานจังหวัด"),
    ],
)
def test_the_cli_refuses_an_office_without_known_provinces_in_one_thai_line(
    cli: FlaskCliRunner, ready_app: Flask, args: list[str], message: str
) -> None:
    result = cli.invoke(args=["admin", "create", "office1", *args])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.output
    assert "Traceback" not in result.output
    assert count(ready_app, AdminUser) == 0


def test_administrators_create_office_accounts_on_the_account_page(ready_app: Flask) -> None:
    admin = logged_in(ready_app, "boss", AdminRole.ADMIN)
    page = "/admin/accounts/"
    created = admin.submit(
        page, username="korat-office", password=PASSWORD, role="province", provinces="โคราช, บุรีรัมย์"
    )
    assert created.status_code == 302
    assert _provinces_of(ready_app, "korat-office") == (AdminRole.PROVINCE, {"นครราชสีมา", "บุรีรัมย์"})
    listing = admin.get(page).get_data(as_text=True)
    assert re.search(r'data-username="korat-office">.*?นครราชสีมา, บุรีรัมย์', listing, re.S)

    refused = admin.submit(
        page, username="x-office", password=PASSWORD, role="province", provinces="ดาวอังคาร"
    )
    assert refused.status_code == 422
    assert "ไม่รู้จักจังหวัด &#39;ดาวอังคาร&#39;" in refused.get_data(as_text=True)
    assert count(ready_app, AdminUser, AdminUser.username == "x-office") == 0

    audit = count(ready_app, AuditLog, AuditLog.action == "admin.create", AuditLog.actor == "boss")
    assert audit == 1

    korat = Browser(ready_app)
    assert korat.login("korat-office").status_code == 302
    assert korat.get(page).status_code == 403
    editor = logged_in(ready_app, "editor1", AdminRole.EDITOR)
    assert editor.get(page).status_code == 403


# --- every route, with another province's ids ------------------------------------------------------------


@dataclass
class World:
    own_group: int
    own_pending: int
    other_group: int
    other_pending: int
    own_request: int
    other_request: int
    own_broadcast: int  # the office's own, scheduled
    other_office_broadcast: int  # another province's office, to its province
    department_to_other: int  # the department's, delivered to the other province only
    directive: int  # every province's: reported on by both, the other province in secret

    def ids(self, which: str) -> dict[str, int]:
        """The url arguments of `which` ("own" or "other") province."""
        if which == "own":
            return {
                "group_id": self.own_group,
                "request_id": self.own_request,
                "broadcast_id": self.own_broadcast,
            }
        return {
            "group_id": self.other_group,
            "request_id": self.other_request,
            "broadcast_id": self.other_office_broadcast,
        }


def build_world(app: Flask, standin: LineStandIn) -> World:
    own_group = add_group(app, standin, "Cown", OWN, GroupStatus.ACTIVE)
    own_pending = add_group(app, standin, "Cownpending", OWN, GroupStatus.PENDING)
    other_group = add_group(app, standin, "Cother", OTHER, GroupStatus.ACTIVE)
    other_pending = add_group(app, standin, "Cotherpending", OTHER, GroupStatus.PENDING)
    with services_of(app).db.session() as session:
        accounts.create(session, "songkhla-office", PASSWORD, AdminRole.PROVINCE, "test", provinces=[OTHER])
        accounts.create(session, "chiangmai-office", PASSWORD, AdminRole.PROVINCE, "test", provinces=[OWN])
    return World(
        own_group=own_group,
        own_pending=own_pending,
        other_group=other_group,
        other_pending=other_pending,
        own_request=change_request(app, own_group, "ลำพูน"),
        other_request=change_request(app, other_group, OWN),  # even asking to move into the office's province
        own_broadcast=broadcast_to(app, [OWN], "ข่าวของเชียงใหม่", by="chiangmai-office", sent=False),
        other_office_broadcast=broadcast_to(app, [OTHER], "ความลับของสงขลา", by="songkhla-office"),
        department_to_other=broadcast_to(app, [OTHER], "ข่าวกรมถึงสงขลา"),
        directive=reported_directive(app),
    )


def reported_directive(app: Flask) -> int:
    """A published meeting's directive that both provinces reported on (the other one in secret)."""
    with services_of(app).db.session() as session:
        meeting = Meeting(
            title="การประชุมผู้บริหาร สถ.",
            meeting_date=dt.date(2026, 11, 2),
            raw_text="",
            content_hash=None,
            published_at=utcnow(),
        )
        directive = Directive(seq=1, title="เฝ้าระวังไฟป่า", text="ให้ อปท. เฝ้าระวังไฟป่า")
        meeting.directives.append(directive)
        session.add(meeting)
        session.flush()
        for province, status, note, who in (
            (OWN, ReportStatus.IN_PROGRESS, "เชียงใหม่กำลังดำเนินการ", "ปลัดเชียงใหม่"),
            (OTHER, ReportStatus.PROBLEM, "รายงานลับของสงขลา", "ปลัดสงขลา"),
        ):
            province_id = _province_id(app, province)
            report = DirectiveReport(
                directive_id=directive.id,
                province_id=province_id,
                status=status,
                note=note,
                reported_by_name=who,
            )
            session.add(report)
            session.flush()
            session.add(
                DirectiveProgress(
                    directive_id=directive.id,
                    province_id=province_id,
                    report_id=report.id,
                    status=status,
                    reported_at=report.reported_at,
                )
            )
        return directive.id


def _state(app: Flask) -> list[Any]:
    """Everything a refused request must leave as it was."""
    with services_of(app).db.session() as session:
        return [
            sorted((g.id, g.status.value, g.province_id) for g in session.scalars(select(LineGroup))),
            sorted((r.id, r.status.value) for r in session.scalars(select(GroupChangeRequest))),
            sorted((b.id, b.status.value) for b in session.scalars(select(Broadcast))),
            sorted((d.id, d.status.value) for d in session.scalars(select(Delivery))),
        ]


def _call(browser: Browser, method: str, path: str, token: str, data: dict[str, Any] | None = None) -> Any:
    if method == "GET":
        return browser.client.get(path)
    return browser.client.open(path, method=method, data={"csrf_token": token, **(data or {})})


# Url arguments naming a record that belongs to every province, not to one (a directive).
SHARED_ARGUMENTS = frozenset({"directive_id"})

# Scoped routes without ids: what a request may try to reach past the office (posted with a valid token).
NO_ID_PROBES: dict[str, Callable[[World, Flask], dict[str, Any]]] = {
    "broadcasts_console.new_broadcast": lambda world, app: {
        "content": "text",
        "text": "ส่งข้ามจังหวัด",
        "target": "provinces",
        "provinces": str(_province_id(app, OTHER)),
        "when": "now",
        "confirm": "1",
    },
}


def test_every_route_is_declared_and_refuses_another_provinces_ids(bot: Flask, standin: LineStandIn) -> None:
    world = build_world(bot, standin)
    chiangmai = Browser(bot)
    assert chiangmai.login("chiangmai-office").status_code == 302
    token = csrf_token(chiangmai.get(NEW))
    before = _state(bot)
    secrets = ("ความลับของสงขลา", "Cother", "ข่าวกรมถึงสงขลา", "รายงานลับของสงขลา", "ปลัดสงขลา")
    checked = 0
    for rule in bot.url_map.iter_rules():
        if rule.endpoint in PUBLIC or rule.rule == "/callback":
            continue
        access = getattr(bot.view_functions[rule.endpoint], "access", None)
        assert access in ("scoped", "department"), (
            f"{rule.endpoint}: declare it require_scoped or require_role"
        )
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            if access == "department":
                path = rule.rule
                for name in rule.arguments:
                    path = path.replace(f"<int:{name}>", "1")
                status = _call(chiangmai, method, path, token).status_code
                # The API's only credential is the department's token: the office's session is none.
                allowed = {401} if rule.rule.startswith("/api/") else {403}
                assert status in allowed, (rule.endpoint, method, status)
            elif rule.arguments and set(rule.arguments) <= SHARED_ARGUMENTS and method == "GET":
                # A record of every province (a directive): the office's page of it shows its own only.
                path = _url(bot, rule.endpoint, directive_id=world.directive)
                response = chiangmai.get(path)
                assert response.status_code == 200, (rule.endpoint, response.status_code)
                shown = [s for s in secrets if s in response.get_data(as_text=True)]
                assert not shown, (rule.endpoint, shown)
            elif rule.arguments:
                unknown = set(rule.arguments) - set(world.ids("other"))
                assert not unknown, f"{rule.endpoint}: give the test another province's {unknown}"
                path = _url(bot, rule.endpoint, **{name: world.ids("other")[name] for name in rule.arguments})
                status = _call(chiangmai, method, path, token).status_code
                assert status in (403, 404), (rule.endpoint, method, status)
            elif method == "GET":
                response = chiangmai.get(_url(bot, rule.endpoint))
                assert response.status_code == 200, (rule.endpoint, response.status_code)
                body = response.get_data(as_text=True)
                assert not [s for s in secrets if s in body], (
                    rule.endpoint,
                    [s for s in secrets if s in body],
                )
            else:
                assert rule.endpoint in NO_ID_PROBES, (
                    f"{rule.endpoint}: add a probe past the office's provinces"
                )
                path = _url(bot, rule.endpoint)
                status = _call(
                    chiangmai, method, path, token, NO_ID_PROBES[rule.endpoint](world, bot)
                ).status_code
                assert status in (400, 403, 404, 422), (rule.endpoint, method, status)
            checked += 1
    assert checked >= 30
    assert _state(bot) == before

    # The department's broadcast that reached the other province only is not the office's either.
    assert chiangmai.get(f"/admin/broadcasts/{world.department_to_other}").status_code == 404

    # The same routes answer with the office's own ids (the 404s above were the scope, not the route).
    for endpoint in ("broadcasts_console.broadcast", "broadcasts_console.export_csv"):
        assert chiangmai.get(_url(bot, endpoint, broadcast_id=world.own_broadcast)).status_code == 200
    posts = [
        ("console.approve_group", {"group_id": world.own_pending}),
        ("console.deactivate_group", {"group_id": world.own_group}),
        ("console.reactivate_group", {"group_id": world.own_group}),
        ("console.approve_group_change", {"request_id": world.own_request}),
        ("broadcasts_console.cancel_broadcast", {"broadcast_id": world.own_broadcast}),
    ]
    for endpoint, ids in posts:
        response = _call(chiangmai, "POST", _url(bot, endpoint, **ids), token)
        assert response.status_code == 302, (endpoint, response.status_code)
    with services_of(bot).db.session() as session:
        assert session.get_one(LineGroup, world.own_pending).status is GroupStatus.ACTIVE
        assert session.get_one(GroupChangeRequest, world.own_request).status is ChangeRequestStatus.APPROVED
        assert session.get_one(Broadcast, world.own_broadcast).status is BroadcastStatus.CANCELLED
        assert session.get_one(GroupChangeRequest, world.other_request).status is ChangeRequestStatus.PENDING


def test_a_department_account_still_reaches_every_province(bot: Flask, standin: LineStandIn) -> None:
    world = build_world(bot, standin)
    admin = logged_in(bot, "boss", AdminRole.ADMIN)
    groups = admin.get("/admin/groups").get_data(as_text=True)
    assert "Cother" in groups and "Cown" in groups
    assert admin.get(f"/admin/broadcasts/{world.other_office_broadcast}").status_code == 200
    assert admin.submit("/admin/groups", f"/admin/groups/{world.other_pending}/approve").status_code == 302


# --- the office's own work --------------------------------------------------------------------------------


def test_an_office_sends_to_its_province_only_and_the_department_sees_who_sent_it(
    bot: Flask, standin: LineStandIn
) -> None:
    add_group(bot, standin, "Cown1", OWN, GroupStatus.ACTIVE, members=7)
    add_group(bot, standin, "Cown2", "ลำพูน", GroupStatus.ACTIVE, members=5)
    add_group(bot, standin, "Cother", OTHER, GroupStatus.ACTIVE, members=9)
    lanna = office(bot, "lanna-office", OWN, "ลำพูน")
    form = lanna.get(NEW).get_data(as_text=True)
    assert 'id="target-all"' not in form and 'id="target-regions"' not in form
    assert f'value="{_province_id(bot, OWN)}"' in form
    assert f'value="{_province_id(bot, OTHER)}"' not in form

    own = str(_province_id(bot, OWN))
    base = {"content": "text", "text": "แจ้งเตือนน้ำป่า", "when": "now", "confirm": "1"}
    # Whatever the form offered, the server refuses a target past the office: all, a region, another province.
    region = {"target": "regions", "regions": "1"}
    both = {"target": "provinces", "provinces": [own, str(_province_id(bot, OTHER))]}
    for target in ({"target": "all"}, region, both):
        for button in ("confirm", "preview"):
            refused = lanna.submit(NEW, **{**base, button: "1"}, **target)
            assert refused.status_code in (400, 422), target
            assert "ส่งทันที" in refused.get_data(as_text=True)  # the form again, not an error page
    assert count(bot, Broadcast) == 0

    sent = lanna.submit(NEW, **base, target="provinces", provinces=[own])
    assert sent.status_code == 302
    with services_of(bot).db.session() as session:
        record = session.scalars(select(Broadcast)).one()
        assert record.target_kind is BroadcastTarget.PROVINCES and record.target_ids == [int(own)]
        assert record.estimated_cost == 7  # the quota guard counted its own groups only
        entry = session.scalars(select(AuditLog).where(AuditLog.action == "broadcast.create")).one()
        assert entry.actor == "lanna-office"

    department = logged_in(bot, "viewer1", AdminRole.VIEWER)
    listing = department.get("/admin/broadcasts/").get_data(as_text=True)
    office_named = re.search(
        rf'data-broadcast="{record.id}".*?class="sender">lanna-office \((.*?)\)<', listing, re.S
    )
    assert office_named is not None and OWN in office_named.group(1) and "ลำพูน" in office_named.group(1)
    sender = re.search(
        r'id="broadcast-sender">([^<]*)<',
        department.get(f"/admin/broadcasts/{record.id}").get_data(as_text=True),
    )
    assert sender is not None and "lanna-office" in sender.group(1) and OWN in sender.group(1)

    # The API (the department's token) names the sender too.
    api = bot.test_client()
    headers = {"Authorization": f"Bearer {API_TOKEN}"}
    one = api.get(f"/api/broadcasts/{record.id}", headers=headers).json
    assert one is not None and one["sent_by"]["username"] == "lanna-office"
    assert set(one["sent_by"]["provinces"]) == {OWN, "ลำพูน"}
    listed = api.get("/api/broadcasts", headers=headers).json
    assert listed is not None and [b["sent_by"]["username"] for b in listed["items"]] == ["lanna-office"]


def test_an_office_sees_its_own_provinces_delivery_of_a_department_broadcast(
    bot: Flask, standin: LineStandIn
) -> None:
    add_group(bot, standin, "Cown", OWN, GroupStatus.ACTIVE)
    add_group(bot, standin, "Cother", OTHER, GroupStatus.ACTIVE)
    broadcast_id = broadcast_to(bot, [OWN, OTHER], "ข่าวกรมถึงทุกจังหวัด")
    chiangmai = office(bot, "chiangmai-office", OWN)
    detail = chiangmai.get(f"/admin/broadcasts/{broadcast_id}")
    assert detail.status_code == 200
    body = detail.get_data(as_text=True)
    # Its target says where the department sent it; its delivery table counts the office's groups only.
    assert re.findall(r'<tr data-province="([^"]*)"', body) == [OWN]
    assert re.search(r'id="total-failed">1<', body) is not None
    assert "Cother" not in body
    # A department broadcast is the office's to read, not to retry or cancel.
    assert 'retry"' not in body
    assert (
        chiangmai.submit(
            f"/admin/broadcasts/{broadcast_id}", f"/admin/broadcasts/{broadcast_id}/retry"
        ).status_code
        == 404
    )
    rows = list(
        csv.reader(
            io.StringIO(
                chiangmai.get(f"/admin/broadcasts/{broadcast_id}/deliveries.csv").get_data(as_text=True)
            )
        )
    )
    assert [row[0] for row in rows[1:]] == [OWN]
    listing = chiangmai.get("/admin/broadcasts/").get_data(as_text=True)
    row = re.search(rf'data-broadcast="{broadcast_id}".*?</tr>', listing, re.S)
    assert row is not None
    assert re.search(r'data-label="ไม่สำเร็จ" class="num">1<', row.group(0))  # its own group, not both


def test_an_office_decides_the_change_requests_of_its_own_groups(bot: Flask, standin: LineStandIn) -> None:
    own = add_group(bot, standin, "Cown", OWN, GroupStatus.ACTIVE)
    other = add_group(bot, standin, "Cother", OTHER, GroupStatus.ACTIVE)
    mine = change_request(bot, own, "ลำพูน")
    theirs = change_request(bot, other, OWN)
    chiangmai = office(bot, "chiangmai-office", OWN)
    page = chiangmai.get("/admin/groups").get_data(as_text=True)
    assert f"/admin/groups/requests/{mine}/approve" in page
    assert f"/admin/groups/requests/{theirs}/approve" not in page
    assert "/province" not in re.sub(r"<form class=\"filters\".*?</form>", "", page, flags=re.S)  # no move
    assert chiangmai.submit("/admin/groups", f"/admin/groups/requests/{theirs}/approve").status_code == 404
    assert chiangmai.submit("/admin/groups", f"/admin/groups/{own}/province", province="1").status_code == 403
    assert chiangmai.submit("/admin/groups", f"/admin/groups/requests/{mine}/reject").status_code == 302
    with services_of(bot).db.session() as session:
        assert session.get_one(GroupChangeRequest, mine).status is ChangeRequestStatus.REJECTED
        assert session.get_one(GroupChangeRequest, theirs).status is ChangeRequestStatus.PENDING
        decided = session.get_one(GroupChangeRequest, mine).decided_by
    assert decided == "chiangmai-office"


def test_an_office_cannot_reach_the_meetings_or_the_audit_log(bot: Flask, standin: LineStandIn) -> None:
    chiangmai = office(bot, "chiangmai-office", OWN)
    menu = chiangmai.get("/admin/").get_data(as_text=True)
    assert "/admin/groups" in menu and "/admin/broadcasts/" in menu
    assert "/admin/meetings" not in menu and "/admin/audit" not in menu and "/admin/accounts" not in menu
    for path in ("/admin/meetings", "/admin/meetings/import", "/admin/audit", "/admin/accounts/"):
        assert chiangmai.get(path).status_code == 403, path


@pytest.mark.parametrize(
    "target",
    [
        service.Target(BroadcastTarget.ALL),
        service.Target(BroadcastTarget.REGIONS, (1,)),
        service.Target(BroadcastTarget.GROUPS, (1,)),
        service.Target(BroadcastTarget.PROVINCES, ()),
        "other",
        "both",
    ],
)
def test_the_service_refuses_an_office_any_target_past_its_provinces(
    bot: Flask, standin: LineStandIn, target: service.Target | str
) -> None:
    """The API, the CLI and the console share this check: a forged form meets it too."""
    own_group = add_group(bot, standin, "Cown", OWN, GroupStatus.ACTIVE)
    add_group(bot, standin, "Cother", OTHER, GroupStatus.ACTIVE)
    own, other = _province_id(bot, OWN), _province_id(bot, OTHER)
    if target == "other":
        target = service.Target(BroadcastTarget.PROVINCES, (other,))
    elif target == "both":
        target = service.Target(BroadcastTarget.PROVINCES, (own, other))
    assert isinstance(target, service.Target)
    if target.kind is BroadcastTarget.GROUPS:
        target = service.Target(
            BroadcastTarget.GROUPS, (own_group,)
        )  # even its own group, by id: not a province
    services = services_of(bot)
    with (
        pytest.raises(service.BroadcastError, match="เฉพาะกลุ่มในจังหวัดของตน"),
        services.db.session() as session,
    ):
        service.create(
            services,
            session,
            kind=BroadcastKind.TEXT,
            text="x",
            target=target,
            actor="o",
            provinces={own},
        )
    assert count(bot, Broadcast) == 0 and count(bot, AuditLog, AuditLog.action == "broadcast.create") == 0
