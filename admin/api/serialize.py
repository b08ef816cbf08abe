"""Meetings as the admin API shows them: the parser's JSON shape plus ids, state and times."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from bot.models import Directive, ImportJob, LineGroup, Meeting


def _time(value: dt.datetime | None, tz: ZoneInfo) -> str | None:
    return None if value is None else value.astimezone(tz).isoformat(timespec="seconds")


def directive_json(directive: Directive) -> dict[str, Any]:
    return {
        "id": directive.id,
        "seq": directive.seq,
        "title": directive.title,
        "text": directive.text,
        "categories": [e.code for e in directive.categories],
        "categories_overridden": directive.categories_overridden,
        "status": directive.status.value,
        "deadline": directive.deadline.isoformat() if directive.deadline else None,
        "warnings": list(directive.warnings),
    }


def meeting_summary_json(meeting: Meeting, tz: ZoneInfo) -> dict[str, Any]:
    return {
        "id": meeting.id,
        "title": meeting.title,
        "date": meeting.meeting_date.isoformat() if meeting.meeting_date else None,
        "number": meeting.number,
        "status": "published" if meeting.is_published else "draft",
        "published_at": _time(meeting.published_at, tz),
        "directive_count": len(meeting.directives),
    }


def meeting_json(meeting: Meeting, tz: ZoneInfo) -> dict[str, Any]:
    return {
        "id": meeting.id,
        "title": meeting.title,
        "date": meeting.meeting_date.isoformat() if meeting.meeting_date else None,
        "number": meeting.number,
        "chair": meeting.chair,
        "body": meeting.body,
        "directives": [directive_json(d) for d in meeting.directives],
        "ten_es": meeting.ten_es_restated,
        "source_url": meeting.source_url,
        "warnings": list(meeting.warnings),
        "status": "published" if meeting.is_published else "draft",
        "published_at": _time(meeting.published_at, tz),
        "created_at": _time(meeting.created_at, tz),
        "updated_at": _time(meeting.updated_at, tz),
        "raw_text": meeting.raw_text,
    }


def group_json(group: LineGroup, tz: ZoneInfo) -> dict[str, Any]:
    province = group.province
    return {
        "id": group.id,
        "group_id": group.line_group_id,
        "name": group.name,
        "province": None
        if province is None
        else {
            "id": province.id,
            "name_th": province.name_th,
            "name_en": province.name_en,
            "region": province.region.code,
        },
        "status": group.status.value,
        "member_count": group.member_count,
        "joined_at": _time(group.joined_at, tz),
        "left_at": _time(group.left_at, tz),
    }


def import_json(job: ImportJob, tz: ZoneInfo) -> dict[str, Any]:
    return {
        "id": job.id,
        "url": job.url,
        "status": job.status.value,
        "meeting_id": job.meeting_id,
        "meeting_created": job.meeting_created,
        "error": job.error,
        "created_at": _time(job.created_at, tz),
        "finished_at": _time(job.finished_at, tz),
    }
