"""Counting library calls in flight at once: proof that a batch runs concurrently, without timing anything."""

from __future__ import annotations

import threading
from typing import Any, Callable


class InFlight:
    """Wraps a project: its calls named in ``names`` are counted while they run (``peak``: the most at once,
    ``threads``: the threads they ran on).

    The first ``together`` calls each wait until ``together`` calls are in flight at the same moment, so a batch
    run one call at a time fails (``AssertionError`` after ``patience`` seconds) instead of passing.
    """

    def __init__(self, project: Any, names: tuple[str, ...], together: int, patience: float = 60.0) -> None:
        self._project, self._names, self._together, self._patience = project, names, together, patience
        self._lock = threading.Lock()
        self._arrived = 0
        self._all_in = threading.Event()
        self.now = self.peak = self.calls = 0
        self.threads: set[int] = set()

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._project, name)
        if name not in self._names:
            return attribute
        return self._counted(attribute)

    def _counted(self, call: Callable[..., Any]) -> Callable[..., Any]:
        def counted(*args: Any, **kwargs: Any) -> Any:
            with self._lock:
                self.now += 1
                self.calls += 1
                self.peak = max(self.peak, self.now)
                self.threads.add(threading.get_ident())
                self._arrived += 1
                waits = self._arrived <= self._together
                if self._arrived == self._together:
                    self._all_in.set()
            try:
                if waits and not self._all_in.wait(self._patience):
                    raise AssertionError(f"{self._together} calls were never in flight at once (peak {self.peak})")
                return call(*args, **kwargs)
            finally:
                with self._lock:
                    self.now -= 1
        return counted
