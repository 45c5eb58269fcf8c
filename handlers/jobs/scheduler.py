"""The reminder scheduler: one periodic job in every process; the process holding the
leader lock materialises occurrences into the outbox and sweeps what is due, in key order,
in bounded batches. Delivery is at least once: an occurrence is committed as SENDING before
the send and as SENT right after it, so only a crash between Telegram's answer and that
commit can repeat a message (README: "Reminders").
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import secrets
import socket
from dataclasses import dataclass, field

from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import Application, ContextTypes

from bot.services import Services, services
from handlers.jobs.throttle import Throttle
from handlers.ui.reminders import render_reminder
from storage.locks import LeaderLock
from storage.models import Reminder, ReminderStatus
from storage.reminders import Policy, details, materialise, nothing_to_send, why_not
from storage.repo import reminders

log = logging.getLogger(__name__)
TICK_SECONDS = 10  # a follower takes over within a few ticks of the leader dying
MATERIALISE_EVERY = dt.timedelta(minutes=5)
# Occurrences claimed per round; a sweep runs rounds until none are due. A round must hold
# more than ~30 chats (one message a second each) to keep 30 msg/s when a user has several
# reminders in a row (benchmarks/reminders.py: 100 gave 25 msg/s with 4 per user).
BATCH = 300
MAX_ATTEMPTS = 8
LATE = dt.timedelta(minutes=15)  # sent later than this after its time: marked （补发）
SCHEDULER_KEY = "bangfu.scheduler"


@dataclass
class Scheduler:
    """This process's part: whether it leads, and when it last materialised."""

    lock: LeaderLock
    policy: Policy
    process: str = field(default_factory=lambda: f"{socket.gethostname()}:{os.getpid()}:"
                         f"{secrets.token_hex(3)}")
    throttle: Throttle = field(default_factory=Throttle)
    last_materialised: dt.datetime | None = None
    leading: bool = False


def scheduler(app: Application) -> Scheduler:
    """This Application's scheduler state."""
    found = app.bot_data[SCHEDULER_KEY]
    assert isinstance(found, Scheduler)
    return found


def _backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(seconds=min(3600, 15 * 2 ** attempts))


async def _deliver(app: Application, svc: Services, sched: Scheduler, r: Reminder) -> None:
    """Send one claimed occurrence and record the outcome (a 429 pauses the throttle: every
    later send of the round waits retry_after, and this one is retried after it)."""
    now = svc.clock.now()
    assert r.id is not None
    with svc.transaction() as session:
        reason = why_not(session=session, reminder=r, now=now, policy=sched.policy)
        if reason is not None:
            reminders.finish(session=session, reminder_id=r.id, status=ReminderStatus.SKIPPED,
                             now=now, error=reason)
            return
        info = details(session=session, reminder=r, kb=svc.kb, now=now, policy=sched.policy)
        reason = nothing_to_send(r, info)  # a digest with nothing in it is not sent
        if reason is not None:
            reminders.finish(session=session, reminder_id=r.id, status=ReminderStatus.SKIPPED,
                             now=now, error=reason)
            return
        text, markup = render_reminder(r, info, late=now - r.due_at > LATE, tz=svc.settings.tz)
    await sched.throttle.wait(r.user_id)
    try:
        sent = await app.bot.send_message(r.user_id, text, reply_markup=markup)
    except RetryAfter as exc:
        wait = exc.retry_after if isinstance(exc.retry_after, dt.timedelta) else \
            dt.timedelta(seconds=float(exc.retry_after))
        sched.throttle.pause(wait.total_seconds())
        with svc.transaction() as session:
            reminders.retry_later(session=session, reminder_id=r.id, at=now + wait,
                                  error=f"429 retry after {wait.total_seconds():g}s",
                                  max_attempts=MAX_ATTEMPTS * 4)
        return
    except Forbidden as exc:
        with svc.transaction() as session:
            reminders.finish(session=session, reminder_id=r.id, status=ReminderStatus.BLOCKED,
                             now=now, error=str(exc))
            reminders.block_user(session=session, user_id=r.user_id, now=now)
        return
    except BadRequest as exc:  # the message itself is wrong: retrying would not help
        with svc.transaction() as session:
            reminders.finish(session=session, reminder_id=r.id, now=now,
                             status=ReminderStatus.FAILED, error=str(exc))
        return
    except (TimedOut, NetworkError) as exc:  # BadRequest is a NetworkError too: caught above
        with svc.transaction() as session:
            reminders.retry_later(session=session, reminder_id=r.id,
                                  at=now + _backoff(r.attempts), error=str(exc) or "network",
                                  max_attempts=MAX_ATTEMPTS)
        return
    with svc.transaction() as session:  # the send window closes here
        reminders.finish(session=session, reminder_id=r.id, status=ReminderStatus.SENT,
                         now=svc.clock.now(), message_id=sent.message_id)


