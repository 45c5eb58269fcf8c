"""Buttons of the staff journeys: invites, household lists, the visit form, follow-ups.
Callback data stays far below Telegram's 64 bytes (ids, not names)."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton as Button
from telegram import InlineKeyboardMarkup as Markup

from handlers.ui.keyboards import paginate

BACK, CANCEL = "« 返回", "✖ 取消"
LABEL_MAX = 30  # a button label longer than this wraps badly on a phone


def _rows(buttons: Sequence[Button], width: int) -> list[list[Button]]:
    return [list(buttons[i:i + width]) for i in range(0, len(buttons), width)]


def _label(text: str) -> str:
    return text if len(text) <= LABEL_MAX else text[:LABEL_MAX - 1] + "…"


def invite_roles() -> Markup:
    """Whom to invite."""
    return Markup([[Button("帮扶干部", callback_data="iv:role:caseworker"),
                    Button("下级主管领导", callback_data="iv:role:supervisor")],
                   [Button(CANCEL, callback_data="iv:cancel")]])


def invite_regions(options: Sequence[tuple[str, str]]) -> Markup:
    """The regions the invite may be for."""
    buttons = [Button(name, callback_data=f"iv:reg:{rid}") for rid, name in options]
    return Markup([*_rows(buttons, 3), [Button(CANCEL, callback_data="iv:cancel")]])


def households(rows: Sequence[tuple[int, str]], prefix: str) -> Markup | None:
    """One button per household (id, label); `prefix` says what a tap does (hh: detail,
    vh: start a visit)."""
    if not rows:
        return None
    return Markup([[Button(_label(label), callback_data=f"{prefix}:{hid}")]
                   for hid, label in rows])


def household_actions(household_id: int, *, gaps: int, can_archive: bool,
                      editable: Sequence[tuple[int, str]] = (),
                      can_reassign: bool = False) -> Markup:
    """Under a household's page: log a visit, 应享未享, change a recent visit, reassign,
    archive."""
    rows = [[Button("📝 记录走访", callback_data=f"vh:{household_id}"),
             Button(f"💡 应享未享（{gaps}）", callback_data=f"hh:{household_id}:gaps")]]
    rows += [[Button(_label(f"✏️ 修改/删除 {label}"), callback_data=f"vv:{vid}")]
             for vid, label in editable]
    if can_reassign:
        rows.append([Button("🔁 转给其他干部", callback_data=f"ra:{household_id}")])
    if can_archive:
        rows.append([Button("📦 归档（迁出/结案）", callback_data=f"hh:{household_id}:archive")])
    return Markup(rows)


REASSIGN_PER_PAGE = 10  # 5 rows of 2: a county with a hundred caseworkers gets pages


def reassign_choices(household_id: int, people: Sequence[tuple[int, str]],
                     page: int = 0) -> Markup:
    """One button per caseworker who could take the household over (a page of them), then
    上一页/下一页 and 取消."""
    buttons = [Button(_label(name), callback_data=f"ra:{household_id}:{tid}")
               for tid, name in people]
    shown, nav = paginate(buttons, page, REASSIGN_PER_PAGE, f"ra:{household_id}:p:")
    return Markup([*_rows(shown, 2), *([nav] if nav else []),
                   [Button(CANCEL, callback_data=f"ra:{household_id}:x")]])


def reassign_confirm(household_id: int, caseworker_id: int) -> Markup:
    """转给 needs a second tap."""
    return Markup([[Button("确认转交", callback_data=f"ra:{household_id}:{caseworker_id}:yes"),
                    Button(CANCEL, callback_data=f"ra:{household_id}:x")]])


def archive_confirm(household_id: int) -> Markup:
    """归档 needs a second tap."""
    return Markup([[Button("确认归档", callback_data=f"hh:{household_id}:archive:yes"),
                    Button(CANCEL, callback_data=f"hh:{household_id}")]])


def gaps(items: Sequence[tuple[int, str]]) -> Markup | None:
    """已享受 buttons for open gaps (gap id, short title)."""
    if not items:
        return None
    return Markup([[Button(_label(f"✅ 已享受：{title}"), callback_data=f"gp:{gid}")]
                   for gid, title in items])


def visit_edit(visit_id: int) -> Markup:
    """Under a recent own visit: edit its notes or delete it."""
    return Markup([[Button("✏️ 修改记录", callback_data=f"vv:{visit_id}:edit"),
                    Button("🗑 删除", callback_data=f"vv:{visit_id}:delete")]])


def visit_delete_confirm(visit_id: int) -> Markup:
    """删除 needs a second tap."""
    return Markup([[Button("确认删除", callback_data=f"vv:{visit_id}:delete:yes"),
                    Button(CANCEL, callback_data=f"vv:{visit_id}:keep")]])


def form(options: Sequence[tuple[str, str]], *, selected: Sequence[str] = (),
         back: bool = True, width: int = 2) -> Markup:
    """A step of the visit form: its options, then 返回 and 取消."""
    buttons = [Button(("✅ " if value in selected else "") + _label(label),
                      callback_data=f"vf:{value}") for value, label in options]
    nav = ([Button(BACK, callback_data="vf:back")] if back else []) + [
        Button(CANCEL, callback_data="vf:cancel")]
    return Markup([*_rows(buttons, width), nav])


def resume(household_id: int) -> Markup:
    """A form is already open: continue it, or start over."""
    return Markup([[Button("继续填写", callback_data="vf:resume"),
                    Button("放弃，重新开始", callback_data=f"vf:restart:{household_id}")]])


def followup_list(items: Sequence[tuple[int, int]]) -> Markup | None:
    """Three buttons per open follow-up (id, its number in the list)."""
    if not items:
        return None
    return Markup([[Button(f"{n}. ✅ 完成", callback_data=f"fu:{fid}:done"),
                    Button(f"{n}. 📅 延期", callback_data=f"fu:{fid}:later"),
                    Button(f"{n}. ✖ 取消", callback_data=f"fu:{fid}:cancel")]
                   for fid, n in items])


def followup_note(item_id: int, action: str) -> Markup:
    """完成 / 取消 asks for a note; 跳过 closes without one."""
    return Markup([[Button("跳过，不写备注", callback_data=f"fu:{item_id}:{action}:skip")]])


def due_shortcuts(prefix: str, options: Sequence[tuple[str, str]]) -> Markup:
    """3天 / 1周 / 2周 / 1个月 / 月底."""
    return Markup(_rows([Button(label, callback_data=f"{prefix}:{key}")
                         for key, label in options], 5))


def close_open(items: Sequence[tuple[int, str]]) -> Markup | None:
    """After a visit: close the household's open follow-ups."""
    if not items:
        return None
    return Markup([[Button(_label(f"✅ 完成：{action}"), callback_data=f"fu:{fid}:done:skip")]
                   for fid, action in items])


def monthly_edit(key: str, name: str) -> Markup:
    """Under a section of the monthly draft."""
    return Markup([[Button(_label(f"✏️ 修改“{name}”"), callback_data=f"mo:edit:{key}")]])


def monthly_actions() -> Markup:
    """Under the monthly draft: export, or start again from the data."""
    return Markup([[Button("📄 导出 Word", callback_data="mo:word"),
                    Button("📋 导出文本", callback_data="mo:text")],
                   [Button("🔄 按最新数据重新生成（放弃修改）", callback_data="mo:regen")]])
