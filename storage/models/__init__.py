"""SQLModel tables, one module per subject; importing this package registers them all."""

from storage.models.audit import AuditEvent
from storage.models.base import UTCDateTime, utcnow
from storage.models.casework import FollowUp, FollowUpStatus, Visit, VisitDraft
from storage.models.events import QueryEvent, QueryEventKind
from storage.models.households import (
    Gap,
    Household,
    HouseholdStatus,
    Member,
    Received,
    Village,
)
from storage.models.reminders import (
    Deadline,
    DeadlineDone,
    PersonalReminder,
    Reminder,
    ReminderStatus,
    SchedulerProcess,
)
from storage.models.state import AskedQuestion, ConversationState, UserState
from storage.models.users import STAFF, Invite, Role, User

__all__ = [
    "STAFF",
    "AskedQuestion",
    "AuditEvent",
    "ConversationState",
    "Deadline",
    "DeadlineDone",
    "FollowUp",
    "FollowUpStatus",
    "Gap",
    "Household",
    "HouseholdStatus",
    "Invite",
    "Member",
    "PersonalReminder",
    "QueryEvent",
    "QueryEventKind",
    "Received",
    "Reminder",
    "ReminderStatus",
    "Role",
    "SchedulerProcess",
    "UTCDateTime",
    "User",
    "UserState",
    "Village",
    "Visit",
    "VisitDraft",
    "utcnow",
]
