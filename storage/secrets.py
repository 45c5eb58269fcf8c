"""The key of the keyed hash of ID numbers: from settings, or generated once into the data
directory (readable by the bot's user only)."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from bot.settings import Settings

KEY_FILE = "id-hash.key"


def id_hash_key(settings: Settings) -> bytes:
    """ID_HASH_SECRET, or the generated key in DATA_DIR/id-hash.key (created on first use)."""
    if settings.id_hash_secret is not None and settings.id_hash_secret.get_secret_value():
        return settings.id_hash_secret.get_secret_value().encode()
    path = Path(settings.data_dir) / KEY_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text(encoding="ascii").strip().encode()


def id_hash(key: bytes, id_number: str) -> str:
    """HMAC-SHA256 of a normalised ID number (upper-case X), hex."""
    return hmac.new(key, id_number.strip().upper().encode(), hashlib.sha256).hexdigest()
