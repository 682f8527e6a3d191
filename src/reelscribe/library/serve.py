"""`reelscribe serve`: an output folder's reports and the library's search page, on 127.0.0.1.

`/search` is the Search function itself: the local runtime runs its handler as Lambda would,
on the HTTP API (payload 2.0) event API Gateway would make of the request, and its answer is
sent back as API Gateway would send it. Every other path is a file of the output folder,
read-only: nothing outside it (`..`, a link leading out) and nothing hidden (`.library`) is
served, and media are sent in ranges, so a player can seek.
"""

from __future__ import annotations

import base64
import json
import mimetypes
import os
import socket
import time
import uuid
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.security import safe_join
from werkzeug.serving import BaseWSGIServer, make_server
from werkzeug.utils import send_file
from werkzeug.wrappers import Request, Response

from ..errors import UsageError
from ..report.templating import asset, render
from .local import report_links

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

    from ..runtime.local import LocalRuntime

SEARCH_FUNCTION = "SearchFunction"
# The app's own pages; every other path is a file of the output folder.
PAGE, SCRIPT, REPORTS = "/search.html", "/search.js", "/reports.json"
PAGE_CSP = (
    "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; "
    "img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
mimetypes.add_type("text/vtt", ".vtt")  # the subtitles a report's player loads

Invoke = Callable[[dict[str, Any]], dict[str, Any]]


def api_event(request: Request) -> dict[str, Any]:
    """The event API Gateway's HTTP API gives a Lambda integration (payload format 2.0):
    repeated query parameters and headers joined with commas."""
    now = time.time()

    def joined(values: MultiDict[str, str]) -> dict[str, str]:
        return {key: ",".join(values.getlist(key)) for key in values}

    headers = MultiDict((key.lower(), value) for key, value in request.headers.items())
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": f"{request.method} {request.path}",
        "rawPath": request.path,
        "rawQueryString": request.query_string.decode("latin-1"),
        "headers": joined(headers),
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "local",
            "domainName": request.host,
            "domainPrefix": request.host.split(".")[0],
            "http": {
                "method": request.method,
                "path": request.path,
                "protocol": request.environ.get("SERVER_PROTOCOL", "HTTP/1.1"),
                "sourceIp": request.remote_addr or "127.0.0.1",
                "userAgent": request.user_agent.string,
            },
            "requestId": str(uuid.uuid4()),
            "routeKey": f"{request.method} {request.path}",
            "stage": "$default",
            "time": datetime.fromtimestamp(now, UTC).strftime("%d/%b/%Y:%H:%M:%S +0000"),
            "timeEpoch": int(now * 1000),
        },
        "isBase64Encoded": False,
    }
    if request.args:
        event["queryStringParameters"] = joined(request.args)
    return event


def function_invoker(runtime: LocalRuntime) -> Invoke:
    """The Search function, run by the local runtime; a crash is API Gateway's 500."""
    spec = runtime.deployment.functions[SEARCH_FUNCTION]

    def invoke(event: dict[str, Any]) -> dict[str, Any]:
        result = runtime.functions.invoke(spec, json.dumps(event).encode())
        if result.function_error:
            return {"statusCode": 500, "body": json.dumps({"message": "Internal Server Error"})}
        answer: dict[str, Any] = json.loads(result.payload)
        return answer

    return invoke


def _from_function(answer: dict[str, Any]) -> Response:
    body: str | bytes = answer.get("body") or ""
    if answer.get("isBase64Encoded"):
        body = base64.b64decode(body)
    response = Response(
        body, status=int(answer.get("statusCode", 200)), mimetype="application/json"
    )
    for name, value in (answer.get("headers") or {}).items():
        response.headers[name] = str(value)
    for cookie in answer.get("cookies") or []:
        response.headers.add("Set-Cookie", cookie)
    return response


class ServeApp:
    """The WSGI app: the search API, its page, and the output folder's files."""

    def __init__(self, out: Path, invoke: Invoke) -> None:
        self.out = out.resolve()
        self.invoke = invoke

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        request = Request(environ)
        try:
            response = self.answer(request)
        except HTTPException as error:
            response = error.get_response(environ)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response(environ, start_response)

    def answer(self, request: Request) -> Response:
        if request.method not in ("GET", "HEAD"):
            raise MethodNotAllowed(["GET", "HEAD"])
        if request.path == "/search":
            return _from_function(self.invoke(api_event(request)))
        if request.path == PAGE:
            page = render("search.html.j2", csp=PAGE_CSP, name=self.out.name)
            response = Response(page, mimetype="text/html")
            response.headers["Content-Security-Policy"] = PAGE_CSP
            return response
        if request.path == SCRIPT:
            return Response(asset("search.js"), mimetype="text/javascript")
        if request.path == REPORTS:
            return Response(json.dumps(report_links(self.out)), mimetype="application/json")
        return self.file(request)

    def file(self, request: Request) -> Response:
        path = self.find(request.path)
        return send_file(path, request.environ, max_age=None)

    def find(self, url_path: str) -> Path:
        """The file a path names in the output folder; anything else is not found."""
        parts = [part for part in url_path.split("/") if part]
        if any(part.startswith(".") for part in parts):
            raise NotFound()  # hidden: the library, the engines' caches
        joined = safe_join(str(self.out), *parts)
        if joined is None:
            raise NotFound()
        path = Path(joined)
        if path.is_dir():
            path = path / "index.html"
        resolved = path.resolve()
        if not resolved.is_file() or not resolved.is_relative_to(self.out):
            raise NotFound()  # a link leading out of the folder is refused as well
        return resolved


def listen(port: int) -> socket.socket:
    """The server's socket on 127.0.0.1, bound before anything starts: a port in use is the
    user's to change (0 takes any free one)."""
    try:
        return socket.create_server(("127.0.0.1", port))
    except OverflowError:
        raise UsageError(f"--port {port}: a port is 0 to 65535") from None
    except OSError as error:
        why = os.strerror(error.errno) if error.errno else str(error)
        raise UsageError(f"--port {port}: cannot listen on it ({why})") from None


def app_server(out: Path, listener: socket.socket, runtime: LocalRuntime) -> BaseWSGIServer:
    """The app on the listener's port, a thread for each request; it owns the socket now."""
    app = ServeApp(out, function_invoker(runtime))
    with listener:  # the server serves a copy of it
        return make_server("127.0.0.1", 0, app, threaded=True, fd=listener.fileno())


def serve(out: Path, listener: socket.socket, runtime: LocalRuntime, stream: TextIO) -> None:
    """Serve until interrupted (Ctrl-C)."""
    server = app_server(out, listener, runtime)
    url = f"http://127.0.0.1:{server.port}/"
    print(f"reelscribe: serving {out} at {url}; search at {url}search.html", file=stream)
    print("Ctrl-C stops it.", file=stream, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass  # the way to stop it
    finally:
        server.server_close()
