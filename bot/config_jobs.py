"""Settings of the jobs' workers and claims: a group of `Settings` (config.py) kept apart."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings


class JobSettings(BaseSettings):
    """Who answers jobs, and how processes sharing one database share them (docs/jobs.md)."""

    # Workers in this process; None: enough for every LLM slot (lifecycle.workers_for).
    # 0: `briefbot run` only receives updates and stores jobs for `briefbot worker`s.
    job_workers: int | None = Field(default=None, ge=0, le=1024)
    # A process that stops renewing its jobs (killed, or paused) loses them after this long.
    job_lease_s: float = Field(default=60.0, ge=5)
    # How often a process with free workers looks for jobs nobody holds.
    job_poll_s: float = Field(default=1.0, gt=0, le=60)
