"""`bangfu households erase 户编号 --yes`: remove a household's personal data on request."""

from __future__ import annotations

import argparse

from bot.commands import CommandFailed, add_demo_flag, open_services
from bot.settings import Settings
from storage.models import HouseholdStatus
from storage.repo import households


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `households erase`."""
    parser = sub.add_parser("households", help="帮扶户档案 household records")
    actions = parser.add_subparsers(dest="households_command", required=True)
    erase = actions.add_parser("erase", help="删除一户的个人信息（管理员）erase personal data")
    erase.add_argument("code", help="户编号")
    erase.add_argument("--yes", action="store_true", help="确认删除，不可恢复")
    add_demo_flag(erase)
    erase.set_defaults(func=erase_command)


def erase_command(args: argparse.Namespace, settings: Settings) -> int:
    """Names, phone, ID hashes, visit notes, photos and locations go; an anonymous trace stays.
    Run by the server's administrator (whoever can run this command is the admin)."""
    if not args.yes:
        raise CommandFailed("这会永久删除该户的姓名、电话、身份证散列、走访记录内容和照片，"
                            "不可恢复。确认请加 --yes / irreversible: add --yes", code=2)
    svc = open_services(args, settings)
    with svc.transaction() as session:
        household = households.by_code(session=session, code=args.code)
        if household is None or household.status == HouseholdStatus.ERASED:
            raise CommandFailed(f"没有这个户编号 no such household: {args.code}")
        households.erase(session=session, household=household, by="cli", now=svc.clock.now())
        anonymous = household.code
    print(f"已删除户 {args.code} 的个人信息；审计日志保留匿名记录 {anonymous}。")
    return 0
