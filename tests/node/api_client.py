"""A small HTTP client for the node's end-to-end tests, on urllib.request only.

Every call returns a Reply, whatever the status: 4xx and 5xx are answers to check, not
exceptions. When the client has an OpenApiValidator, each request is checked against the
node's OpenAPI document before it is sent and each response after it arrives; a mismatch is an
AssertionError carrying the validator's message.

Public API:
    ApiClient(base_url, validator=None, timeout=10.0)
      .get/.post/.put/.delete/.patch(path, json=None, data=None, content_type=None, token=None,
                                     headers=None, expect=None, query=None, check_request=True)
      .request(method, path, ...)       the same for any method
      .load_openapi(path="/openapi.json") fetches the document, sets and returns a validator
    Reply: .status .headers .body .text .content_type .json() .problem()
    Headers: case-insensitive, read-only view of response headers (get, get_all, in, [])
    raw_request(host, port, data, timeout=5.0, one_response=False) -> bytes
    slow_send(host, port, data, delay_per_chunk, chunk_size=1, timeout=5.0) -> SlowSendResult
    status_of(raw_reply_bytes) -> int | None
"""

from __future__ import annotations

import json as _json
import select
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any, Iterable

try:  # the validator is optional; the client works without it
    from openapi_validate import OpenApiError, OpenApiValidator
except ImportError:  # pragma: no cover - imported as a package module instead
    from .openapi_validate import OpenApiError, OpenApiValidator  # type: ignore

__all__ = [
    "ApiClient",
    "Reply",
    "Headers",
    "SlowSendResult",
    "raw_request",
    "slow_send",
    "status_of",
]

_SHOWN_BODY = 2000  # bytes of a body quoted in assertion messages


def _show(body: bytes) -> str:
    text = body[:_SHOWN_BODY].decode("utf-8", "replace")
    return text + ("..." if len(body) > _SHOWN_BODY else "")


class Headers:
    """Response headers with case-insensitive lookup; repeated headers are all kept."""

    def __init__(self, pairs: Iterable[tuple] = ()):
        self._pairs = [(str(k), str(v)) for k, v in pairs]

    def get(self, name: str, default: Any = None) -> Any:
        name = name.lower()
        return next((v for k, v in self._pairs if k.lower() == name), default)

    def get_all(self, name: str) -> list:
        name = name.lower()
        return [v for k, v in self._pairs if k.lower() == name]

    def __getitem__(self, name: str) -> str:
        value = self.get(name)
        if value is None:
            raise KeyError(name)
        return value

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.get(name) is not None

    def items(self) -> list:
        return list(self._pairs)

    def __iter__(self):
        return iter(k for k, _ in self._pairs)

    def __len__(self) -> int:
        return len(self._pairs)

    def __repr__(self) -> str:
        return f"Headers({self._pairs!r})"


