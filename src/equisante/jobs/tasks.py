"""The one task the worker runs: a job, by id (see :mod:`equisante.jobs.running`)."""

from django_tasks import task


@task()
def run_job(job_id: int) -> None:
    from equisante.jobs.running import execute

    execute(job_id)
