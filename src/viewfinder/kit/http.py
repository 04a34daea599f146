"""The one outbound HTTP client: every fetch the application makes goes through `create_http_client`.

It refuses private and otherwise non-public destinations (SSRF) unless configured, pins the address it checked
so DNS cannot change between the check and the connection, and retries what is safe to retry.
"""

from __future__ import annotations

import socket
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from ipaddress import IPv4Address, IPv6Address, ip_address, ip_network

import anyio
import httpx
from httpx_retries import Retry, RetryTransport

from viewfinder.settings import Settings

Address = IPv4Address | IPv6Address

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
RETRY_STATUSES = (429, 502, 503, 504)
# Failures where the request never reached the server's application, or (RemoteProtocolError) a reused
# keep-alive connection that the server had already closed: a safe method can be repeated after them.
RETRY_EXCEPTIONS: tuple[type[Exception], ...] = (httpx.ConnectError, httpx.ConnectTimeout, httpx.RemoteProtocolError)

_CGNAT = ip_network("100.64.0.0/10")  # shared address space: carrier NAT, and some clouds' internal networks
_NAT64 = ip_network("64:ff9b::/96")  # reaches the IPv4 address in its low 32 bits through a NAT64 gateway
_MAX_TRIED_ADDRESSES = 3
_MAX_PINNED_HOSTS = 64


class BlockedDestination(httpx.RequestError):
    """The guard refused a request before any connection: a scheme other than http(s), or a host that is, or
    resolves to, a non-public address and is not allowed by `OUTBOUND_ALLOW_HOSTS`.

    A subclass of `httpx.RequestError`, so code that handles "the fetch failed" (`except httpx.HTTPError`)
    handles it too; it is permanent, though, so code that retries transport errors later should catch it first.
    Its message names the scheme and host only, never credentials, path or query.
    """


def is_public_address(address: Address) -> bool:
    """Whether an address is on the public internet: not private, loopback, link-local (169.254.169.254, the
    cloud metadata service, is one), multicast, reserved, unspecified, CGNAT or unique-local, including the IPv6
    forms that embed an IPv4 address, which are judged by the IPv4 address the connection ends up at."""
    if isinstance(address, IPv6Address):
        if address.ipv4_mapped is not None:
            return is_public_address(address.ipv4_mapped)
        if address in _NAT64:
            return is_public_address(IPv4Address(int(address) & 0xFFFFFFFF))
        if address.sixtofour is not None and not is_public_address(address.sixtofour):
            return False
        return address.is_global and not (
            address.is_private
            or address.is_loopback
            or address.is_link_local
            or address.is_site_local
            or address.is_multicast
            or address.is_reserved
            or address.is_unspecified
        )
    return (
        address.is_global
        and address not in _CGNAT
        and not (
            address.is_private
            or address.is_loopback
            or address.is_link_local
            or address.is_multicast
            or address.is_reserved
            or address.is_unspecified
        )
    )


def _ip_literal(host: str) -> Address | None:
    try:
        return ip_address(host.strip("[]"))
    except ValueError:
        return None


def normalise_host(host: str) -> str:
    """A host as compared against the allow list: lower case, no trailing dot or brackets, IPs canonical."""
    host = host.strip().lower().rstrip(".")
    literal = _ip_literal(host)
    return str(literal) if literal is not None else host


def allowed_hosts(settings: Settings) -> frozenset[str]:
    """`OUTBOUND_ALLOW_HOSTS` plus the install's own host, which is always reachable."""
    hosts = {normalise_host(host) for host in settings.outbound_allow_hosts if host.strip()}
    if settings.base_url.host:
        hosts.add(normalise_host(settings.base_url.host))
    return frozenset(hosts)


def _where(url: httpx.URL) -> str:
    # What an error may say about a URL: never its user info, path or query (they carry tokens).
    port = f":{url.port}" if url.port else ""
    return f"{url.scheme}://{url.host}{port}"


