"""The console's forms answer in Thai, WTForms' own messages included ("Not a valid date value.")."""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable

import pytest
import wtforms.validators
from flask import Flask
from wtforms.fields import choices, datetime, numeric

from admin.console import forms
from bot.models import AdminRole
from tests.console_helpers import logged_in

GETTEXT = re.compile(r'gettext\(\s*"([^"]+)"(?:,\s*"([^"]+)")?')


def _messages(source: str) -> set[str]:
    return {message for match in GETTEXT.finditer(source) for message in match.groups() if message}


def _validators_used() -> set[type]:
    """The WTForms validators our console forms are built with."""
    used: set[type] = set()
    for module in (
        forms,
        __import__("broadcasts.console", fromlist=["x"]),
        __import__("admin.console.auth", fromlist=["x"]),
    ):
        for value in vars(module).values():
            if inspect.isclass(value) and value.__module__ == wtforms.validators.__name__:
                used.add(value)
    return used


def test_every_message_of_the_fields_and_validators_we_use_has_thai() -> None:
    wanted = set()
    for module in (choices, datetime, numeric):
        wanted |= _messages(inspect.getsource(module))
    for validator in _validators_used():
        wanted |= _messages(inspect.getsource(validator))
    assert wanted, "no WTForms message found: the scan is broken"
    programmers_only = {"Choices cannot be None."}  # a TypeError of ours, never shown on a page
    missing = sorted(m for m in wanted - programmers_only if forms.THAI.gettext(m) == m)
    assert missing == []


@pytest.mark.parametrize(
    ("when", "thai"),
    [
        ({"date": "2568-13-45", "time": "09:00"}, "วันที่ไม่ถูกต้อง"),
        ({"date": "2025-12-01", "time": "25:99"}, "เวลาไม่ถูกต้อง"),
    ],
)
def test_a_broadcast_with_a_broken_date_or_time_is_refused_in_thai(
    make_bot: Callable[..., Flask], when: dict[str, str], thai: str
) -> None:
    browser = logged_in(make_bot(), "editor", AdminRole.EDITOR)
    page = browser.submit(
        "/admin/broadcasts/new",
        content="text",
        text="ทดสอบ",
        target="all",
        when="at",
        **when,
    )
    body = page.get_data(as_text=True)
    assert page.status_code in (200, 400, 422)
    assert thai in body
    assert "Not a valid" not in body
