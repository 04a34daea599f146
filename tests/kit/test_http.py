from __future__ import annotations

import json
import threading
import uuid
from collections.abc import AsyncIterator, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.metadata import version
from ipaddress import ip_address
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from viewfinder.kit import http as kit_http
from viewfinder.kit.http import Address, BlockedDestination, GuardedTransport, create_http_client
from viewfinder.settings import Settings, load_settings


class _Handler(BaseHTTPRequestHandler):
    hits: ClassVar[dict[str, int]] = {}
    lock: ClassVar[threading.Lock] = threading.Lock()

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _answer(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    def _handle(self) -> None:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        if parts.path.startswith("/flaky/"):
            # 503 twice, then 200: counted per path, so each test uses a fresh one.
            with self.lock:
                hits = self.hits[parts.path] = self.hits.get(parts.path, 0) + 1
            self._answer(503 if hits <= 2 else 200, {"hits": hits})
        elif parts.path == "/redirect":
            self._answer(302, {}, {"Location": parse_qs(parts.query)["to"][0]})
        else:
            self._answer(
                200, {"host": self.headers["Host"], "user_agent": self.headers["User-Agent"], "path": self.path}
            )

    do_GET = _handle
    do_POST = _handle


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _settings(tmp_path: Path, allow: list[str], base_url: str = "https://viewfinder.example") -> Settings:
    return load_settings(data_dir=tmp_path, outbound_allow_hosts=allow, base_url=base_url, secret_key="x" * 32)


class _Body(httpx.AsyncByteStream):
    def __init__(self, content: bytes) -> None:
        self._content = content

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield self._content


class _Recorder(httpx.MockTransport):
    """Stands in for the network: records what would have been sent, and whether it was closed."""

    def __init__(self) -> None:
        self.sent: list[httpx.Request] = []
        self.closed = False
        super().__init__(self._record)

    def _record(self, request: httpx.Request) -> httpx.Response:
        self.sent.append(request)
        # A streamed body, as a real transport gives: the connection is held until the response is closed.
        return httpx.Response(200, headers={"Content-Type": "application/json"}, stream=_Body(b'{"ok": true}'))

    async def aclose(self) -> None:
        self.closed = True


def _closed(recorder: _Recorder) -> bool:
    return recorder.closed


def _resolver(answers: dict[str, list[str]]) -> kit_http.Resolver:
    async def resolve(host: str, port: int) -> list[Address]:
        return [ip_address(answer) for answer in answers[host]]

    return resolve


REFUSED = [
    "http://127.0.0.1/",
    "http://localhost/",
    "http://LocalHost/admin",
    "http://10.0.0.1/",
    "http://192.168.1.1/",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://[fd00::1]/",
    "http://[fe80::1]/",
    "http://100.64.0.1/",
    "http://0.0.0.0/",
    "http://224.0.0.1/",
    "http://2130706433/",  # 127.0.0.1 written as one number, which the resolver accepts
    "file:///etc/passwd",
    "ftp://example.com/file",
]


@pytest.mark.anyio
@pytest.mark.parametrize("url", REFUSED)
async def test_refused_destinations_never_connect(url: str) -> None:
    network = _Recorder()
    async with httpx.AsyncClient(transport=GuardedTransport([], transport_factory=lambda: network)) as client:
        with pytest.raises(BlockedDestination):
            await client.get(url)
    assert network.sent == []


@pytest.mark.anyio
@pytest.mark.parametrize("url", ["http://127.0.0.1:9/", "http://10.0.0.1/", "http://[::1]/", "file:///etc/passwd"])
async def test_client_refuses_private_destinations(url: str, tmp_path: Path) -> None:
    async with create_http_client(_settings(tmp_path, []), retries=0) as client:
        with pytest.raises(BlockedDestination):
            await client.get(url)


@pytest.mark.anyio
async def test_refusal_does_not_echo_credentials(tmp_path: Path) -> None:
    async with create_http_client(_settings(tmp_path, [])) as client:
        with pytest.raises(BlockedDestination) as refused:
            await client.get("http://admin:hunter2@10.0.0.1:8080/export?access_token=abc123")
    message = str(refused.value)
    assert "10.0.0.1:8080" in message
    assert "hunter2" not in message
    assert "abc123" not in message
    assert "export" not in message


@pytest.mark.anyio
async def test_allowed_host_answers_with_user_agent(server: str, tmp_path: Path) -> None:
    async with create_http_client(_settings(tmp_path, ["127.0.0.1"])) as client:
        response = await client.get(f"{server}/echo")
    assert response.status_code == 200
    assert response.json()["host"] == server.removeprefix("http://")
    assert response.json()["user_agent"] == f"Viewfinder/{version('viewfinder')} (+https://viewfinder.example)"


@pytest.mark.anyio
async def test_base_url_host_is_allowed_by_default(server: str, tmp_path: Path) -> None:
    async with create_http_client(_settings(tmp_path, [], base_url=server)) as client:
        response = await client.get(f"{server}/echo")
    assert response.status_code == 200
    assert response.json()["path"] == "/echo"


@pytest.mark.anyio
async def test_name_is_pinned_to_its_checked_address_keeping_its_host(server: str, tmp_path: Path) -> None:
    # "localhost" is not allowed by name, so it is resolved, checked against the allowed IPs and pinned; the
    # server still sees the name in Host.
    port = server.rsplit(":", 1)[1]
    async with create_http_client(_settings(tmp_path, ["127.0.0.1", "::1"])) as client:
        response = await client.get(f"http://localhost:{port}/echo")
    assert response.status_code == 200
    assert response.json()["host"] == f"localhost:{port}"
    assert str(response.url) == f"http://localhost:{port}/echo"


@pytest.mark.anyio
async def test_pinned_request_goes_to_the_ip_with_host_and_sni() -> None:
    network = _Recorder()
    guard = GuardedTransport(
        [], transport_factory=lambda: network, resolver=_resolver({"api.example.com": ["93.184.216.34"]})
    )
    async with httpx.AsyncClient(transport=guard) as client:
        response = await client.get("https://api.example.com:8443/v1/me?fields=id")
    assert response.status_code == 200
    assert str(response.request.url) == "https://api.example.com:8443/v1/me?fields=id"
    [sent] = network.sent
    assert sent.url.host == "93.184.216.34"
    assert sent.url.port == 8443
    assert sent.url.raw_path == b"/v1/me?fields=id"
    assert sent.headers["Host"] == "api.example.com:8443"
    assert sent.extensions["sni_hostname"] == "api.example.com"


@pytest.mark.anyio
async def test_rebinding_to_a_private_address_is_refused() -> None:
    answers = {"rebind.example": ["93.184.216.34"]}
    network = _Recorder()
    guard = GuardedTransport([], transport_factory=lambda: network, resolver=_resolver(answers))
    async with httpx.AsyncClient(transport=guard) as client:
        assert (await client.get("http://rebind.example/")).status_code == 200
        answers["rebind.example"] = ["127.0.0.1"]
        with pytest.raises(BlockedDestination):
            await client.get("http://rebind.example/")
        answers["rebind.example"] = ["93.184.216.34", "10.1.2.3"]  # one bad address is enough
        with pytest.raises(BlockedDestination):
            await client.get("http://rebind.example/")
    assert [sent.url.host for sent in network.sent] == ["93.184.216.34"]


@pytest.mark.anyio
async def test_each_pinned_name_gets_its_own_connections() -> None:
    # Two names on one IP must not share a pool, or a TLS connection checked for one would serve the other.
    created: list[_Recorder] = []

    def factory() -> _Recorder:
        created.append(_Recorder())
        return created[-1]

    same_ip = {"a.example": ["93.184.216.34"], "b.example": ["93.184.216.34"]}
    guard = GuardedTransport([], transport_factory=factory, resolver=_resolver(same_ip))
    async with httpx.AsyncClient(transport=guard) as client:
        await client.get("https://a.example/")
        await client.get("https://b.example/")
        await client.get("https://a.example/again")
    assert [len(recorder.sent) for recorder in created] == [0, 2, 1]  # shared (unused), a.example, b.example
    assert all(recorder.closed for recorder in created)


@pytest.mark.anyio
async def test_least_recent_pinned_pool_is_closed_beyond_the_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kit_http, "_MAX_PINNED_HOSTS", 1)
    created: list[_Recorder] = []

    def factory() -> _Recorder:
        created.append(_Recorder())
        return created[-1]

    names = {"a.example": ["93.184.216.34"], "b.example": ["93.184.216.35"]}
    guard = GuardedTransport([], transport_factory=factory, resolver=_resolver(names))
    async with httpx.AsyncClient(transport=guard) as client:
        async with client.stream("GET", "https://a.example/") as streaming:
            await client.get("https://b.example/")
            assert not _closed(created[1])  # a.example's pool is retired but still has a response open
            await streaming.aread()
        assert _closed(created[1])
        assert not _closed(created[2])


