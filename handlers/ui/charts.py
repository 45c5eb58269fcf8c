"""The /report chart: visits per week by caseworker and overdue follow-ups by village, as PNG
bytes (matplotlib's Agg backend, headless). Pure data -> bytes: run it off the event loop.

Chinese labels use the Noto Sans CJK file that the cvttf-notosanscjk-regular wheel ships
(installed by `make setup`), registered with matplotlib by path: no system font is needed."""

from __future__ import annotations

import io
import threading
from functools import lru_cache
from zoneinfo import ZoneInfo

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, fontManager
from matplotlib.ticker import MaxNLocator

from storage.reports import Report

WIDTH_IN, HEIGHT_IN, DPI = 8.0, 9.0, 100  # 800 x 900 px: readable on a phone
VILLAGES = 10  # bars in the overdue chart
_lock = threading.Lock()  # matplotlib's font cache is not thread-safe


@lru_cache(maxsize=1)
def cjk_font() -> str:
    """Register the shipped CJK font with matplotlib; its family name."""
    import cvttf_NotoSansCJK_Regular as noto

    path = noto.get_TTF_path()
    fontManager.addfont(path)
    return str(FontProperties(fname=path).get_name())


def report_chart(r: Report, tz: ZoneInfo) -> bytes:
    """Two panels: visits per week by caseworker (lines), overdue follow-ups by village."""
    with _lock:
        family = cjk_font()
        fig = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI)
        fig.set_layout_engine("constrained")
        top, bottom = fig.subplots(2, 1, height_ratios=(3, 2))
        days = [w.astimezone(tz).date() for w in r.weeks]
        labels = [f"{d.month}/{d.day}" for d in days]
        for name, counts in zip(r.weekly_names, r.weekly, strict=True):
            top.plot(labels, counts, marker="o", label=name)
        top.set_title(f"{r.region} 每周走访次数（按帮扶干部）", fontfamily=family)
        top.set_xlabel("周（周一开始）", fontfamily=family)
        top.set_ylabel("走访次数", fontfamily=family)
        top.grid(alpha=0.3)
        top.yaxis.set_major_locator(MaxNLocator(integer=True))
        bottom.xaxis.set_major_locator(MaxNLocator(integer=True))
        if r.weekly_names:
            top.legend(prop={"family": family}, loc="upper left")
        else:
            top.text(0.5, 0.5, "这几周没有走访记录", ha="center", transform=top.transAxes,
                     fontfamily=family)
        worst = [v for v in r.villages if v.values[2]][:VILLAGES]
        bottom.barh([v.name for v in reversed(worst)], [v.values[2] for v in reversed(worst)],
                    color="#d9534f")
        bottom.set_title("逾期跟进事项（按村）", fontfamily=family)
        bottom.set_xlabel("逾期项数", fontfamily=family)
        for label in bottom.get_yticklabels():
            label.set_fontfamily(family)
        if not worst:
            bottom.text(0.5, 0.5, "没有逾期的跟进事项", ha="center",
                        transform=bottom.transAxes, fontfamily=family)
        out = io.BytesIO()
        fig.savefig(out, format="png")
        return out.getvalue()