@dataclass
class _Upstream:
    transport: httpx.AsyncBaseTransport
    active: int = 0
    retired: bool = False
    closed: bool = False

    async def release(self) -> None:
        self.active -= 1
        if self.retired and self.active == 0:
            await self.close()

    async def close(self) -> None:
        if not self.closed:
            self.closed = True
            await self.transport.aclose()


class _TrackedStream(httpx.AsyncByteStream):
    """A response body that tells its upstream when it is closed, so a retired upstream closes once idle."""

    def __init__(self, stream: httpx.AsyncByteStream, upstream: _Upstream) -> None:
        self._stream = stream
        self._upstream = upstream
        self._released = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._stream:
            yield chunk

    async def aclose(self) -> None:
        try:
            await self._stream.aclose()
        finally:
            if not self._released:
                self._released = True
                await self._upstream.release()


Resolver = Callable[[str, int], Awaitable[list[Address]]]


async def resolve(host: str, port: int) -> list[Address]:
    infos = await anyio.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses: list[Address] = []
    for _family, _type, _proto, _name, sockaddr in infos:
        address = ip_address(str(sockaddr[0]).split("%", 1)[0])
        if address not in addresses:
            addresses.append(address)
    return addresses


class GuardedTransport(httpx.AsyncBaseTransport):
    """Sends a request only to a public address, or to a host the install allows, and pins what it checked.

    A host that is a name is resolved here, every address it resolves to is checked (one bad address refuses
    the request, so a mixed answer cannot be used to reach inside), and the request is sent to the checked IP
    with the original `Host` header and, for TLS, `sni_hostname`, so certificates are still verified against
    the name. A host in the allow list (exact name or IP literal) is sent as is; a name that resolves to an
    allowed IP literal is allowed too, since that IP could be fetched directly anyway.

    Connection pools are keyed by scheme, IP and port, so pinned requests get one pool per host name: otherwise
    a TLS connection verified for one name could be reused for another name that resolves to the same IP.
    """

    def __init__(
        self,
        allow_hosts: Iterable[str] = (),
        *,
        transport_factory: Callable[[], httpx.AsyncBaseTransport] | None = None,
        resolver: Resolver = resolve,
    ) -> None:
        self._allow = frozenset(normalise_host(host) for host in allow_hosts)
        self._factory = transport_factory or (lambda: httpx.AsyncHTTPTransport(retries=0))
        self._resolve = resolver
        self._shared = _Upstream(self._factory())
        self._pinned: OrderedDict[str, _Upstream] = OrderedDict()
        self._retired: list[_Upstream] = []

    def _allowed_address(self, address: Address) -> bool:
        return is_public_address(address) or str(address) in self._allow

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        if url.scheme not in ("http", "https"):
            raise BlockedDestination(f"Refused a {url.scheme}: URL: only http and https are fetched.", request=request)
        if not url.host:
            raise BlockedDestination("Refused a URL without a host.", request=request)
        name = url.raw_host.decode("ascii")
        if normalise_host(name) in self._allow or normalise_host(url.host) in self._allow:
            return await self._send(self._shared, request)

        literal = _ip_literal(name)
        if literal is not None:
            if not self._allowed_address(literal):
                raise BlockedDestination(f"Refused {_where(url)}: not a public address.", request=request)
            return await self._send(self._shared, request)

        port = url.port or (443 if url.scheme == "https" else 80)
        try:
            addresses = await self._resolve(name, port)
        except OSError:
            raise httpx.ConnectError(f"Could not resolve {_where(url)}.", request=request) from None
        if not addresses:
            raise httpx.ConnectError(f"Could not resolve {_where(url)}.", request=request)
        if not all(self._allowed_address(address) for address in addresses):
            raise BlockedDestination(f"Refused {_where(url)}: it resolves to a non-public address.", request=request)

        # IPv4 first: without happy eyeballs here, an IPv6 address on a host with no IPv6 route fails slowly.
        candidates = sorted(addresses, key=lambda address: address.version)[:_MAX_TRIED_ADDRESSES]
        upstream = await self._upstream_for(name)
        for index, address in enumerate(candidates):
            try:
                return await self._send(upstream, self._pin(request, name, address))
            except httpx.ConnectError:
                if index == len(candidates) - 1:
                    raise
        raise AssertionError("unreachable")  # the loop returns or raises

    def _pin(self, request: httpx.Request, name: str, address: Address) -> httpx.Request:
        headers = request.headers.copy()
        if "host" not in headers:
            headers["Host"] = request.url.netloc.decode("ascii")
        extensions = dict(request.extensions)
        if request.url.scheme == "https":
            extensions["sni_hostname"] = name
        return httpx.Request(
            request.method,
            request.url.copy_with(host=str(address)),
            headers=headers,
            stream=request.stream,
            extensions=extensions,
        )

    async def _upstream_for(self, name: str) -> _Upstream:
        upstream = self._pinned.get(name)
        if upstream is not None:
            self._pinned.move_to_end(name)
            return upstream
        upstream = self._pinned[name] = _Upstream(self._factory())
        self._retired = [retired for retired in self._retired if not retired.closed]
        if len(self._pinned) > _MAX_PINNED_HOSTS:
            _, oldest = self._pinned.popitem(last=False)
            oldest.retired = True
            if oldest.active:
                self._retired.append(oldest)  # closed by its last response, or by aclose
            else:
                await oldest.close()
        return upstream

    async def _send(self, upstream: _Upstream, request: httpx.Request) -> httpx.Response:
        upstream.active += 1
        try:
            response = await upstream.transport.handle_async_request(request)
        except BaseException:
            await upstream.release()
            raise
        if response.is_closed:  # a response read in full already (a test double's) holds no connection
            await upstream.release()
            return response
        assert isinstance(response.stream, httpx.AsyncByteStream)
        response.stream = _TrackedStream(response.stream, upstream)
        return response

    async def aclose(self) -> None:
        upstreams = [self._shared, *self._pinned.values(), *self._retired]
        self._pinned.clear()
        self._retired.clear()
        for upstream in upstreams:
            await upstream.close()


