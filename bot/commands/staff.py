"""`bangfu invite`, `bangfu users [--region R] [--json]`, `bangfu users deactivate TG_ID`."""

from __future__ import annotations

import argparse
import json
import sys

from bot.commands import CommandFailed, add_demo_flag, open_services, region_of
from bot.services import Services
from bot.settings import Settings
from storage.models import Role
from storage.repo import staff

INVITE_ROLES = {"caseworker": Role.CASEWORKER, "supervisor": Role.SUPERVISOR,
                "admin": Role.ADMIN}


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `invite` and `users`."""
    invite = sub.add_parser("invite", help="生成一次性邀请码 create a one-time invite")
    invite.add_argument("--role", required=True, choices=sorted(INVITE_ROLES))
    invite.add_argument("--region", required=True, help="如 清河区/张相镇 或 斗门区")
    invite.add_argument("--name", required=True, help="被邀请人姓名")
    invite.add_argument("--supervisor", type=int, help="主管领导的 Telegram ID")
    invite.add_argument("--days", type=int, default=7, help="有效天数（默认7）")
    add_demo_flag(invite)
    invite.set_defaults(func=invite_command)
    users = sub.add_parser("users", help="列出或停用工作人员 list or deactivate staff")
    users.add_argument("action", nargs="?", choices=["deactivate"])
    users.add_argument("telegram_id", nargs="?", type=int)
    users.add_argument("--region", help="只列出这个地区及下级")
    users.add_argument("--json", action="store_true")
    add_demo_flag(users)
    users.set_defaults(func=users_command)


def _home(svc: Services, region_id: str | None) -> str:
    """The region id if the tree knows it, else "" (a region removed from regions.yaml)."""
    return region_id if region_id and region_id in svc.kb.regions else ""


def invite_command(args: argparse.Namespace, settings: Settings) -> int:
    """Print a one-time code and its deep link."""
    svc = open_services(args, settings)
    region = region_of(svc, args.region)
    if not 1 <= args.days <= 90:
        raise CommandFailed("--days 应在 1 到 90 之间 / must be 1-90", code=2)
    with svc.transaction() as session:
        invite = staff.create_invite(session=session, role=INVITE_ROLES[args.role],
                                     region_id=region, display_name=args.name.strip()[:40],
                                     supervisor_id=args.supervisor, by="cli",
                                     now=svc.clock.now(), days=args.days)
    username = settings.bot_username or "<机器人用户名 bot username>"
    local = invite.expires_at.astimezone(settings.tz)
    print(f"邀请码 code: {invite.code}")
    print(f"链接 link: https://t.me/{username}?start={invite.code}")
    print(f"或在机器人里发送 or send: /start {invite.code}")
    print(f"{svc.kb.regions.get(region).name} · {args.name} · 有效期至 valid until "
          f"{local:%Y-%m-%d %H:%M}（一次有效 single use）")
    return 0


def users_command(args: argparse.Namespace, settings: Settings) -> int:
    """List staff (optionally below a region), or deactivate one at once."""
    svc = open_services(args, settings)
    if args.action == "deactivate":
        if args.telegram_id is None:
            raise CommandFailed("用法 usage: bangfu users deactivate TG_ID", code=2)
        with svc.transaction() as session:
            user = staff.deactivate(session=session, telegram_id=args.telegram_id, by="cli",
                                    now=svc.clock.now())
        if user is None:
            raise CommandFailed(f"没有这个用户 no such user: {args.telegram_id}")
        print(f"已停用 deactivated: {user.display_name or user.telegram_id}（立即生效）")
        return 0
    with svc.db() as session:
        people = staff.staff(session=session)
    if args.region:
        within = region_of(svc, args.region)
        people = [u for u in people if _home(svc, u.home_region_id)
                  and svc.kb.regions.within(_home(svc, u.home_region_id), within)]
    rows = [{"telegram_id": u.telegram_id, "name": u.display_name, "role": u.role.value,
             "region": svc.kb.regions.get(_home(svc, u.home_region_id)).name
             if _home(svc, u.home_region_id) else u.home_region_id,
             "supervisor": u.supervisor_id, "active": u.active} for u in people]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print("还没有登记的工作人员 / no staff yet")
        return 0
    print(f"{'Telegram ID':>14}  {'姓名':<8} {'角色':<10} {'地区':<10} {'主管':>12}  状态")
    for r in rows:
        print(f"{r['telegram_id']:>14}  {r['name'] or '':<8} {r['role']:<10} "
              f"{r['region'] or '':<10} {r['supervisor'] or '':>12}  "
              f"{'在用' if r['active'] else '已停用'}", file=sys.stdout)
    return 0