@dataclass
class Reply:
    """One HTTP response, as the tests see it."""

    method: str
    path: str
    status: int
    headers: Headers
    body: bytes

    @property
    def content_type(self) -> str:
        return self.headers.get("Content-Type", "")

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def json(self) -> Any:
        """The body parsed as JSON; AssertionError (quoting the body) when it is not JSON."""
        try:
            return _json.loads(self.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as e:
            raise AssertionError(
                f"{self.method} {self.path} -> {self.status}: body is not JSON ({e}): "
                f"{_show(self.body)}"
            ) from None

    def problem(self) -> dict:
        """Asserts an RFC 9457 problem body matching this reply's status and returns it."""
        where = f"{self.method} {self.path} -> {self.status}"
        media = self.content_type.split(";", 1)[0].strip().lower()
        if media != "application/problem+json":
            raise AssertionError(
                f"{where}: expected application/problem+json, got {self.content_type!r}: "
                f"{_show(self.body)}"
            )
        doc = self.json()
        if not isinstance(doc, dict):
            raise AssertionError(f"{where}: the problem is not a JSON object: {_show(self.body)}")
        if not isinstance(doc.get("title"), str) or not doc["title"]:
            raise AssertionError(f"{where}: the problem has no title: {doc}")
        if doc.get("status") != self.status:
            raise AssertionError(
                f"{where}: the problem's status {doc.get('status')!r} is not the HTTP status: {doc}"
            )
        return doc


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Hands 3xx responses back to the caller instead of following them."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class ApiClient:
    """HTTP client bound to one node; see the module docstring."""

    def __init__(
        self, base_url: str, validator: OpenApiValidator | None = None, timeout: float = 10.0
    ):
        self.base_url = base_url.rstrip("/")
        self.validator = validator
        self.timeout = timeout
        # No proxies (tests talk to loopback) and no redirect following (a 3xx is an answer).
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect())

    def load_openapi(self, path: str = "/openapi.json") -> OpenApiValidator:
        """Fetches the node's OpenAPI document and validates everything from now on with it."""
        reply = self.request("GET", path, expect=200, check_request=False)
        self.validator = OpenApiValidator(reply.json())
        # The document's own response is checked too, if the document describes it.
        try:
            self.validator.validate_response(
                "GET", path, reply.status, reply.headers, reply.content_type, reply.body
            )
        except OpenApiError as e:
            if not str(e).startswith("no operation for"):
                raise AssertionError(str(e)) from None
        return self.validator

    def get(self, path: str, **kw) -> Reply:
        return self.request("GET", path, **kw)

    def post(self, path: str, **kw) -> Reply:
        return self.request("POST", path, **kw)

    def put(self, path: str, **kw) -> Reply:
        return self.request("PUT", path, **kw)

    def delete(self, path: str, **kw) -> Reply:
        return self.request("DELETE", path, **kw)

    def patch(self, path: str, **kw) -> Reply:
        return self.request("PATCH", path, **kw)

    def request(
        self,
        method: str,
        path: str,
        json: Any = None,
        data: bytes | str | None = None,
        content_type: str | None = None,
        token: str | None = None,
        headers: dict | None = None,
        expect: int | Iterable[int] | None = None,
        query: dict | None = None,
        check_request: bool = True,
    ) -> Reply:
        """Sends one request and returns its Reply.

        json: a value sent as a JSON body (Content-Type application/json unless content_type).
        data: raw body bytes or text (Content-Type application/octet-stream unless content_type).
        token: sent as "Authorization: Bearer <token>".
        expect: the status (or statuses) the test requires; a mismatch is an AssertionError
            that quotes the body.
        query: extra query parameters, appended to path (values may be lists).
        check_request: False for tests that send a deliberately malformed request; the
            response is still validated.
        """
        method = method.upper()
        if json is not None and data is not None:
            raise ValueError("pass json or data, not both")
        send_headers = dict(headers or {})
        if content_type is None:  # a Content-Type among headers counts as the body's type
            content_type = next(
                (v for k, v in send_headers.items() if k.lower() == "content-type"), None
            )
        send_headers = {k: v for k, v in send_headers.items() if k.lower() != "content-type"}
        body: bytes | None = None
        if json is not None:
            body = _json.dumps(json).encode("utf-8")
            content_type = content_type or "application/json"
        elif data is not None:
            body = data.encode("utf-8") if isinstance(data, str) else bytes(data)
            content_type = content_type or "application/octet-stream"
        if query:
            path += ("&" if "?" in path else "?") + urllib.parse.urlencode(query, doseq=True)
        if token is not None:
            send_headers["Authorization"] = f"Bearer {token}"
        if content_type is not None:
            send_headers["Content-Type"] = content_type

        if self.validator is not None and check_request:
            try:
                self.validator.validate_request(
                    method, path, None, send_headers, content_type, body or b""
                )
            except OpenApiError as e:
                raise AssertionError(str(e)) from None

        req = urllib.request.Request(
            self.base_url + path, data=body, method=method, headers=send_headers
        )
        try:
            with self._opener.open(req, timeout=self.timeout) as resp:
                reply = Reply(method, path, resp.status, Headers(resp.headers.items()), resp.read())
        except urllib.error.HTTPError as e:
            reply = Reply(
                method, path, e.code, Headers(e.headers.items() if e.headers else ()), e.read()
            )
            e.close()

        if expect is not None:
            wanted = {expect} if isinstance(expect, int) else set(expect)
            if reply.status not in wanted:
                raise AssertionError(
                    f"{method} {path}: expected status {' or '.join(map(str, sorted(wanted)))}, "
                    f"got {reply.status} ({reply.content_type}): {_show(reply.body)}"
                )
        if self.validator is not None:
            try:
                self.validator.validate_response(
                    method,
                    path,
                    reply.status,
                    reply.headers,
                    reply.content_type or None,
                    reply.body,
                )
            except OpenApiError as e:
                raise AssertionError(f"{e}\n  body: {_show(reply.body)}") from None
        return reply


