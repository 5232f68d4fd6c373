"""The clock of the background work: due meeting reconciles (often) and reminders (each minute).

Runs beside `run_worker`; it only queues tasks, the worker runs them. Safe to run more than
one: every step claims its rows before queueing.
"""

import logging
import signal
import time
from argparse import ArgumentParser
from types import FrameType

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from bookings.reminders import reminders_send
from meetings.sweep import sweep

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Queue due meeting reconciles and reminder e-mails, forever (Ctrl-C stops)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--interval", type=float, default=2.0, help="seconds between sweeps")
        parser.add_argument("--reminder-interval", type=float, default=60.0)
        parser.add_argument("--once", action="store_true", help="one round, then exit")

    def handle(
        self,
        *args: object,
        interval: float,
        reminder_interval: float,
        once: bool,
        **options: object,
    ) -> None:
        running = True

        def stop(signum: int, frame: FrameType | None) -> None:
            nonlocal running
            running = False

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        last_reminders = 0.0
        while running:
            close_old_connections()
            try:
                queued = sweep()
                if queued:
                    logger.info("scheduler queued %s meeting reconciles", queued)
                if time.monotonic() - last_reminders >= reminder_interval:
                    reminded = reminders_send()
                    last_reminders = time.monotonic()
                    if reminded:
                        logger.info("scheduler queued %s reminders", reminded)
            except Exception:  # keep the clock running; the error is logged with its traceback
                logger.exception("scheduler round failed")
            if once:
                break
            time.sleep(interval)
