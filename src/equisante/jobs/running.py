"""Starting and running background jobs.

:func:`submit` writes a :class:`~equisante.jobs.models.Job` and hands its id to the task library
(``django_tasks`` with the database backend by default: the worker started by ``equisante serve`` or
``equisante worker`` picks it up; no other server is needed). :func:`execute` runs a job in the worker:
it looks up the kind's function in :data:`KINDS`, gives it a :class:`JobReporter` (progress written to
the job, at most a few times per second), stores the result file and summary, or the French reason of
a failure (an :class:`~equisante.errors.EquisanteError`'s message, an import's list of problems).

A kind function is ``work(job, reporter) -> Outcome``.
"""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from equisante.errors import EquisanteError, InputRejected, kind as error_kind
from equisante.immutable import channel
from equisante.jobs import models as m
from equisante.progress import percent

import equisante.jobs.problems  # noqa: F401

log = logging.getLogger(__name__)


@dataclass
class Outcome:
    """What a job produced: a file (bytes, name, content type) and/or a summary and a list of changes."""

    content: bytes | None = None
    filename: str = ""
    content_type: str = "application/octet-stream"
    summary: str = ""
    changes: list[dict] = field(default_factory=list)
    extra: dict = field(default_factory=dict)
    url: str = ""


@dataclass
class Kind:
    code: str
    label: str
    work: Callable[[m.Job, "JobReporter"], Outcome]


#: Every kind of job, by code (filled by :mod:`equisante.jobs.kinds`).
KINDS: dict[str, Kind] = {}


def register(code: str, label: str):
    def decorator(work):
        KINDS[code] = Kind(code, label, work)
        return work
    return decorator


def files_dir() -> Path:
    """Where the jobs' files are kept (``<data folder>/travaux``)."""
    return Path(getattr(settings, "EQUISANTE_JOBS_DIR", settings.DATA_DIR / "travaux"))


class JobReporter:
    """Writes a job's progress (0–100 and the step in words) at most every ``interval`` seconds, and
    always when the step changes or the work ends."""

    def __init__(self, job: m.Job, interval: float = 0.3):
        self.job = job
        self.interval = interval
        self.last = 0.0

    def update(self, done: int, total: int, message: str = "") -> None:
        value = percent(done, total)
        now = time.monotonic()
        if message == self.job.message and value != 100 and now - self.last < self.interval:
            return
        self.last = now
        self.job.progress, self.job.message = value, message[:300]
        m.Job.objects.filter(pk=self.job.pk).update(progress=value, message=self.job.message)


def submit(kind: str, *, owner=None, params: dict | None = None, label: str | None = None) -> m.Job:
    """A new job of ``kind`` for ``owner``, queued now (run by the worker once the transaction commits)."""
    from equisante.jobs import kinds  # noqa: F401  (fills KINDS)

    entry = KINDS[kind]
    job = m.Job.objects.create(owner=owner if owner is not None and owner.is_authenticated else None, kind=kind,
                               label=(label or entry.label)[:300], params=params or {})

    def enqueue():
        from equisante.jobs.tasks import run_job

        result = run_job.enqueue(job.pk)
        m.Job.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])

    transaction.on_commit(enqueue)
    return job


def _failure_text(exc: BaseException) -> str:
    if isinstance(exc, InputRejected):
        return exc.report() if hasattr(exc, "report") else str(exc)
    if isinstance(exc, EquisanteError):
        return exc.message
    return error_kind("job_unexpected").render(detail=type(exc).__name__)


def execute(job_id: int) -> m.Job:
    """Run one job (in the worker). Never raises: a failure is written on the job, in French."""
    from equisante.jobs import kinds  # noqa: F401

    job = m.Job.objects.select_related("owner").get(pk=job_id)
    if job.finished:
        return job
    job.state, job.started_at, job.progress = m.RUNNING, timezone.now(), 0
    job.save(update_fields=["state", "started_at", "progress"])
    reporter = JobReporter(job)
    try:
        with channel("travail"):
            outcome = KINDS[job.kind].work(job, reporter)
    except Exception as exc:  # noqa: BLE001 — every failure is told to the person, in French
        if not isinstance(exc, EquisanteError):
            log.error("travail %s en échec\n%s", job.pk, traceback.format_exc())
        job.state, job.error = m.FAILED, _failure_text(exc)
    else:
        job.state, job.progress, job.message = m.DONE, 100, ""
        job.result = {"summary": outcome.summary, "changes": outcome.changes, "url": outcome.url, **outcome.extra}
        if outcome.content is not None:
            folder = files_dir() / str(job.pk)
            folder.mkdir(parents=True, exist_ok=True)
            name = Path(outcome.filename or "resultat").name
            (folder / name).write_bytes(outcome.content)
            job.result_file, job.result_name, job.result_type = f"{job.pk}/{name}", name, outcome.content_type
    job.finished_at = timezone.now()
    job.save()
    return job


def result_path(job: m.Job) -> Path | None:
    if not job.result_file:
        return None
    path = (files_dir() / job.result_file).resolve()
    return path if path.is_file() and files_dir().resolve() in path.parents else None
