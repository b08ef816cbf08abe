"""LINE groups: registering them in bulk (admin API, CSV import: all or nothing, idempotent per group
id), and the requests of registered groups to move to another province, which an administrator decides."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from bot import audit
from bot.models import ChangeRequestStatus, GroupChangeRequest, GroupStatus, LineGroup, utcnow
from bot.provinces import ProvinceFinder

MAX_GROUPS = 20_000
# A LINE group holds at most 500 members; the bound leaves room for that to grow while keeping a typo
# (or an integer past the database's) out of the broadcasts' cost estimates.
MAX_MEMBER_COUNT = 100_000


class GroupImportError(ValueError):
    """Some rows are wrong: nothing was written. `problems` says which and why."""

    def __init__(self, problems: list[dict[str, Any]]) -> None:
        super().__init__(f"{len(problems)} แถวไม่ถูกต้อง ไม่ได้บันทึกอะไร")
        self.problems = problems


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    group_ids: list[str] = field(default_factory=list)


def by_line_id(session: Session, line_group_id: str | None) -> LineGroup | None:
    """The group LINE knows by `line_group_id` (a room's id works too); None when we have none."""
    if not line_group_id:
        return None
    return session.scalars(select(LineGroup).where(LineGroup.line_group_id == line_group_id)).first()


def register_groups(session: Session, rows: Sequence[dict[str, Any]], actor: str) -> ImportResult:
    """`rows`: {"group_id", "province" (Thai or English), "name"?, "member_count"?}. Registered groups
    are active for their province. Every row is checked first; one bad row and nothing is written."""
    if len(rows) > MAX_GROUPS:
        raise GroupImportError([{"row": None, "problem": f"ได้ไม่เกิน {MAX_GROUPS:,} กลุ่มต่อครั้ง"}])
    finder = ProvinceFinder.load(session)
    problems: list[dict[str, Any]] = []
    checked: dict[str, tuple[int, dict[str, Any]]] = {}
    for index, row in enumerate(rows):
        group_id = str(row.get("group_id") or "").strip()
        province = finder.find(str(row.get("province") or ""))
        count = row.get("member_count")
        if not group_id or len(group_id) > 64:
            problems.append({"row": index, "problem": "group_id ว่างหรือยาวเกิน 64 ตัวอักษร"})
        elif province is None:
            problems.append({"row": index, "problem": f"ไม่รู้จักจังหวัด {row.get('province')!r}"})
        elif count is not None and (
            not isinstance(count, int) or isinstance(count, bool) or not 0 <= count <= MAX_MEMBER_COUNT
        ):
            problems.append(
                {"row": index, "problem": f"member_count ต้องเป็นจำนวนเต็มตั้งแต่ 0 ถึง {MAX_MEMBER_COUNT:,}"}
            )
        else:
            checked[group_id] = (province.id, row)
    if problems:
        raise GroupImportError(problems)
    result = ImportResult()
    existing = {
        g.line_group_id: g
        for chunk in _chunks(list(checked), 1000)
        for g in session.scalars(select(LineGroup).where(LineGroup.line_group_id.in_(chunk)))
    }
    now = utcnow()
    for group_id, (province_id, row) in checked.items():
        group = existing.get(group_id)
        name = (str(row["name"]).strip()[:255] or None) if row.get("name") else None
        count = row.get("member_count")
        if group is None:
            session.add(
                LineGroup(
                    line_group_id=group_id,
                    name=name,
                    province_id=province_id,
                    status=GroupStatus.ACTIVE,
                    member_count=count,
                    member_count_at=now if count is not None else None,
                    joined_at=now,
                )
            )
            result.created += 1
            continue
        before = (group.province_id, group.status, group.name, group.member_count)
        group.province_id, group.status, group.left_at = province_id, GroupStatus.ACTIVE, None
        if name:
            group.name = name
        if count is not None:
            group.member_count, group.member_count_at = count, now
        if before == (group.province_id, group.status, group.name, group.member_count):
            result.unchanged += 1
        else:
            result.updated += 1
    result.group_ids = list(checked)
    session.flush()
    audit.record(
        session,
        actor,
        "groups.import",
        "line_group",
        None,
        created=result.created,
        updated=result.updated,
        unchanged=result.unchanged,
    )
    return result


def _chunks(items: list[str], size: int) -> list[list[str]]:
    return [items[start : start + size] for start in range(0, len(items), size)]


# --- requests to move a registered group to another province ----------------------------------------


def request_change(
    session: Session, group: LineGroup, province_id: int, user_id: str | None, name: str | None
) -> GroupChangeRequest:
    """Record that a member asked to move `group` to another province; the group keeps its own.

    The same province asked again while a request waits is that request, with its latest asker."""
    request = session.scalars(
        select(GroupChangeRequest).where(
            GroupChangeRequest.group_id == group.id,
            GroupChangeRequest.province_id == province_id,
            GroupChangeRequest.status == ChangeRequestStatus.PENDING,
        )
    ).first()
    if request is None:
        request = GroupChangeRequest(group_id=group.id, province_id=province_id)
        session.add(request)
    request.requested_by, request.requested_by_name, request.requested_at = user_id, name, utcnow()
    session.flush()
    audit.record(
        session,
        f"line:{user_id or group.line_group_id}",
        "group.change_request",
        "line_group",
        group.id,
        request=request.id,
        province_id=province_id,
        member=name or user_id,
    )
    return request


def pending_changes(session: Session) -> list[GroupChangeRequest]:
    """Requests waiting for an administrator, oldest first."""
    return list(
        session.scalars(
            select(GroupChangeRequest)
            .options(
                selectinload(GroupChangeRequest.group).selectinload(LineGroup.province),
                selectinload(GroupChangeRequest.province),
            )
            .where(GroupChangeRequest.status == ChangeRequestStatus.PENDING)
            .order_by(GroupChangeRequest.requested_at, GroupChangeRequest.id)
        )
    )


def decide_change(session: Session, request_id: int, approve: bool, actor: str) -> GroupChangeRequest | None:
    """Approve (the group moves to the requested province) or reject a waiting request.

    None if there is no such request or it was decided already (by another administrator at the same
    moment: the status changes only from pending, in one statement). Approving one request rejects
    the group's other waiting ones: they asked to move a group that has just moved."""
    now = utcnow()
    status = ChangeRequestStatus.APPROVED if approve else ChangeRequestStatus.REJECTED
    decided = session.execute(
        update(GroupChangeRequest)
        .where(GroupChangeRequest.id == request_id, GroupChangeRequest.status == ChangeRequestStatus.PENDING)
        .values(status=status, decided_by=actor[:64], decided_at=now)
        .execution_options(synchronize_session=False)
    )
    if getattr(decided, "rowcount", 0) != 1:
        return None
    request = session.get(GroupChangeRequest, request_id)
    assert request is not None
    session.refresh(request)
    group = request.group
    before = group.province.name_th if group.province else None
    if approve:
        group.province_id = request.province_id
        group.province = request.province
        if group.status == GroupStatus.PENDING:
            group.status = GroupStatus.ACTIVE
        session.execute(
            update(GroupChangeRequest)
            .where(
                GroupChangeRequest.group_id == group.id,
                GroupChangeRequest.status == ChangeRequestStatus.PENDING,
            )
            .values(status=ChangeRequestStatus.REJECTED, decided_by=actor[:64], decided_at=now)
            .execution_options(synchronize_session=False)
        )
    audit.record(
        session,
        actor,
        f"group.change_{status.value}",
        "line_group",
        group.id,
        request=request.id,
        before=before,
        requested=request.province.name_th,
        requested_by=request.requested_by_name or request.requested_by,
    )
    return request
