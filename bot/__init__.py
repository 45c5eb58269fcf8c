"""Bangfu's composition root and process (see bot/app.py)."""

import os

# Opt in to PTB's future behaviour now: durations such as RetryAfter.retry_after are
# datetime.timedelta (v22.2 warns on every access otherwise).
os.environ.setdefault("PTB_TIMEDELTA", "1")
