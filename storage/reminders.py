"""Materialise reminder occurrences into the outbox: deadlines for the supervisors who must
act, follow-ups for their caseworker (and, when late, the supervisor), personal reminders.

Run periodically by the scheduler; every row has a unique key, so running it twice, or in
two processes, inserts each occurrence once. Times are calendar days in the bot's time zone,
sent at the policy's morning time, never in quiet hours.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from bot.settings import Settings
from knowledge.calendar import Rule, historical, occurrences
from knowledge.loader import Entry, KnowledgeBase
from knowledge.schema import Kind
from storage.models import (
    Deadline,
    FollowUp,
    FollowUpStatus,
    Household,
    PersonalReminder,
    Reminder,
    ReminderStatus,
    Role,
    User,
)
from storage.repo import reminders

CATCHUP_DAYS = 3  # after downtime, occurrences this old are still materialised (补发)


@dataclass(frozen=True)
class Policy:
    """When reminders go out (settings give the real values)."""

    tz: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Shanghai"))
    morning: dt.time = dt.time(8, 30)
    quiet_start: dt.time = dt.time(21, 0)
    quiet_end: dt.time = dt.time(7, 30)
    lead_days: tuple[int, ...] = (7, 1)  # before a deadline; the day itself is always sent
    escalate_after: int = 3  # days overdue before the supervisor hears of a follow-up
    ahead_days: int = 2  # how far ahead occurrences are written
    digest: dt.time = dt.time(8, 0)  # supervisors' daily digest

    @classmethod
    def from_settings(cls, s: Settings) -> Policy:
        """The policy the deployment configured (.env)."""
        return cls(tz=s.tz, morning=s.reminder_time, quiet_start=s.quiet_start,
                   quiet_end=s.quiet_end, lead_days=tuple(s.remind_days),
                   escalate_after=s.escalate_after_days, digest=s.digest_time)

    def quiet(self, moment: dt.datetime) -> bool:
        """True inside quiet hours (local time)."""
        t = moment.astimezone(self.tz).time()
        if self.quiet_start <= self.quiet_end:  # within one day, e.g. 12:00-14:00 (or none)
            return self.quiet_start <= t < self.quiet_end
        return t >= self.quiet_start or t < self.quiet_end  # across midnight: 21:00-07:30

    def out_of_quiet(self, moment: dt.datetime) -> dt.datetime:
        """The moment, or the end of the quiet hours it falls in."""
        if not self.quiet(moment):
            return moment
        local = moment.astimezone(self.tz)
        across = self.quiet_start > self.quiet_end and local.time() >= self.quiet_start
        day = local.date() + dt.timedelta(days=1 if across else 0)
        return dt.datetime.combine(day, self.quiet_end, self.tz).astimezone(dt.UTC)

    def at_morning(self, day: dt.date, at: dt.time | None = None) -> dt.datetime:
        """The morning of a calendar day (or another time), as aware UTC, outside quiet
        hours."""
        return self.out_of_quiet(dt.datetime.combine(day, at or self.morning, self.tz)
                                 .astimezone(dt.UTC))


def acting_level(entry: Entry) -> str:
    """Who must act on a document's duty: the level its schedule names (`acts`)."""
    assert entry.item.schedule is not None
    return entry.item.schedule.acts


@dataclass(frozen=True)
class Duty:
    """A deadline rule as reminders see it."""

    key: str  # kb:<item id> or db:<deadline id>
    title: str
    rule: Rule
    region_id: str  # where it applies
    level: str  # who acts
    remind_days: tuple[int, ...] | None = None  # an office's own lead days


def duties(*, session: Session, kb: KnowledgeBase, today: dt.date) -> list[Duty]:
    """Every deadline that can still be reminded: the documents' and the offices'."""
    found = []
    for e in kb.entries:
        if e.item.kind != Kind.DEADLINE or e.item.schedule is None:
            continue
        rule = Rule.from_schedule(e.item.schedule)
        if historical(rule, today):
            continue
        region = kb.regions.get(e.document.jurisdiction)
        found.append(Duty(f"kb:{e.id}", e.item.title, rule, region.id, acting_level(e)))
    for d in reminders.office_deadlines(session=session):
        rule = Rule.model_validate(d.rule)
        if not historical(rule, today):
            found.append(Duty(f"db:{d.id}", d.title, rule, d.region_id, d.level,
                              tuple(d.remind_days) if d.remind_days else None))
    return found