def user_agent(settings: Settings) -> str:
    try:
        release = version("viewfinder")
    except PackageNotFoundError:
        release = "0+unknown"
    return f"Viewfinder/{release} (+{str(settings.base_url).rstrip('/')})"


def create_http_client(
    settings: Settings,
    *,
    timeout: float = 20.0,
    retries: int = 3,
    follow_redirects: bool = False,
    backoff_factor: float = 0.5,
) -> httpx.AsyncClient:
    """An `httpx.AsyncClient` for any outbound call; close it (`async with`) when done.

    Only GET, HEAD and OPTIONS are retried (POST and friends may not be idempotent), on connect failures and on
    429/502/503/504, with exponential backoff and full jitter, honouring `Retry-After` up to 30 seconds.
    Redirects, when followed, are each a request through the guard.
    """
    retry = Retry(
        total=retries,
        allowed_methods=SAFE_METHODS,
        status_forcelist=RETRY_STATUSES,
        retry_on_exceptions=RETRY_EXCEPTIONS,
        backoff_factor=backoff_factor,
        backoff_jitter=1.0,
        respect_retry_after_header=True,
        max_backoff_wait=30.0,
        total_timeout=60.0,  # bounds the sum of sleeps when a server keeps answering Retry-After
    )
    transport = RetryTransport(transport=GuardedTransport(allowed_hosts(settings)), retry=retry)
    return httpx.AsyncClient(
        transport=transport,
        timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
        follow_redirects=follow_redirects,
        max_redirects=5,
        headers={"User-Agent": user_agent(settings)},
        # No proxies from the environment: httpx would route around this transport through them, and a proxy
        # resolves names itself, which would undo the pinning.
        trust_env=False,
    )
