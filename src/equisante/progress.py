"""Progress of long work, shown the same way whatever runs it (pure Python, no Django).

Long work (reports, imports, index computation, batch suggestions, the demonstration load) reports
its advance to a *reporter*: the command line draws a tqdm bar (:class:`BarReporter`), a background
job writes its progress record (``equisante.jobs.progress.JobReporter``), tests collect the steps
(:class:`ListReporter`). :func:`run_with_progress` applies a function to each item and reports after
each one; :func:`stage_callback` adapts a reporter to the ``progress(stage, done, total)`` callback the
importers take.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from typing import Protocol, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class Reporter(Protocol):
    def update(self, done: int, total: int, message: str = "") -> None:
        """``done`` items out of ``total`` (0: unknown) are finished; ``message`` says what is being done."""


class NullReporter:
    def update(self, done: int, total: int, message: str = "") -> None:
        return None


class ListReporter:
    """Keeps every update (for tests and scripts)."""

    def __init__(self):
        self.steps: list[tuple[int, int, str]] = []

    def update(self, done: int, total: int, message: str = "") -> None:
        self.steps.append((done, total, message))


class BarReporter:
    """A tqdm bar per message on stderr, hidden when stderr is not a terminal."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.bar = None
        self.message = None

    def update(self, done: int, total: int, message: str = "") -> None:
        from tqdm import tqdm

        if self.bar is None or message != self.message:
            self.close()
            self.message = message
            self.bar = tqdm(total=total or None, desc=message, unit="", file=self.stream,
                            disable=not getattr(self.stream, "isatty", lambda: False)())
        self.bar.total = total or None
        self.bar.n = done
        self.bar.refresh()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def percent(done: int, total: int) -> int:
    """Whole percentage of ``done`` out of ``total`` (0 when the total is unknown), within 0–100."""
    if total <= 0:
        return 0
    return max(0, min(100, int(100 * done / total)))


def run_with_progress(items: Iterable[T], work: Callable[[T], R], *, reporter: Reporter | None = None,
                      total: int | None = None, message: str = "") -> list[R]:
    """``[work(item) for item in items]``, reporting to ``reporter`` before the first and after each item."""
    reporter = reporter or NullReporter()
    items = list(items) if total is None else items
    total = len(items) if total is None else total
    reporter.update(0, total, message)
    out = []
    for done, item in enumerate(items, start=1):
        out.append(work(item))
        reporter.update(done, total, message)
    return out


def stage_callback(reporter: Reporter | None) -> Callable[[str, int, int], None]:
    """A ``progress(stage, done, total)`` callback (as the importers take) that reports to ``reporter``."""
    reporter = reporter or NullReporter()

    def progress(stage: str, done: int, total: int) -> None:
        reporter.update(done, total, stage)

    return progress
