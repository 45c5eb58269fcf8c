"""/export: the ledger (台账.xlsx) of the user's scope, sent as a document: a supervisor's
region and below, a caseworker's own households. `bangfu export` writes the same file."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from telegram import Update
from telegram.ext import Application, CommandHandler, ContextTypes

from bot.services import Services, services
from handlers.access import actor, allowed, permitted, staff_user
from handlers.common import today
from handlers.ui.render import render
from storage import ledger
from storage.access import Action, Target
from storage.models import Role, User
from storage.repo import audit
from storage.repo.audit import Ref

if TYPE_CHECKING:
    from handlers.ui.ledger import Written

TELEGRAM_FILE_LIMIT = 50 * 1024 * 1024  # what a bot may upload with sendDocument


def write_file(svc: Services, scope: ledger.Scope, out: Path, *, phones: bool,
               period: ledger.Period = ledger.ALL_TIME) -> Written:
    """Stream the scope's ledger into `out` (one session; each sheet's query in turn)."""
    # openpyxl (and the numpy it probes for) costs ~0.2 s to import: only when exporting
    from handlers.ui.ledger import LedgerRows, write_ledger

    with svc.db() as session:
        rows = LedgerRows(
            households=lambda: ledger.households(session=session, scope=scope),
            visits=lambda: ledger.visits(session=session, scope=scope, period=period),
            followups=lambda: ledger.followups(session=session, scope=scope, period=period),
            gaps=lambda: ledger.gaps(session=session, scope=scope))
        return write_ledger(out, rows, kb=svc.kb, phones=phones, tz=svc.settings.tz)


def _scope(svc: Services, user: User) -> tuple[Action, Target, ledger.Scope, str, Ref]:
    """What the user may export: the action the rules decide, its scope, the name in the
    file name, and the audit object (a region id, as `bangfu export` records, or the
    caseworker: names are neither unique nor searchable)."""
    home = actor(svc, user, user.telegram_id).home_path or ""
    name = (svc.kb.regions.get(user.home_region_id).name
            if user.home_region_id and user.home_region_id in svc.kb.regions else "全部")
    if user.role == Role.CASEWORKER:
        return (Action.EXPORT_OWN, Target(home, user.telegram_id),
                ledger.Scope(caseworker_id=user.telegram_id), user.display_name or name,
                Ref("ledger", f"caseworker:{user.telegram_id}"))
    return (Action.VIEW_TEAM, Target(home), ledger.Scope(path=home), name,
            Ref("ledger", user.home_region_id or "-"))


async def export(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/export: 正在生成… then the file, and the message edited to say what it holds."""
    user = await staff_user(update, context, "export")
    if user is None:
        return
    svc = services(context)
    action, target, scope, name, ref = _scope(svc, user)
    if not await permitted(update, context, user, action, target, ref):
        return
    assert update.effective_message
    progress = await update.effective_message.reply_text(render("export_progress"))
    phones = allowed(svc, user, Action.SEE_PHONE, target)
    filename = f"台账-{name}-{today(svc):%Y%m%d}.xlsx"
    with tempfile.TemporaryDirectory(prefix="bangfu-export-") as folder:
        path = Path(folder) / "ledger.xlsx"
        # data -> bytes off the event loop: other chats are served meanwhile
        written = await asyncio.to_thread(write_file, svc, scope, path, phones=phones)
        size = path.stat().st_size
        with svc.transaction() as session:  # who took personal data out, and how much
            audit.record(session=session, actor=user.telegram_id, action="ledger.export",
                         target=ref, after={**written.rows, "phones": phones},
                         at=svc.clock.now())
        if size > TELEGRAM_FILE_LIMIT:
            await progress.edit_text(render("export_done", rows=written.rows, too_big=True,
                                            megabytes=round(size / 2**20)))
            return
        with path.open("rb") as handle:
            await update.effective_message.reply_document(handle, filename=filename)
    await progress.edit_text(render("export_done", rows=written.rows, too_big=False,
                                    megabytes=0))


def register(app: Application) -> None:
    """Install /export."""
    app.add_handler(CommandHandler("export", export))
