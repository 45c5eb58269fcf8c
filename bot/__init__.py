"""Bangfu's composition root and process (see bot/app.py)."""

import gc
import os

# Opt in to PTB's future behaviour now: durations such as RetryAfter.retry_after are
# datetime.timedelta (v22.2 warns on every access otherwise).
os.environ.setdefault("PTB_TIMEDELTA", "1")

# Start-up makes over a million objects that live as long as the process (modules, classes,
# settings, the Application), and the collector's default thresholds walk them again and
# again while it does: ~0.1 s of a 1.2 s restart. Until `startup_finished`, a collection
# waits for 500,000 new objects instead of 700; a process that never gets there (a command
# line tool, a test) still collects, only less often.
_THRESHOLDS = gc.get_threshold()
gc.set_threshold(500_000, 100, 100)
_started = False


def startup_finished() -> None:
    """Freeze what start-up made out of later collections and restore the thresholds (once
    per process; bot.app.build_application calls it)."""
    global _started
    if not _started:
        _started = True
        gc.freeze()
        gc.set_threshold(*_THRESHOLDS)