# ---------------------------------------------------------------------------------------------
# Raw sockets, for requests urllib will not send (malformed, slow, half-written)


def status_of(raw: bytes) -> int | None:
    """The status code of the first response in raw bytes, or None if there is none."""
    line = raw.split(b"\r\n", 1)[0].split(b" ")
    if len(line) >= 2 and line[0].startswith(b"HTTP/") and line[1].isdigit():
        return int(line[1])
    return None


def _one_response_done(buf: bytes) -> bool:
    """True once buf holds a whole response framed by Content-Length or chunked coding."""
    head, sep, rest = buf.partition(b"\r\n\r\n")
    if not sep:
        return False
    status = status_of(head) or 0
    if 100 <= status < 200 or status in (204, 304):
        return True
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        name, value = name.strip().lower(), value.strip().lower()
        if name == b"content-length" and value.isdigit():
            return len(rest) >= int(value)
        if name == b"transfer-encoding" and b"chunked" in value:
            return rest.endswith(b"0\r\n\r\n")
    return False  # framed by the connection closing


def _read_reply(sock: socket.socket, buf: bytearray, deadline: float, one_response: bool) -> None:
    """Reads into buf until the peer closes, the deadline passes or (with one_response) one
    whole response has arrived."""
    while True:
        if one_response and _one_response_done(bytes(buf)):
            return
        left = deadline - time.monotonic()
        if left <= 0:
            return
        sock.settimeout(left)
        try:
            chunk = sock.recv(65536)
        except (socket.timeout, ConnectionResetError):
            return
        if not chunk:
            return
        buf += chunk


def raw_request(
    host: str, port: int, data: bytes, timeout: float = 5.0, one_response: bool = False
) -> bytes:
    """Writes data to a fresh connection and returns every byte that came back.

    Reads until the server closes the connection or timeout seconds have passed in all; with
    one_response=True it returns as soon as one complete response has arrived (for servers
    that keep the connection open). Never raises for a reset or a timeout: the test inspects
    what arrived (status_of helps).
    """
    deadline = time.monotonic() + timeout
    buf = bytearray()
    with socket.create_connection((host, port), timeout=timeout) as sock:
        try:
            sock.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server may answer and close before taking all of it
        _read_reply(sock, buf, deadline, one_response)
    return bytes(buf)


@dataclass
class SlowSendResult:
    """What happened while dribbling a request to the server."""

    reply: bytes  # everything the server sent back
    sent: int  # bytes of the request written before stopping
    closed_early: bool  # the server answered or closed before the whole request was sent
    elapsed: float  # seconds from connect to the end of reading


def slow_send(
    host: str,
    port: int,
    data: bytes,
    delay_per_chunk: float,
    chunk_size: int = 1,
    timeout: float = 5.0,
) -> SlowSendResult:
    """Sends data chunk_size bytes at a time, sleeping delay_per_chunk between chunks.

    Stops sending as soon as the server answers or closes (as a slow-client defence should
    make it do), then reads the reply until the server closes or timeout seconds pass after
    the last chunk. The caller bounds the total time by choosing data, chunk_size and delay.
    """
    start = time.monotonic()
    buf = bytearray()
    sent = 0
    closed_early = False
    with socket.create_connection((host, port), timeout=timeout) as sock:
        while sent < len(data):
            try:
                sock.sendall(data[sent : sent + chunk_size])
            except (BrokenPipeError, ConnectionResetError):
                closed_early = True
                break
            sent = min(len(data), sent + chunk_size)
            if sent >= len(data):
                break
            # Wait out the delay, but notice a reply or a close while waiting.
            readable, _, _ = select.select([sock], [], [], delay_per_chunk)
            if readable:
                try:
                    chunk = sock.recv(65536)
                except ConnectionResetError:
                    chunk = b""
                buf += chunk
                closed_early = True
                break
        _read_reply(sock, buf, time.monotonic() + timeout, one_response=False)
    return SlowSendResult(bytes(buf), sent, closed_early, time.monotonic() - start)
