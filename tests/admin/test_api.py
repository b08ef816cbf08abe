"""The admin JSON API, on SQLite and PostgreSQL; every response is checked against /api/openapi.json."""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from collections.abc import Callable, Iterator
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
from bot.models import AuditLog, Directive, ImportJob, ImportJobStatus, Meeting, utcnow
from bot.settings import Settings
from meetings.ingest.jobs import run_job
from tests.conftest import services_of
from tests.httpserver import LocalServer, Route

TOKEN = "test-admin-token"
CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "corpus"
SEED_TEXT = (Path(__file__).resolve().parents[2] / "bot/data/seed/meeting-3-2565.txt").read_text("utf-8")


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
        ("GET", "/api/imports/1"),
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


def test_publish_refuses_a_meeting_without_a_date_then_a_correction_and_unpublish(
    api: Api, api_app: Flask
) -> None:
    """The documented 422 (each problem with its field), the correction audited as one, unpublish."""
    meeting = api.call(
        "POST", "/api/meetings", json={"text": SEED_TEXT.replace("3/2565", "4/2565") + "\nอีกฉบับ"}
    ).json
    assert meeting is not None
    meeting_id = meeting["id"]
    assert api.call("PATCH", f"/api/meetings/{meeting_id}", json={"date": None}).status_code == 200
    refused = api.call("POST", f"/api/meetings/{meeting_id}/publish", json={"urgent": False})
    assert refused.status_code == 422 and refused.json is not None
    assert refused.json["details"] == [{"field": "date", "problem": "ใส่วันที่ประชุมก่อนเผยแพร่"}]
    assert api.call("PATCH", f"/api/meetings/{meeting_id}", json={"date": "2022-01-21"}).status_code == 200
    assert api.call("POST", f"/api/meetings/{meeting_id}/publish").status_code == 200

    corrected = api.call(
        "PATCH", f"/api/meetings/{meeting_id}", json={"chair": "รองอธิบดี", "notify_groups": True}
    )
    assert corrected.status_code == 200
    unpublished = api.call("POST", f"/api/meetings/{meeting_id}/unpublish")
    assert unpublished.status_code == 200 and unpublished.json is not None
    assert unpublished.json["status"] == "draft"
    assert api.call("POST", f"/api/meetings/{meeting_id}/unpublish").status_code == 409
    with services_of(api_app).db.session() as session:
        entries = session.scalars(select(AuditLog).where(AuditLog.target_id == str(meeting_id))).all()
    assert [e.action for e in entries][-3:] == ["meeting.publish", "meeting.correct", "meeting.unpublish"]
    assert entries[-2].details == {"changed": ["chair"], "notify": True}


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
    meeting = api.call("POST", "/api/meetings", json={"text": SEED_TEXT, "publish": True}).json
    assert meeting is not None and meeting["status"] == "published"


def test_import_and_publish_refuses_an_article_that_is_not_ready(api: Api, api_app: Flask) -> None:
    """An article with no directive cannot be published at once: 422 saying why, nothing stored."""
    text = (CORPUS / "thaigov-96606.txt").read_text("utf-8")
    before = _count(api_app, Meeting)
    response = api.call("POST", "/api/meetings", json={"text": text, "publish": True})
    assert response.status_code == 422
    assert "ข้อสั่งการ" in response.json["error"]  # type: ignore[index]
    assert _count(api_app, Meeting) == before


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


@pytest.fixture
def server() -> Iterator[LocalServer]:
    local = LocalServer().start()
    yield local
    local.stop()


@pytest.fixture
def fetching_api(build_app: Callable[..., Flask]) -> tuple[Api, Flask]:
    """The API of an app that may fetch from 127.0.0.1, where the tests' news site runs."""
    app = build_app(
        {"ingest": {"allow_private_addresses": ["127.0.0.1"], "fetch_timeout_seconds": 3}},
        env={"ADMIN_TOKEN": TOKEN},
    )
    return Api(app.test_client()), app


def wait_for_import(api: Api, location: str, seconds: float = 20) -> dict[str, Any]:
    """Poll an import job like a client would, until it is done or failed."""
    ends = time.monotonic() + seconds
    while True:
        job: dict[str, Any] | None = api.call("GET", location).json
        assert job is not None
        if job["status"] not in ("queued", "running") or time.monotonic() > ends:
            return job
        time.sleep(0.05)


def test_a_url_is_fetched_off_the_request_thread(
    fetching_api: tuple[Api, Flask], server: LocalServer
) -> None:
    api, _ = fetching_api
    server.routes["/news/1"] = Route((CORPUS / "thaigov-88664.txt").read_bytes(), delay=2.0)
    started = time.monotonic()
    response = api.call("POST", "/api/meetings", json={"url": server.url("/news/1"), "publish": True})
    assert time.monotonic() - started < 2.0  # answered before the site did
    assert response.status_code == 202 and response.json is not None
    job = response.json
    assert job["status"] in ("queued", "running") and job["meeting_id"] is None
    assert response.headers["Location"] == f"/api/imports/{job['id']}"

    done = wait_for_import(api, response.headers["Location"])
    assert (done["status"], done["meeting_created"], done["error"]) == ("done", True, None)
    meeting = api.call("GET", f"/api/meetings/{done['meeting_id']}").json
    assert meeting is not None and meeting["source_url"] == server.url("/news/1")
    assert meeting["status"] == "published" and len(meeting["directives"]) == 6

    again = api.call("POST", "/api/meetings", json={"url": server.url("/news/1")})
    repeated = wait_for_import(api, again.headers["Location"])
    assert (repeated["status"], repeated["meeting_id"], repeated["meeting_created"]) == (
        "done",
        done["meeting_id"],
        False,
    )


