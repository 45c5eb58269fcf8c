"""Handlers of time: the reminder scheduler and, through its outbox, the daily digest."""
