"""Encrypted SQLite files (event packs on laptops): SQLCipher 4 through the sqlcipher3 wheel.

Every page of the file (and of its WAL) is AES-256 encrypted with an HMAC; the first 16
bytes are the salt. The key is derived from the passphrase exactly as SQLCipher 4 does by
default (PBKDF2-HMAC-SHA512, 256,000 iterations, 32 bytes) — once per opened database, in
Python — and handed over as a raw key, so every pooled connection opens instantly and any
SQLCipher 4 tool (e.g. `sqlcipher` with `PRAGMA key='…'`) opens the file with the same
passphrase. Why SQLCipher and not an encrypted container: docs/event-pack.md (measured).

The dealership database itself stays a plain SQLite file: full-disk encryption of the
dealership PC is the operating system's job (docs/privacy.md).
"""

from __future__ import annotations

import hashlib
import math
import os
from collections import Counter
from pathlib import Path
from typing import Any

from desktop_app.domain.errors import DatabaseError, FileUnreadable

SALT_BYTES = 16
KDF_ITERATIONS = 256_000  # SQLCipher 4's default
PAGE_SIZE = 4096  # SQLCipher 4's default page size
MIN_PASSPHRASE = 8
SQLITE_HEADER = b"SQLite format 3\x00"
PASSPHRASE_ENV = "PADDOCK_PASSPHRASE"


def available() -> bool:
    try:
        import sqlcipher3  # noqa: F401
    except ImportError:
        return False
    return True


def dbapi() -> Any:
    """The sqlcipher3 DB-API module (a pysqlite fork: same API as sqlite3)."""
    try:
        import sqlcipher3.dbapi2 as module
    except ImportError:
        raise DatabaseError(code="sqlcipher_missing") from None
    return module


def random_head(path: Path) -> bool:
    """The file starts like SQLCipher: not plain SQLite, and its first page looks random
    (a zip, a PDF or text does not). Says nothing about the file's length."""
    try:
        with path.open("rb") as fh:
            head = fh.read(PAGE_SIZE)
    except OSError:
        return False
    if len(head) < 512 or head.startswith(SQLITE_HEADER):
        return False
    counts = Counter(head)
    entropy = -sum(n / len(head) * math.log2(n / len(head)) for n in counts.values())
    return entropy > 7.0  # random bytes: ~7.9 bits per byte; text and zips far less


def looks_encrypted(path: Path) -> bool:
    """A whole SQLCipher file: random-looking first page and whole pages."""
    try:
        size = path.stat().st_size
    except OSError:
        return False
    return size > 0 and size % 1024 == 0 and random_head(path)


def salt_of(path: Path) -> bytes:
    with path.open("rb") as fh:
        return fh.read(SALT_BYTES)


_KEYS: dict[tuple[str, bytes], str] = {}


def raw_key(passphrase: str, salt: bytes) -> str:
    """The SQLCipher raw key (`x'…'`: 32-byte key + the file's salt), cached per process."""
    cache = (hashlib.sha256(passphrase.encode("utf-8")).hexdigest(), salt)
    if cache not in _KEYS:
        key = hashlib.pbkdf2_hmac("sha512", passphrase.encode("utf-8"), salt, KDF_ITERATIONS, 32)
        _KEYS[cache] = f"x'{key.hex()}{salt.hex()}'"
    return _KEYS[cache]


def key_for(path: Path, passphrase: str) -> str:
    """The raw key to open `path` (an existing encrypted file) or to create it (new)."""
    exists = path.exists() and path.stat().st_size > 0
    salt = salt_of(path) if exists else os.urandom(SALT_BYTES)
    return raw_key(passphrase, salt)


def apply_key(con: Any, key: str) -> None:
    """Key a fresh connection (the first statement it runs)."""
    con.execute("PRAGMA cipher_log_level = NONE")
    con.execute(f'PRAGMA key = "{key}"')


def check_passphrase(passphrase: str | None) -> str:
    if passphrase is None or len(passphrase) < MIN_PASSPHRASE:
        raise FileUnreadable(code="pack_passphrase_short", min=MIN_PASSPHRASE)
    return passphrase


def connect(path: Path, passphrase: str, *, shown: Path | None = None) -> Any:
    """A keyed sqlcipher3 connection to an existing encrypted file; a clear refusal when
    the passphrase is wrong (or the file is not SQLCipher at all)."""
    module = dbapi()
    con = module.connect(str(path))
    try:
        apply_key(con, key_for(path, passphrase))
        con.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except module.DatabaseError:
        con.close()
        raise FileUnreadable(code="pack_wrong_passphrase", file=(shown or path).name) from None
    return con


def decrypt_to(src: Path, dst: Path, passphrase: str, *, shown: Path | None = None) -> None:
    """A plain SQLite copy of an encrypted file (for the import's checks and merge, in a
    private temp folder at the dealership)."""
    module = dbapi()
    con = connect(src, passphrase, shown=shown)
    try:
        con.execute(f"ATTACH DATABASE '{_quote(dst)}' AS plain KEY ''")
        con.execute("SELECT sqlcipher_export('plain')")
        con.execute("DETACH DATABASE plain")
    except module.DatabaseError as exc:  # a page fails its HMAC: damaged or cut short
        raise FileUnreadable(
            code="pack_truncated", file=(shown or src).name, reason=str(exc)[:200]
        ) from None
    finally:
        con.close()


def encrypt_to(src: Path, dst: Path, passphrase: str) -> None:
    """An encrypted copy of a plain SQLite file (rollback journal, one file to carry)."""
    module = dbapi()
    con = module.connect(str(src))
    try:
        con.execute("PRAGMA cipher_log_level = NONE")
        key = raw_key(passphrase, os.urandom(SALT_BYTES))
        con.execute(f"ATTACH DATABASE '{_quote(dst)}' AS enc KEY \"{key}\"")
        con.execute("SELECT sqlcipher_export('enc')")
        con.execute("DETACH DATABASE enc")
    finally:
        con.close()


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")


def passphrase_from_env() -> str | None:
    return os.environ.get(PASSPHRASE_ENV) or None
