"""Registering LINE groups in bulk (admin API, CSV import): all or nothing, idempotent per group id."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import audit
from bot.models import GroupStatus, LineGroup, utcnow
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
