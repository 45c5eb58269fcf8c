"""One typed Settings object, read from the environment and `.env`."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PROXY_SCHEMES = ("http", "https", "socks5", "socks5h")


class Settings(BaseSettings):
    """Every setting the bot reads; `.env.example` documents each one."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", env_prefix=""
    )

    telegram_bot_token: SecretStr | None = None
    telegram_api_url: str | None = None  # another Bot API server, e.g. the e2e emulator
    bot_username: str | None = None  # for the invite links `bangfu invite` prints
    # http://, https:// or socks5:// proxy for every request to the Bot API (polling, webhook
    # registration, replies): Telegram is blocked in mainland China
    telegram_proxy: str | None = None
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = Field(default=8443, ge=1, le=65535)
    database_url: str = "sqlite:///bangfu.db"
    seeds_dir: Path = PROJECT_ROOT.parent / "shared" / "seeds"
    data_dir: Path = Path("data")  # generated secrets, the demo database, backups
    # Key of the HMAC that recognises a person's ID number without storing it; generated
    # into data_dir/id-hash.key on first use when unset. Changing it breaks re-imports.
    id_hash_secret: SecretStr | None = None
    timezone: str = "Asia/Shanghai"
    # Reminders (Asia/Shanghai): morning send time, quiet hours, days before a deadline, days
    # overdue before a follow-up is escalated to the supervisor.
    reminder_time: dt.time = dt.time(8, 30)
    quiet_start: dt.time = dt.time(21, 0)
    quiet_end: dt.time = dt.time(7, 30)
    remind_days: list[int] = Field(default_factory=lambda: [7, 1])
    escalate_after_days: int = Field(default=3, ge=1, le=60)
    digest_time: dt.time = dt.time(8, 0)
    poll_interval: float = Field(default=0.0, ge=0.0)
    log_level: str = "INFO"

    @field_validator("database_url")
    @classmethod
    def _supported_database(cls, value: str) -> str:
        """SQLite (embedded) or PostgreSQL (production, psycopg); anything else fails here,
        in one line, rather than as a driver traceback at start-up."""
        try:
            backend = make_url(value).get_backend_name()
        except ArgumentError as exc:
            raise ValueError("not a database URL, e.g. sqlite:///bangfu.db or "
                             "postgresql+psycopg://user:password@host/bangfu") from exc
        if backend not in ("sqlite", "postgresql"):
            raise ValueError(f"{backend} is not supported: use sqlite or postgresql")
        return value

    @field_validator("telegram_proxy")
    @classmethod
    def _proxy_url(cls, value: str | None) -> str | None:
        """http(s)://[user:password@]host:port or socks5(h)://...; empty means no proxy."""
        if not value:
            return None
        parts = urlsplit(value)
        try:
            port = parts.port
        except ValueError:
            port = None
        if parts.scheme not in PROXY_SCHEMES or not parts.hostname or port is None:
            raise ValueError("代理地址应写成 http://主机:端口、https://主机:端口 或 "
                             "socks5://主机:端口（需要账号时写成 socks5://用户名:密码@主机:端口）"
                             " / use http://host:port, https://host:port or socks5://host:port")
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _telegram_secret_charset(cls, value: SecretStr | None) -> SecretStr | None:
        """Telegram accepts 1-256 characters of A-Z, a-z, 0-9, _ and - as a secret token;
        an empty value (as in .env.example) means not set."""
        if value is not None and not value.get_secret_value():
            return None
        if value is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}",
                                                  value.get_secret_value()):
            raise ValueError("Telegram allows 1-256 characters of A-Z, a-z, 0-9, _ and -")
        return value

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def token(self) -> str | None:
        return self.telegram_bot_token.get_secret_value() if self.telegram_bot_token else None

    def proxy_shown(self) -> str:
        """The proxy URL for messages, its password hidden."""
        parts = urlsplit(self.telegram_proxy or "")
        if parts.password:
            host = parts.netloc.rsplit("@", 1)[1]
            return parts._replace(netloc=f"{parts.username}:***@{host}").geturl()
        return self.telegram_proxy or ""