async def sweep(app: Application) -> int:
    """Send everything due and unsent (outside quiet hours); how many were claimed.

    Claimed occurrences go out in key order, except that a chat still inside its one-second
    gap does not hold up the others (a chat's own stay in key order); when every claimed one
    waits for its chat, the next batch is claimed rather than the bot sitting idle."""
    svc, sched = services(app), scheduler(app)
    claimed_total, waiting, more = 0, list[Reminder](), True
    while not sched.policy.quiet(svc.clock.now()):
        pick = _soonest(waiting, sched.throttle)
        if more and len(waiting) < 2 * BATCH and (
                pick is None or sched.throttle.chat_ready_in(waiting[pick].user_id) > 0):
            with svc.transaction() as session:
                reminders.release_stale(session=session, now=svc.clock.now())
                batch = reminders.claim_due(session=session, now=svc.clock.now(),
                                            worker=sched.process, limit=BATCH)
            claimed_total, more = claimed_total + len(batch), len(batch) == BATCH
            waiting.extend(batch)
            pick = _soonest(waiting, sched.throttle)
        if pick is None:
            break
        if not sched.lock.still_held():  # another process leads now and takes these back
            sched.leading = False
            break
        await _deliver(app, svc, sched, waiting.pop(pick))
    return claimed_total


def _soonest(waiting: list[Reminder], throttle: Throttle) -> int | None:
    """The first claimed occurrence (in key order) whose chat can be written to soonest."""
    if not waiting:
        return None
    return min(range(len(waiting)), key=lambda i: throttle.chat_ready_in(waiting[i].user_id))


async def tick(app: Application) -> None:
    """One beat: lead if nobody does; the leader materialises now and then and sweeps."""
    svc, sched = services(app), scheduler(app)
    now = svc.clock.now()
    was_leading = sched.leading
    sched.leading = sched.lock.try_acquire()
    if sched.leading and not was_leading:
        with svc.transaction() as session:
            taken = reminders.release_others(session=session, worker=sched.process)
        log.info("this process (%s) is now the reminder scheduler%s", sched.process,
                 f"; {taken} occurrences left mid-send by another process are due again"
                 if taken else "")
    materialised = False
    if sched.leading and (sched.last_materialised is None
                          or now - sched.last_materialised >= MATERIALISE_EVERY):
        with svc.transaction() as session:
            added = materialise(session=session, kb=svc.kb, now=now, policy=sched.policy)
        sched.last_materialised, materialised = now, True
        if added:
            log.info("materialised %d reminder occurrences", added)
    if sched.leading:
        await sweep(app)
    with svc.transaction() as session:
        reminders.heartbeat(session=session, process=sched.process, leader=sched.leading,
                            now=svc.clock.now(), swept=sched.leading, materialized=materialised)


async def _job(context: ContextTypes.DEFAULT_TYPE) -> None:
    try:
        await tick(context.application)
    except Exception:
        log.exception("reminder tick failed; the next one retries")


async def stop(app: Application) -> None:
    """Stop leading when the Application stops (the builder's post_stop)."""
    if SCHEDULER_KEY in app.bot_data:
        scheduler(app).lock.release()


def register(app: Application) -> None:
    """Install the scheduler's job (it runs once the Application is started)."""
    svc = services(app)
    app.bot_data[SCHEDULER_KEY] = Scheduler(LeaderLock(svc.engine),
                                            Policy.from_settings(svc.settings))
    if app.job_queue is not None:
        app.job_queue.run_repeating(_job, interval=TICK_SECONDS, first=1, name="reminders",
                                    job_kwargs={"misfire_grace_time": None, "coalesce": True,
                                                "max_instances": 1})