def test_a_failed_fetch_is_told_by_its_job(fetching_api: tuple[Api, Flask]) -> None:
    api, app = fetching_api
    before = _count(app, Meeting)
    response = api.call("POST", "/api/meetings", json={"url": "http://127.0.0.1:1/news/1"})
    assert response.status_code == 202
    job = wait_for_import(api, response.headers["Location"])
    assert job["status"] == "failed" and job["meeting_id"] is None
    assert "ติดต่อเว็บไซต์ไม่ได้" in job["error"] and job["finished_at"] is not None
    assert _count(app, Meeting) == before


def test_a_job_left_by_a_dead_process_is_failed_not_run(
    fetching_api: tuple[Api, Flask], server: LocalServer
) -> None:
    api, app = fetching_api
    server.routes["/news/1"] = Route((CORPUS / "thaigov-88664.txt").read_bytes())
    long_ago = utcnow() - dt.timedelta(hours=1)
    services = services_of(app)
    with services.db.session() as session:
        jobs = [
            ImportJob(
                url=server.url("/news/1"),
                actor="api",
                status=status,
                created_at=long_ago,
                updated_at=long_ago,
            )
            for status in (ImportJobStatus.QUEUED, ImportJobStatus.RUNNING)
        ]
        session.add_all(jobs)
        session.flush()
        ids = [job.id for job in jobs]
    before = _count(app, Meeting)
    for job_id in ids:
        job = api.call("GET", f"/api/imports/{job_id}").json
        assert job is not None and job["status"] == "failed" and "หยุดกลางคัน" in job["error"]
        run_job(services, job_id)  # a process that picks it up late must not import it after all
    assert server.hits["/news/1"] == 0 and _count(app, Meeting) == before


def test_an_unknown_import_is_404(api: Api) -> None:
    assert api.call("GET", "/api/imports/999").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:{port}/news/1",
        "http://localhost:{port}/news/1",  # a name that resolves to 127.0.0.1
        "http://2130706433:{port}/news/1",  # 127.0.0.1 as one decimal number
        "http://0177.0.0.1:{port}/news/1",  # ... in octal
        "http://0.0.0.0:{port}/news/1",  # the unspecified address reaches this host
        "http://[::ffff:127.0.0.1]:{port}/news/1",  # IPv4-mapped IPv6
    ],
)
def test_a_url_of_this_host_is_refused_at_once(
    api: Api, api_app: Flask, server: LocalServer, url: str
) -> None:
    server.routes["/news/1"] = Route((CORPUS / "thaigov-88664.txt").read_bytes())
    before = _count(api_app, Meeting)
    response = api.call("POST", "/api/meetings", json={"url": url.format(port=server.port)})
    assert response.status_code == 422
    assert response.json is not None and "ไม่อนุญาตให้ดึงข้อมูล" in response.json["error"]
    assert sum(server.hits.values()) == 0
    assert _count(api_app, Meeting) == before and _count(api_app, ImportJob) == 0


def test_ipv6_loopback_is_refused(api: Api, api_app: Flask) -> None:
    server = LocalServer("::1").start()
    try:
        server.routes["/news/1"] = Route((CORPUS / "thaigov-88664.txt").read_bytes())
        response = api.call("POST", "/api/meetings", json={"url": server.url("/news/1")})
    finally:
        server.stop()
    assert response.status_code == 422
    assert response.json is not None and "(::1)" in response.json["error"]
    assert sum(server.hits.values()) == 0 and _count(api_app, ImportJob) == 0


@pytest.mark.parametrize(
    "source_url",
    ["javascript:alert(document.cookie)", "javascript://example.org/%0Aalert(1)", "data:text/html,x"],
)
def test_a_source_url_must_be_http(api: Api, api_app: Flask, source_url: str) -> None:
    before = _count(api_app, Meeting)
    text = (CORPUS / "thaigov-37251.txt").read_text("utf-8")
    response = api.call("POST", "/api/meetings", json={"text": text, "source_url": source_url})
    assert response.status_code == 422
    assert response.json is not None and "http:// หรือ https://" in response.json["error"]
    assert _count(api_app, Meeting) == before


def test_articles_without_a_body_are_not_one_article(api: Api, api_app: Flask) -> None:
    before = _count(api_app, Meeting)
    pages = [f"<html><head><title>ประกาศ เรื่อง {name}</title></head><body></body></html>" for name in "กข"]
    first, second = (api.call("POST", "/api/meetings", json={"text": page}).json for page in pages)
    assert first is not None and second is not None
    assert first["created"] and second["created"] and first["id"] != second["id"]
    # Its source URL still recognises such a page imported again.
    sourced = {"text": pages[0], "source_url": "https://www.dla.go.th/news/1"}
    third, fourth = (api.call("POST", "/api/meetings", json=sourced).json for _ in range(2))
    assert third is not None and fourth is not None
    assert third["created"] and not fourth["created"] and fourth["id"] == third["id"]
    assert _count(api_app, Meeting) == before + 3


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
