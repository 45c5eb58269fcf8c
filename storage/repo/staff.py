"""Staff: invites, registration, the list of users, deactivation (all audited)."""

from __future__ import annotations

import datetime as dt
import secrets
from enum import StrEnum

from sqlalchemy import update
from sqlmodel import Session, col, select

from storage.models import Invite, Role, User, VisitDraft
from storage.repo.audit import Actor, Ref, record

CODE_BYTES = 9  # 12 URL-safe characters: fits /start's 64-character parameter


class Redeemed(StrEnum):
    """What `/start <code>` found."""

    OK = "ok"
    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"


def create_invite(*, session: Session, role: Role, region_id: str, display_name: str,
                  supervisor_id: int | None, by: Actor, now: dt.datetime,
                  days: int = 7) -> Invite:
    """A one-time code valid for `days`."""
    invite = Invite(code=secrets.token_urlsafe(CODE_BYTES), role=role, region_id=region_id,
                    display_name=display_name, supervisor_id=supervisor_id,
                    created_by=f"tg:{by}" if isinstance(by, int) else by, created_at=now,
                    expires_at=now + dt.timedelta(days=days))
    session.add(invite)
    session.flush()
    record(session=session, actor=by, action="invite.create", target=Ref("invite", invite.code),
           after={"role": role.value, "region": region_id, "name": display_name,
                  "supervisor": supervisor_id, "expires": invite.expires_at.isoformat()})
    return invite


def redeem(*, session: Session, code: str, telegram_id: int,
           now: dt.datetime) -> tuple[Redeemed, User | None]:
    """Use an invite once: the user gets its role, name, home region and supervisor.
    The claim is one conditional UPDATE, so two taps (or two users) cannot both use it."""
    invite = session.get(Invite, code)
    if invite is None:
        return Redeemed.UNKNOWN, None
    if invite.used_by is not None:
        return Redeemed.USED, None
    if invite.expires_at <= now:
        return Redeemed.EXPIRED, None
    claimed = session.execute(
        update(Invite).where(col(Invite.code) == code, col(Invite.used_by).is_(None))
        .values(used_by=telegram_id, used_at=now))
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return Redeemed.USED, None
    user = session.get(User, telegram_id) or User(telegram_id=telegram_id)
    before = _public(user)
    user.role, user.display_name = invite.role, invite.display_name
    user.home_region_id, user.supervisor_id = invite.region_id, invite.supervisor_id
    user.active, user.updated_at = True, now
    session.add(user)
    session.flush()
    record(session=session, actor=telegram_id, action="user.register",
           target=Ref("user", str(telegram_id)), before=before, after=_public(user), at=now)
    return Redeemed.OK, user


def _public(user: User) -> dict[str, object]:
    return {"role": user.role.value if user.role else None, "name": user.display_name,
            "home_region": user.home_region_id, "supervisor": user.supervisor_id,
            "active": user.active}


def staff(*, session: Session) -> list[User]:
    """Every registered (non-resident) user, by home region and name."""
    stmt = select(User).where(col(User.role) != Role.RESIDENT).order_by(
        col(User.home_region_id), col(User.display_name))
    return list(session.exec(stmt).all())


def team(*, session: Session, supervisor_id: int) -> list[User]:
    """The active users whose supervisor this is."""
    stmt = select(User).where(User.supervisor_id == supervisor_id, col(User.active).is_(True))
    return list(session.exec(stmt.order_by(col(User.display_name))).all())


def caseworker_named(*, session: Session, name: str, region_ids: list[str]) -> User | None:
    """The active caseworker of that display name whose home region is one of these."""
    stmt = select(User).where(User.display_name == name, col(User.active).is_(True),
                              User.role == Role.CASEWORKER,
                              col(User.home_region_id).in_(region_ids))
    return session.exec(stmt).first()


def deactivate(*, session: Session, telegram_id: int, by: Actor, now: dt.datetime) -> User | None:
    """End a user's access at once: inactive, and any half-filled visit form dropped."""
    user = session.get(User, telegram_id)
    if user is None:
        return None
    before = _public(user)
    user.active, user.updated_at = False, now
    session.add(user)
    draft = session.get(VisitDraft, telegram_id)
    if draft is not None:
        session.delete(draft)
    session.flush()
    record(session=session, actor=by, action="user.deactivate",
           target=Ref("user", str(telegram_id)), before=before, after=_public(user), at=now)
    return user


def caseworkers_in(*, session: Session, region_ids: list[str]) -> list[User]:
    """The active caseworkers whose home region is one of these, by name."""
    stmt = select(User).where(User.role == Role.CASEWORKER, col(User.active).is_(True),
                              col(User.home_region_id).in_(region_ids))
    return list(session.exec(stmt.order_by(col(User.display_name), col(User.telegram_id))))
