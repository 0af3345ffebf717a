"""`briefbot worker`: the bot without its ears, answering the jobs another process received.

It builds the same services and Application as `briefbot run`, so replies, digest ticks,
feed polls and housekeeping run through the same code, but it never calls getUpdates nor
sets a webhook: one `briefbot run` (JOB_WORKERS=0, or a few workers of its own) receives
the updates and stores the jobs; workers claim them from the shared database
(docs/jobs.md, "Several processes"). It stops on SIGTERM or SIGINT, letting go of its jobs.
"""

from __future__ import annotations

import asyncio
import logging
import signal

from telegram.ext import Application

from bot.config import Settings
from bot.runtime.gc_freeze import settled_after
from bot.telegram import lifecycle
from bot.telegram.app import build_application

log = logging.getLogger(__name__)


def work(settings: Settings) -> None:
    """Answer jobs, send digests and poll feeds until SIGTERM or SIGINT."""
    from bot.services import build_services

    if settings.job_workers == 0:
        # One .env is often shared with the `briefbot run` that receives only; a worker
        # without workers would do nothing, so it takes the default instead.
        settings = settings.model_copy(update={"job_workers": None})
    services = build_services(settings)
    services.pictures.use_process()  # as `briefbot run`: a digest's map draws in a child
    application = build_application(settings, services, close_services=True)
    warm = getattr(services.llm, "warm_up", None)
    application.post_init = settled_after(lifecycle.worker_init, warm)
    asyncio.run(_until_signalled(application))


async def _until_signalled(application: Application) -> None:  # type: ignore[type-arg]
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    await serve(application, stop)


async def serve(
    application: Application,  # type: ignore[type-arg]
    stop: asyncio.Event,
    started: asyncio.Event | None = None,
) -> None:
    """Run the Application without receiving updates until `stop` is set; then stop it.

    `started` is set once it runs (its claim loop and job queue going).
    """
    async with application:  # initialize() … shutdown()
        if application.post_init:
            await application.post_init(application)
        await application.start()
        if started is not None:
            started.set()
        try:
            await stop.wait()
        finally:
            log.info("briefbot worker stopping: letting go of its jobs")
            await application.stop()
            if application.post_stop:
                await application.post_stop(application)
    if application.post_shutdown:
        await application.post_shutdown(application)
