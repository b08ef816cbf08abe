"""The postback codec: every button value survives the round trip, and old buttons keep working."""

from __future__ import annotations

import pytest

from bot import flex, postback
from bot.models import ReportStatus


@pytest.mark.parametrize(
    ("pressed", "data"),
    [  # the wire format of buttons already sent to chats: it must not change
        (postback.ShowDirective(42), "action=directive&id=42"),
        (postback.PickRegion("northeast"), "action=region&code=northeast"),
        (postback.PickRegion("northeast", 2), "action=region&code=northeast&page=2"),
        (postback.Register(12), "action=register&province=12"),
        (postback.Unsubscribe(7), "action=unsubscribe&province=7"),
        (postback.KeepSubscription(), "action=unsubscribe_cancel"),
        (postback.ShowMenu(), "action=menu"),
        (postback.Acknowledge(305), "action=ack&b=305"),
        (postback.AskReport(12), "action=report&d=12"),
        (postback.GiveReport(12, ReportStatus.IN_PROGRESS), "action=report_status&d=12&s=in_progress"),
        (postback.GiveReport(3, ReportStatus.DONE), "action=report_status&d=3&s=done"),
    ],
)
def test_encode_and_decode(pressed: postback.Postback, data: str) -> None:
    assert postback.encode(pressed) == data
    assert postback.decode(data) == pressed


@pytest.mark.parametrize(
    "data",
    [
        "",
        "yes",
        "action=",
        "action=launch",  # not an action of ours
        "action=register",  # its province is missing
        "action=register&province=nan",
        "action=ack&b=",
        "action=directive&id=1.5",
        "action=region&code=north&page=next",
        "action=report_status&d=1&s=finished",  # not one of the three statuses
        "action=report_status&s=done",  # its directive is missing
        "action=report&d=x",
        "&".join(f"k{n}=v" for n in range(20)) + "&action=menu",  # far more fields than ours
    ],
)
def test_data_that_is_not_ours_decodes_to_none(data: str) -> None:
    assert postback.decode(data) is None


def test_order_and_extra_fields_do_not_matter() -> None:
    assert postback.decode("province=3&action=register") == postback.Register(3)
    assert postback.decode("action=ack&b=9&from=old-button") == postback.Acknowledge(9)


def test_a_region_code_with_odd_characters_survives() -> None:
    pressed = postback.PickRegion("ภาค เหนือ&1=2", 1)
    assert postback.decode(postback.encode(pressed)) == pressed


def test_the_button_carries_the_encoded_data() -> None:
    button = flex.postback_action("ลงทะเบียน", postback.Register(5), "ลงทะเบียน น่าน")
    assert button["data"] == "action=register&province=5" and button["type"] == "postback"
    assert postback.decode(button["data"]) == postback.Register(5)
    with pytest.raises(ValueError, match="longer than"):
        flex.postback_action("ยาว", postback.PickRegion("x" * 400))


def test_group_changes_are_registering_and_unsubscribing() -> None:
    changing = {type(p) for p in (postback.Register(1), postback.Unsubscribe(1))}
    assert changing == set(postback.GROUP_CHANGES)
