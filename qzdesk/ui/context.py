"""What every window needs: the desk (store, rule profiles, clock, actor) and the one
worker that runs its operations off the GUI thread."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import date
from typing import Any

from qzdesk.services.desk import Desk
from qzdesk.services.organisation.rules import RuleProfile
from qzdesk.services.storage.store import Store
from qzdesk.ui.worker import Callback, DbWorker

ErrorCallback = Callable[[BaseException], None]


@dataclass
class AppContext:
    desk: Desk
    worker: DbWorker
    wrote: bool = False  # something changed since the last automatic backup

    def __post_init__(self) -> None:
        self.worker.changed.connect(self._written)

    def _written(self, _topics: object) -> None:
        self.wrote = True

    @property
    def store(self) -> Store:
        return self.desk.store

    @property
    def profiles(self) -> Mapping[str, RuleProfile]:
        return self.desk.profiles

    def today(self) -> date:
        """The desk's day (Beijing), for what a screen proposes: never the widget's own
        wall clock."""
        return self.desk.clock.now().date()

    def read(
        self,
        op: Callable[..., Any],
        *args: Any,
        on_done: Callback | None = None,
        on_error: ErrorCallback | None = None,
        **kwargs: Any,
    ) -> Future[Any]:
        """A desk read (`op(ctx, …)`, one snapshot) on the worker."""
        return self._on_worker(self.desk.read, op, args, kwargs, on_done, on_error)

    def write(
        self,
        op: Callable[..., Any],
        *args: Any,
        on_done: Callback | None = None,
        on_error: ErrorCallback | None = None,
        **kwargs: Any,
    ) -> Future[Any]:
        """A desk write (`op(ctx, …)`, all or nothing) on the worker."""
        return self._on_worker(self.desk.write, op, args, kwargs, on_done, on_error)

    def keep(
        self,
        fn: Callable[..., Any],
        *args: Any,
        on_done: Callback | None = None,
        on_error: ErrorCallback | None = None,
        **kwargs: Any,
    ) -> Future[Any]:
        """A function of the store's keeping (its files and keys: sealed files, the
        signing key's public part, re-keying), `fn(store, …)` on the worker and outside
        any unit of work: what it records names the actor it is given."""
        return self.worker.submit(
            fn, self.store, *args, on_done=on_done, on_error=on_error, **kwargs
        )

    def _on_worker(
        self,
        how: Callable[..., Any],
        fn: Callable[..., Any],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        on_done: Callback | None,
        on_error: ErrorCallback | None,
    ) -> Future[Any]:
        return self.worker.submit(how, fn, *args, on_done=on_done, on_error=on_error, **kwargs)

    def sign_in(
        self,
        password: str,
        on_done: Callback | None = None,
        on_error: ErrorCallback | None = None,
    ) -> Future[Any]:
        return self.worker.submit(self.desk.sign_in, password, on_done=on_done, on_error=on_error)
