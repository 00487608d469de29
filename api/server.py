"""How ``tracuu serve`` runs uvicorn: bounded connections and timeouts against slow clients.

Why a protocol subclass: uvicorn closes idle keep-alive connections (``timeout_keep_alive``) and
can cap connections (``limit_concurrency``), but it has no limit on how long a client may take
to send a request's headers or body: a client trickling a byte every few seconds holds a
connection forever ("slowloris"). :func:`timed_protocol` adds the two missing clocks to
uvicorn's httptools protocol:

* ``TRACUU_HEADER_TIMEOUT_S``: from the connection (or the first byte of the next request) to
  the end of the request's headers;
* ``TRACUU_REQUEST_TIMEOUT_S``: from the end of the headers to the end of the body.

When a clock runs out the connection is closed; the app sees the client disconnect (an upload
in progress is discarded). Uploads also have their own idle clock in :mod:`api.uploads`.
Settings come from :func:`api.config.http_settings`, validated before the server starts.
"""

from __future__ import annotations

import asyncio
from typing import Any

from tracuu.api.config import HttpSettings


def timed_protocol(header_timeout_s: float, request_timeout_s: float) -> type | None:
    """uvicorn's httptools protocol with header and body deadlines (None without httptools)."""
    try:
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
    except ImportError:  # pragma: no cover - httptools is a dependency
        return None

    class TimedHttpToolsProtocol(HttpToolsProtocol):  # type: ignore[misc]
        header_timeout = header_timeout_s
        request_timeout = request_timeout_s

        def _arm(self, seconds: float) -> None:
            self._disarm()
            self._deadline: asyncio.TimerHandle | None = self.loop.call_later(seconds, self._too_slow)

        def _disarm(self) -> None:
            handle = getattr(self, "_deadline", None)
            if handle is not None:
                handle.cancel()
                self._deadline = None

        def _too_slow(self) -> None:
            self._deadline = None
            if not self.transport.is_closing():
                self.logger.info("closing a connection that sent its request too slowly")
                self.transport.close()

        def connection_made(self, transport: Any) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._arm(self.header_timeout)

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

        def on_message_begin(self) -> None:
            super().on_message_begin()
            self._arm(self.header_timeout)

        def on_headers_complete(self) -> None:
            self._arm(self.request_timeout)
            super().on_headers_complete()

        def on_message_complete(self) -> None:
            self._disarm()
            super().on_message_complete()

    return TimedHttpToolsProtocol


def uvicorn_options(settings: HttpSettings) -> dict[str, Any]:
    """The keyword arguments ``tracuu serve`` gives ``uvicorn.run`` besides app, host and port."""
    options: dict[str, Any] = {
        "timeout_keep_alive": settings.keep_alive_s,
        "limit_concurrency": settings.max_connections,
        "timeout_graceful_shutdown": 10,
        "h11_max_incomplete_event_size": 64 * 1024,
    }
    protocol = timed_protocol(settings.header_timeout_s, settings.request_timeout_s)
    if protocol is not None:
        options["http"] = protocol
    return options