def recipients(duty: Duty, supervisors: list[User], kb: KnowledgeBase) -> list[User]:
    """The supervisors at the acting level inside the duty's region."""
    out = []
    for u in supervisors:
        home = u.home_region_id
        if not home or home not in kb.regions or not kb.regions.within(home, duty.region_id):
            continue
        if kb.regions.get(home).level == duty.level:
            out.append(u)
    return out


def _deadline_rows(duty: Duty, user: User, today: dt.date, policy: Policy,
                   done: set[tuple[str, str, str]]) -> list[dict[str, Any]]:
    lead = duty.remind_days or tuple(user.remind_days or policy.lead_days)
    steps = sorted({*lead, 0}, reverse=True)
    first, last = today - dt.timedelta(days=CATCHUP_DAYS), today + dt.timedelta(
        days=policy.ahead_days)
    region = user.home_region_id or duty.region_id
    rows = []
    for occ in occurrences(duty.rule, first, last + dt.timedelta(days=max(steps))):
        if (duty.key, region, occ.period) in done:
            continue
        for n in steps:
            day = occ.due - dt.timedelta(days=n)
            if first <= day <= last:
                rows.append({
                    "key": f"{duty.key}:{region}:{occ.period}:d{n}:{user.telegram_id}",
                    "user_id": user.telegram_id, "kind": "deadline", "subject": duty.key,
                    "period": occ.period, "step": f"d{n}", "due_at": policy.at_morning(day),
                    "payload": {"title": duty.title, "due": occ.due.isoformat(),
                                "region": region, "days": n}})
    return rows


def _followup_rows(item: FollowUp, supervisor: int | None, today: dt.date,
                   policy: Policy) -> list[dict[str, Any]]:
    base = f"followup:{item.id}:{item.due_on.isoformat()}"
    plan = [("due", item.owner_id, item.due_on),
            ("overdue", item.owner_id, item.due_on + dt.timedelta(days=1))]
    if supervisor is not None:
        plan.append(("escalation", supervisor,
                     item.due_on + dt.timedelta(days=policy.escalate_after)))
    first = today - dt.timedelta(days=CATCHUP_DAYS)
    return [{"key": f"{base}:{step}:{user}", "user_id": user,
             "kind": "escalation" if step == "escalation" else "followup",
             "subject": f"followup:{item.id}", "period": item.due_on.isoformat(), "step": step,
             "due_at": policy.at_morning(day), "payload": {"followup": item.id}}
            for step, user, day in plan
            if first <= day <= today + dt.timedelta(days=policy.ahead_days)]


def _digest_rows(supervisors: list[User], kb: KnowledgeBase, today: dt.date,
                 policy: Policy) -> list[dict[str, Any]]:
    """One digest per supervisor per local day: the key makes it once, and after downtime
    today's is sent late (（补发）); earlier days' are superseded (why_not)."""
    days = [today + dt.timedelta(days=n) for n in range(policy.ahead_days + 1)]
    return [{"key": f"digest:{day.isoformat()}:{u.telegram_id}", "user_id": u.telegram_id,
             "kind": "digest", "subject": "digest", "period": day.isoformat(), "step": "d0",
             "due_at": policy.at_morning(day, policy.digest), "payload": {}}
            for u in supervisors if u.role == Role.SUPERVISOR and u.home_region_id in kb.regions
            for day in days]


