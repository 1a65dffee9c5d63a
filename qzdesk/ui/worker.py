"""The one serialised database worker: every service call runs on it, off the GUI thread.

Results come back to the GUI thread through a queued signal; a result that is an
`Outcome` also announces which kinds of data changed, so the screens that show them
refresh.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from qzdesk.services.changes import Outcome

log = logging.getLogger(__name__)

Callback = Callable[[Any], None]


class DbWorker(QObject):
    changed = Signal(object)  # frozenset[Topic]
    busy = Signal(bool)
    _finished = Signal(object, object, object)

    def __init__(self, on_unhandled: Callable[[BaseException], None]) -> None:
        super().__init__()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="qzdesk-db")
        self.unhandled = on_unhandled
        self._pending = 0
        self._closed = False
        self._finished.connect(self._deliver)

    @property
    def pending(self) -> int:
        return self._pending

    def submit(
        self,
        fn: Callable[..., Any],
        *args: Any,
        on_done: Callback | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        **kwargs: Any,
    ) -> Future[Any]:
        """Run `fn(*args, **kwargs)` on the worker; `on_done(result)` or `on_error(exc)` run
        on the GUI thread. Errors without an `on_error` go to the application's error
        handler."""
        if self._closed:  # a late callback asking for more while the window closes
            dropped: Future[Any] = Future()
            dropped.cancel()
            return dropped
        self._pending += 1
        if self._pending == 1:
            self.busy.emit(True)
        future = self._executor.submit(fn, *args, **kwargs)
        future.add_done_callback(lambda f: self._finished.emit(f, on_done, on_error))
        return future

    @Slot(object, object, object)
    def _deliver(self, future: Future[Any], on_done: Callback | None, on_error: Any) -> None:
        self._pending -= 1
        if self._pending == 0:
            self.busy.emit(False)
        if future.cancelled():  # dropped at shutdown: nobody waits for it any more
            return
        error = future.exception()
        if error is not None:
            (on_error or self.unhandled)(error)
            return
        result = future.result()
        if isinstance(result, Outcome):
            self.changed.emit(result.changed)
        if on_done is not None:
            on_done(result)

    def shutdown(self) -> None:
        """Let the running call finish (never cut a transaction short), then stop."""
        self._closed = True
        self._executor.shutdown(wait=True, cancel_futures=True)
