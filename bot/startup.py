"""Start-up failures told to the deploying IT staff in one paragraph, never as a traceback."""

from __future__ import annotations

from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from bot.settings import Settings
from knowledge.loader import KnowledgeError

STARTUP_ERRORS = (KnowledgeError, SQLAlchemyError)  # what a broken .env or YAML raises


def startup_problem(settings: Settings, exc: Exception) -> str:
    """What went wrong and where to look: the knowledge base, or which database (no password)."""
    if isinstance(exc, KnowledgeError):
        return f"知识库加载失败 / knowledge base failed to load:\n{exc}"
    where = make_url(settings.database_url).render_as_string(hide_password=True)
    if isinstance(exc, DBAPIError):
        return (f"无法打开数据库 {where}，请检查 .env 中的 DATABASE_URL 和数据库服务 / "
                f"cannot open the database:\n{exc.__class__.__name__}: {exc.orig or exc}")
    return f"数据库错误 / database error ({where}): {exc.__class__.__name__}: {exc}"