def materialise(*, session: Session, kb: KnowledgeBase, now: dt.datetime,
                policy: Policy) -> int:
    """Write the occurrences of the coming days (and catch up the last few); how many new."""
    today = now.astimezone(policy.tz).date()
    staff = {u.telegram_id: u for u in session.exec(
        select(User).where(col(User.active).is_(True), col(User.blocked_at).is_(None),
                           col(User.role) != Role.RESIDENT))}
    supervisors = [u for u in staff.values() if u.role in (Role.SUPERVISOR, Role.ADMIN)]
    rows: list[dict[str, Any]] = []
    all_duties = duties(session=session, kb=kb, today=today)
    done = reminders.done_periods(session=session, keys=[d.key for d in all_duties])
    for duty in all_duties:
        for user in recipients(duty, supervisors, kb):
            rows.extend(_deadline_rows(duty, user, today, policy, done))
    window = (today - dt.timedelta(days=policy.escalate_after + CATCHUP_DAYS),
              today + dt.timedelta(days=policy.ahead_days))
    items = session.exec(select(FollowUp).where(
        FollowUp.status == FollowUpStatus.OPEN, col(FollowUp.due_on) >= window[0],
        col(FollowUp.due_on) <= window[1]))
    for item in items:
        owner = staff.get(item.owner_id)
        if owner is not None:
            rows.extend(_followup_rows(item, owner.supervisor_id, today, policy))
    rows.extend(_digest_rows(supervisors, kb, today, policy))
    for p in reminders.personal_between(session=session, start=window[0], end=window[1]):
        if p.user_id in staff and p.due_on >= today - dt.timedelta(days=CATCHUP_DAYS):
            rows.append({"key": f"personal:{p.id}:{p.user_id}", "user_id": p.user_id,
                         "kind": "personal", "subject": f"personal:{p.id}", "period": "",
                         "step": "due", "due_at": policy.at_morning(p.due_on),
                         "payload": {"text": p.text}})
    for row in rows:
        row["status"], row["attempts"], row["created_at"] = ReminderStatus.PENDING, 0, now
    return sum(reminders.add_occurrences(session=session, rows=rows[i:i + 500])
               for i in range(0, len(rows), 500))


def why_not(*, session: Session, reminder: Reminder, now: dt.datetime,
            policy: Policy) -> str | None:
    """Why an occurrence due now is no longer worth sending, or None to send it."""
    user = session.get(User, reminder.user_id)
    if user is None or not user.active:
        return "user inactive"
    if user.blocked_at is not None:
        return "user blocked the bot"
    today = now.astimezone(policy.tz).date()
    if reminder.kind == "deadline":
        payload = reminder.payload
        done = reminders.done_periods(session=session, keys=[reminder.subject])
        if (reminder.subject, payload.get("region", ""), reminder.period) in done:
            return "done for this period"
        if reminder.subject.startswith("db:"):
            deadline = session.get(Deadline, int(reminder.subject[3:]))
            if deadline is None or deadline.ended_at is not None:
                return "deadline ended"
        if dt.date.fromisoformat(payload["due"]) < today - dt.timedelta(days=1):
            return "deadline passed"
    elif reminder.kind in ("followup", "escalation"):
        item = session.get(FollowUp, int(reminder.payload["followup"]))
        if item is None or item.status != FollowUpStatus.OPEN:
            return "follow-up closed"
        if item.due_on.isoformat() != reminder.period:
            return "follow-up moved to another date"
        if reminder.kind == "followup" and item.owner_id != reminder.user_id:
            return "follow-up reassigned"  # the new caseworker gets their own reminders
    elif reminder.kind == "digest":
        if user.role != Role.SUPERVISOR or not user.home_region_id:
            return "not a supervisor with a region"
        if reminder.period < today.isoformat():
            return "superseded by today's digest"
    elif reminder.kind == "personal":
        personal = session.get(PersonalReminder, int(reminder.subject.split(":")[1]))
        if personal is None or personal.cancelled_at is not None:
            return "cancelled"
    if reminders.later_step_due(session=session, reminder=reminder, now=now):
        return "a later reminder of it is due too"
    return None