@pytest.mark.anyio
async def test_get_is_retried_on_503(server: str, tmp_path: Path) -> None:
    path = f"/flaky/{uuid.uuid4()}"
    async with create_http_client(_settings(tmp_path, ["127.0.0.1"]), backoff_factor=0.01) as client:
        response = await client.get(f"{server}{path}")
    assert response.status_code == 200
    assert response.json() == {"hits": 3}


@pytest.mark.anyio
async def test_post_is_not_retried(server: str, tmp_path: Path) -> None:
    path = f"/flaky/{uuid.uuid4()}"
    async with create_http_client(_settings(tmp_path, ["127.0.0.1"]), backoff_factor=0.01) as client:
        response = await client.post(f"{server}{path}", json={"caption": "hello"})
    assert response.status_code == 503
    assert response.json() == {"hits": 1}


@pytest.mark.anyio
async def test_retries_give_up_with_the_last_answer(server: str, tmp_path: Path) -> None:
    path = f"/flaky/{uuid.uuid4()}"
    async with create_http_client(_settings(tmp_path, ["127.0.0.1"]), retries=1, backoff_factor=0.01) as client:
        response = await client.get(f"{server}{path}")
    assert response.status_code == 503
    assert response.json() == {"hits": 2}


@pytest.mark.anyio
async def test_redirect_to_a_private_address_is_refused(server: str, tmp_path: Path) -> None:
    settings = _settings(tmp_path, ["127.0.0.1"])
    async with create_http_client(settings, follow_redirects=True) as client:
        followed = await client.get(f"{server}/redirect", params={"to": f"{server}/echo"})
        assert followed.status_code == 200
        assert followed.json()["path"] == "/echo"
        for target in ("http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/", "http://[::1]/"):
            with pytest.raises(BlockedDestination):
                await client.get(f"{server}/redirect", params={"to": target})
    async with create_http_client(settings) as client:
        not_followed = await client.get(f"{server}/redirect", params={"to": "http://10.0.0.1/"})
    assert not_followed.status_code == 302


def test_allow_list_is_case_insensitive_and_canonical(tmp_path: Path) -> None:
    settings = _settings(tmp_path, ["Media.Internal.", "[0:0:0:0:0:0:0:1]", " 10.0.0.5 "])
    assert kit_http.allowed_hosts(settings) == {"media.internal", "::1", "10.0.0.5", "viewfinder.example"}
