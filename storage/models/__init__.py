"""SQLModel tables, one module per subject; importing this package registers them all."""

from storage.models.audit import AuditEvent
from storage.models.base import UTCDateTime, utcnow
from storage.models.events import QueryEvent, QueryEventKind
from storage.models.state import ConversationState, UserState
from storage.models.users import Role, User

__all__ = ["AuditEvent", "ConversationState", "QueryEvent", "QueryEventKind", "Role",
           "UTCDateTime", "User", "UserState", "utcnow"]