def details(*, session: Session, reminder: Reminder, kb: KnowledgeBase,
            now: dt.datetime | None = None, policy: Policy | None = None) -> dict[str, Any]:
    """What the reminder's message needs besides its payload: the follow-up and its
    household, the caseworker's name for an escalation, a document item's citation, a
    supervisor's digest (computed now, so it says what is true when it is sent)."""
    out: dict[str, Any] = {}
    if reminder.kind == "digest" and now is not None and policy is not None:
        from storage.digest import digest  # it builds on this module (upcoming deadlines)

        user = session.get(User, reminder.user_id)
        home = user.home_region_id if user is not None else None
        if home is not None and home in kb.regions:
            out["digest"] = digest(session=session, kb=kb, region_id=home,
                                   now=now, today=now.astimezone(policy.tz).date())
    if reminder.kind in ("followup", "escalation"):
        item = session.get(FollowUp, int(reminder.payload["followup"]))
        out["followup"] = item
        out["household"] = session.get(Household, item.household_id) if item else None
        owner = session.get(User, item.owner_id) if item else None
        out["owner"] = owner.display_name if owner else ""
    if reminder.subject.startswith("kb:") and reminder.subject[3:] in kb.by_id:
        out["entry"] = kb.by_id[reminder.subject[3:]]
    if reminder.kind == "deadline" and reminder.payload.get("region") in kb.regions:
        out["region"] = kb.regions.get(reminder.payload["region"]).name
    return out


def nothing_to_send(reminder: Reminder, info: dict[str, Any]) -> str | None:
    """Why a reminder, once its content is computed, has nothing to say (None: send it)."""
    if reminder.kind != "digest":
        return None
    found = info.get("digest")
    if found is None:
        return "no region to report on"
    return "nothing to report" if found.empty else None


@dataclass(frozen=True)
class Upcoming:
    """A deadline occurrence as /deadlines shows it."""

    duty: Duty
    due: dt.date
    period: str
    status: str  # done, open, overdue


def for_region(duty: Duty, region_id: str, kb: KnowledgeBase) -> bool:
    """Does the duty concern someone whose home is region_id (its region, an ancestor's, or
    the county's towns for a town supervisor)?"""
    return kb.regions.within(region_id, duty.region_id) or kb.regions.within(duty.region_id,
                                                                             region_id)


def upcoming(*, session: Session, kb: KnowledgeBase, region_id: str, today: dt.date,
             days: int = 60) -> list[Upcoming]:
    """Deadlines for a region and its ancestors from a month ago to `days` ahead, with the
    status of each period (已完成 by this region, open, or overdue)."""
    found = [d for d in duties(session=session, kb=kb, today=today)
             if for_region(d, region_id, kb)]
    done = reminders.done_periods(session=session, keys=[d.key for d in found])
    out = []
    for d in found:
        for occ in occurrences(d.rule, today - dt.timedelta(days=31),
                               today + dt.timedelta(days=days)):
            status = "done" if (d.key, region_id, occ.period) in done else (
                "overdue" if occ.due < today else "open")
            if occ.due >= today or status == "overdue":
                out.append(Upcoming(d, occ.due, occ.period, status))
    return sorted(out, key=lambda u: (u.due, u.duty.title))


def historical_items(kb: KnowledgeBase, region_id: str, today: dt.date) -> list[Entry]:
    """One-off deadlines of earlier years' documents for the region and its ancestors."""
    lineage = set(kb.regions.lineage(region_id))
    return [e for e in kb.entries if e.item.kind == Kind.DEADLINE and e.item.schedule
            and e.document.jurisdiction in lineage
            and historical(Rule.from_schedule(e.item.schedule), today)]


ALIVE = dt.timedelta(minutes=2)  # a process without a heartbeat this long is gone
STALLED = dt.timedelta(minutes=2)  # a leader that has not swept this long is stuck


def health(*, session: Session, now: dt.datetime) -> dict[str, Any]:
    """What operators need to see: which process schedules, when it last swept, the due
    backlog and recent failures; `ok` is False when nobody leads or the sweeper stalled."""
    alive = reminders.processes(session=session, since=now - ALIVE)
    leader = next((p for p in alive if p.is_leader), None)
    stalled = leader is not None and (leader.last_sweep_at is None
                                      or now - leader.last_sweep_at > STALLED)
    counts = reminders.backlog(session=session, now=now)
    return {
        "ok": leader is not None and not stalled,
        "scheduler": leader.id if leader else None,
        "last_sweep": leader.last_sweep_at.isoformat() if leader and leader.last_sweep_at
        else None,
        "stalled": stalled,
        "processes": [{"id": p.id, "leader": p.is_leader, "heartbeat": p.heartbeat_at.isoformat()}
                      for p in alive],
        **counts,
    }
