"""The admin JSON API, on SQLite and PostgreSQL; every response is checked against /api/openapi.json."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openapi_core import OpenAPI
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest, WerkzeugOpenAPIResponse
from openapi_spec_validator import validate
from sqlalchemy import func, select
from werkzeug.test import EnvironBuilder, TestResponse
from werkzeug.wrappers import Request

from bot.app import create_app
from bot.models import AuditLog, Directive, Meeting
from bot.settings import Settings
from tests.conftest import services_of

TOKEN = "test-admin-token"
CORPUS = Path(__file__).resolve().parent / "fixtures" / "corpus"
SEED_TEXT = (Path(__file__).resolve().parent.parent / "bot/data/seed/meeting-3-2565.txt").read_text("utf-8")


class Api:
    """A test client that sends the admin token and checks each response against the OpenAPI document."""

    def __init__(self, client: FlaskClient, token: str | None = TOKEN) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}
        document = client.get("/api/openapi.json").json
        assert document is not None
        self.openapi = OpenAPI.from_dict(document)

    def call(self, method: str, path: str, **kwargs: Any) -> TestResponse:
        headers = {**self.headers, **kwargs.pop("headers", {})}
        response = self.client.open(path, method=method, headers=headers, **kwargs)
        # The operation is found from method and path; the sent body is consumed, so describe it anew.
        sent = Request(EnvironBuilder(path=path, method=method, headers=headers).get_environ())
        self.openapi.validate_response(WerkzeugOpenAPIRequest(sent), WerkzeugOpenAPIResponse(response))
        return response


@pytest.fixture
def app_env() -> dict[str, str]:
    return {"ADMIN_TOKEN": TOKEN}


@pytest.fixture
def api_app(ready_app: Flask) -> Flask:
    return ready_app


@pytest.fixture
def api(api_app: Flask) -> Api:
    return Api(api_app.test_client())


def _count(app: Flask, model: type[Any]) -> int:
    with services_of(app).db.session() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_the_document_is_valid_openapi(api: Api) -> None:
    document = api.client.get("/api/openapi.json").json
    assert document is not None
    validate(document)
    assert set(document["paths"]) >= {"/api/meetings", "/api/meetings/{meeting_id}"}


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/meetings"),
        ("POST", "/api/meetings"),
        ("GET", "/api/meetings/1"),
        ("PATCH", "/api/meetings/1"),
        ("POST", "/api/meetings/1/publish"),
        ("GET", "/api/groups"),
    ],
)
@pytest.mark.parametrize("token", [None, "wrong-token", TOKEN + "x"])
def test_every_endpoint_needs_the_token(api_app: Flask, method: str, path: str, token: str | None) -> None:
    anonymous = Api(api_app.test_client(), token=token)
    response = anonymous.call(method, path, json={})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_api_is_closed_when_no_token_is_configured(
    make_settings: Callable[..., Settings], tmp_path: Path
) -> None:
    app = create_app(make_settings())
    response = app.test_client().get("/api/meetings", headers={"Authorization": "Bearer "})
    assert response.status_code == 401
    assert "ADMIN_TOKEN" in response.json["error"]  # type: ignore[index]


def test_import_text_then_list_get_edit_publish(api: Api, api_app: Flask) -> None:
    text = (CORPUS / "thaigov-88664.txt").read_text("utf-8")
    created = api.call("POST", "/api/meetings", json={"text": text})
    assert created.status_code == 201
    meeting = created.json
    assert meeting is not None
    assert meeting["created"] is True and meeting["status"] == "draft"
    source_line = re.search(r"ที่มา : (\S+)", text)
    assert source_line is not None and meeting["source_url"] == source_line.group(1)
    assert len(meeting["directives"]) >= 1
    meeting_id = meeting["id"]

    listed = api.call("GET", "/api/meetings?status=draft").json
    assert listed is not None and [m["id"] for m in listed["items"]] == [meeting_id]
    assert api.call("GET", "/api/meetings?status=published").json["total"] == 1  # type: ignore[index]

    edited = api.call(
        "PATCH",
        f"/api/meetings/{meeting_id}",
        json={
            "number": "6/2567",
            "date": "2024-06-20",
            "directives": [{"seq": 1, "categories": ["Emergency Management", "Essential Infrastructure"]}],
        },
    ).json
    assert edited is not None
    assert edited["number"] == "6/2567" and edited["date"] == "2024-06-20"
    first = edited["directives"][0]
    assert first["categories"] == ["Emergency Management", "Essential Infrastructure"]
    assert first["categories_overridden"] is True

    published = api.call("POST", f"/api/meetings/{meeting_id}/publish").json
    assert published is not None and published["status"] == "published"
    assert published["published_at"].endswith("+07:00")
    again = api.call("POST", f"/api/meetings/{meeting_id}/publish").json
    assert again is not None and again["published_at"] == published["published_at"]

    fetched = api.call("GET", f"/api/meetings/{meeting_id}").json
    assert fetched is not None and fetched["directives"][0]["categories"][0] == "Emergency Management"
    with services_of(api_app).db.session() as session:
        actions = session.scalars(select(AuditLog.action).where(AuditLog.target_id == str(meeting_id))).all()
    assert actions == ["meeting.import", "meeting.edit", "meeting.publish"]


def test_the_same_article_twice_is_one_meeting(api: Api, api_app: Flask) -> None:
    before = _count(api_app, Meeting)
    again = api.call("POST", "/api/meetings", json={"text": SEED_TEXT})
    assert again.status_code == 200
    assert again.json is not None and again.json["created"] is False and again.json["number"] == "3/2565"
    # The same text with different spacing and invisible characters is the same article.
    noisy = SEED_TEXT.replace(" ", "  ").replace("อธิบดี", "อธิ\u200bบดี")
    assert api.call("POST", "/api/meetings", json={"text": noisy}).status_code == 200
    assert _count(api_app, Meeting) == before


def test_import_and_publish_at_once(api: Api) -> None:
    text = (CORPUS / "thaigov-96606.txt").read_text("utf-8")
    meeting = api.call("POST", "/api/meetings", json={"text": text, "publish": True}).json
    assert meeting is not None and meeting["status"] == "published"


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"text": "x", "url": "http://example.org/"},
        {"text": 5},
        {"text": "ข่าว", "unknown": 1},
        {"url": "http://127.0.0.1:1/news", "source_url": "x"},
    ],
)
def test_invalid_bodies_are_422_and_store_nothing(api: Api, api_app: Flask, body: dict[str, Any]) -> None:
    before = _count(api_app, Meeting)
    response = api.call("POST", "/api/meetings", json=body)
    assert response.status_code == 422
    assert response.json is not None and response.json["error"]
    assert _count(api_app, Meeting) == before


@pytest.mark.parametrize(
    ("text", "reason"),
    [("", "ไม่มีข้อความ"), ("   \n\t ", "ไม่มีข้อความ"), ("\x00\x01\x02binary" * 50, "ไม่ใช่ข้อความ")],
)
def test_bad_articles_are_422(api: Api, api_app: Flask, text: str, reason: str) -> None:
    before = _count(api_app, Meeting)
    response = api.call("POST", "/api/meetings", json={"text": text})
    assert response.status_code == 422
    assert response.json is not None and reason in response.json["error"]
    assert _count(api_app, Meeting) == before


def test_an_article_over_the_cap_is_refused(api: Api, api_app: Flask) -> None:
    cap = services_of(api_app).settings.ingest.max_article_bytes
    response = api.call("POST", "/api/meetings", json={"text": "ก" * (cap // 3 + 10)})
    assert response.status_code == 422
    assert response.json is not None and "ใหญ่เกินไป" in response.json["error"]
    huge = api.call(
        "POST", "/api/meetings", data=b"{" + b" " * (3 * cap) + b"}", content_type="application/json"
    )
    assert huge.status_code == 413


def test_english_text_is_a_draft_with_warnings(api: Api) -> None:
    response = api.call(
        "POST", "/api/meetings", json={"text": "The quick brown fox jumps over the lazy dog."}
    )
    assert response.status_code == 201
    assert response.json is not None and response.json["warnings"]


def test_malformed_json_is_400(api: Api) -> None:
    response = api.call("POST", "/api/meetings", data="{not json", content_type="application/json")
    assert response.status_code == 400


def test_unreachable_url_is_422(api: Api, api_app: Flask) -> None:
    before = _count(api_app, Meeting)
    response = api.call("POST", "/api/meetings", json={"url": "http://127.0.0.1:1/news/1"})
    assert response.status_code == 422
    assert response.json is not None and "ติดต่อเว็บไซต์ไม่ได้" in response.json["error"]
    assert _count(api_app, Meeting) == before


def test_unknown_meeting_is_404(api: Api) -> None:
    assert api.call("GET", "/api/meetings/9999").status_code == 404
    assert api.call("PATCH", "/api/meetings/9999", json={"title": "x"}).status_code == 404
    assert api.call("POST", "/api/meetings/9999/publish").status_code == 404


def test_bad_edits_are_422_and_change_nothing(api: Api, api_app: Flask) -> None:
    meeting_id = api.call("GET", "/api/meetings").json["items"][0]["id"]  # type: ignore[index]
    before = api.call("GET", f"/api/meetings/{meeting_id}").json
    for body in (
        {"directives": [{"seq": 1, "categories": ["Economy", "Nonsense"]}]},
        {"number": "three"},
        {"title": None},
        {"directives": [{"seq": 50, "title": "only a title"}]},
        {"directives": [{"seq": 77, "remove": True}]},
        {"date": "21 มกราคม 2565"},
    ):
        response = api.call("PATCH", f"/api/meetings/{meeting_id}", json=body)
        assert response.status_code == 422, body
    after = api.call("GET", f"/api/meetings/{meeting_id}").json
    assert after == before


def test_edit_adds_removes_and_clears(api: Api, api_app: Flask) -> None:
    meeting_id = api.call("GET", "/api/meetings").json["items"][0]["id"]  # type: ignore[index]
    edited = api.call(
        "PATCH",
        f"/api/meetings/{meeting_id}",
        json={
            "chair": None,
            "directives": [
                {"seq": 4, "remove": True},
                {
                    "seq": 5,
                    "title": "ข้อใหม่",
                    "text": "ให้ อปท. เตรียมการป้องกันอุทกภัย",
                    "categories": ["Emergency Management"],
                },
                {"seq": 2, "status": "closed"},
            ],
        },
    ).json
    assert edited is not None
    assert edited["chair"] is None
    assert [d["seq"] for d in edited["directives"]] == [1, 2, 3, 5]
    assert edited["directives"][1]["status"] == "closed"
    with services_of(api_app).db.session() as session:
        assert session.scalar(select(func.count()).select_from(Directive).where(Directive.seq == 4)) == 0


def test_groups_list_with_filters(api: Api, api_app: Flask) -> None:
    from bot.models import GroupStatus, LineGroup, Province

    with services_of(api_app).db.session() as session:
        chiang_mai = session.scalars(select(Province).where(Province.name_th == "เชียงใหม่")).one()
        songkhla = session.scalars(select(Province).where(Province.name_th == "สงขลา")).one()
        session.add_all(
            [
                LineGroup(
                    line_group_id="C1",
                    name="สถจ.เชียงใหม่",
                    province_id=chiang_mai.id,
                    status=GroupStatus.ACTIVE,
                ),
                LineGroup(
                    line_group_id="C2", name="อปท. สงขลา", province_id=songkhla.id, status=GroupStatus.PENDING
                ),
                LineGroup(line_group_id="C3", name=None, status=GroupStatus.LEFT),
            ]
        )
    everything = api.call("GET", "/api/groups").json
    assert everything is not None and everything["total"] == 3
    first = everything["items"][0]
    assert first["group_id"] == "C1" and first["province"]["name_th"] == "เชียงใหม่"
    assert first["province"]["region"] == "north" and first["joined_at"].endswith("+07:00")
    assert [g["group_id"] for g in api.call("GET", "/api/groups?status=pending").json["items"]] == ["C2"]  # type: ignore[index]
    assert [g["group_id"] for g in api.call("GET", "/api/groups?province=Chiang Mai").json["items"]] == ["C1"]  # type: ignore[index]
    assert [g["group_id"] for g in api.call("GET", "/api/groups?region=south").json["items"]] == ["C2"]  # type: ignore[index]
    assert api.call("GET", "/api/groups?status=gone").status_code == 422


# --- input past what the database or the parser holds ---------------------------------------------

HUGE = "99999999999999999999999"  # past 64 bits: SQLite raises OverflowError on it


def test_numbers_past_the_databases_integers_are_4xx(api: Api, api_app: Flask) -> None:
    for method, path in [
        ("GET", f"/api/meetings/{HUGE}"),
        ("PATCH", f"/api/meetings/{HUGE}"),
        ("POST", f"/api/meetings/{HUGE}/publish"),
        ("GET", f"/api/broadcasts/{HUGE}"),
        ("DELETE", f"/api/broadcasts/{HUGE}"),
    ]:
        assert api.call(method, path, json={}).status_code == 404, path
    for query in (f"offset={HUGE}", f"limit={HUGE}", f"offset=-{HUGE}", "offset=²"):
        assert api.call("GET", f"/api/meetings?{query}").status_code == 422, query
        assert api.call("GET", f"/api/groups?{query}").status_code == 422, query
    row = {"group_id": "Cbig", "province": "เชียงใหม่", "member_count": int(HUGE)}
    refused = api.call("POST", "/api/groups", json={"groups": [row]})
    assert refused.status_code == 422
    assert refused.json is not None and "member_count" in str(refused.json["details"])
    assert api.call("GET", "/api/groups").json["total"] == 0  # type: ignore[index]
    for content in ({"meeting_id": int(HUGE)}, {"directive_id": int(HUGE)}):
        answer = api.call("POST", "/api/broadcasts", json={**content, "target": {"all": True}})
        assert answer.status_code == 422, content


def test_deeply_nested_json_is_refused(api: Api, api_app: Flask) -> None:
    deep = "[" * 100_000 + "]" * 100_000  # past Python's recursion limit
    nested: Any = []
    for _ in range(40):
        nested = [nested]
    row = {"group_id": "C1", "province": "เชียงใหม่", "name": nested}
    nested_groups = json.dumps({"groups": [row]})
    for path, status in [
        ("/api/meetings", 400),
        ("/api/broadcasts", 400),
        ("/api/meetings/1", 400),
        ("/api/groups", 422),
    ]:
        method = "PATCH" if path == "/api/meetings/1" else "POST"
        assert api.call(method, path, data=deep, content_type="application/json").status_code == status, path
    # Nested past any real request (but not past Python's limit): refused the same way, nothing stored.
    assert (
        api.call("POST", "/api/groups", data=nested_groups, content_type="application/json").status_code
        == 422
    )
    assert api.call("GET", "/api/groups").json["total"] == 0  # type: ignore[index]
