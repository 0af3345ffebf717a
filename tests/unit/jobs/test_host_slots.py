"""Per-host slots: a link beyond its host's share is parked, and resumed when a slot frees."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.jobs.hosts import HostSlots, host_of
from bot.jobs.pending import Job, JobKind
from bot.telegram.access import InFlight


def job(job_id: int, ref: str | None, kind: JobKind = JobKind.LINK) -> Job:
    return Job(id=job_id, kind=kind, chat_id=1, message_id=job_id, reply_to=job_id,
               created_at=datetime(2026, 1, 1, tzinfo=UTC), attempts=0, thread_id=None,
               user_id=1, text=None, ref=ref, title=None, source=None)  # fmt: skip


def test_the_host_of_a_link_job_only() -> None:
    assert host_of(job(1, "https://News.Example.org./a?b")) == "news.example.org"
    assert host_of(job(2, "file-ref", JobKind.DOCUMENT)) is None
    assert host_of(job(3, None)) is None


def test_a_full_host_parks_jobs_and_resumes_them_in_order() -> None:
    slots: HostSlots[str] = HostSlots(per_host=2)
    resumed: list[str] = []
    slots.resume = resumed.append
    a, b, c, d = (job(i, f"http://slow.test/{i}") for i in range(1, 5))
    other = job(9, "http://fast.test/x")
    assert slots.admit(a, "a") and slots.admit(b, "b")
    assert not slots.admit(c, "c") and not slots.admit(d, "d")
    assert slots.admit(other, "other")  # another host is not held up
    assert slots.parked == 2
    slots.release(a.id)
    assert resumed == ["c"]
    assert slots.admit(c, "c")  # its slot was taken for it: admitted when it comes round
    assert not slots.admit(job(5, "http://slow.test/5"), "e")  # no newcomer slips in
    slots.release(a.id)  # twice: nothing more
    assert resumed == ["c"]
    slots.release(b.id)
    assert resumed == ["c", "d"]


def test_jobs_in_flight_are_counted_and_released_once() -> None:
    flight = InFlight(limit=2)
    first, second = flight.take("user:1"), flight.take("user:1")
    assert first is not None and second is not None
    assert flight.take("user:1") is None
    assert flight.take("chat:-5") is not None  # its own count
    first()
    first()  # given at most once
    assert flight.count("user:1") == 1
    assert flight.take("user:1") is not None
