"""Staff sign-in (scrypt-hashed PIN/password, lockout), who is acting, and role checks.

Single-user default: while no staff account has a PIN or password, whoever runs Paddock
is the admin and every service works without signing in. Once one account has a secret,
services refuse (PermissionDenied) unless a signed-in principal with the right role is
passed as `actor` or bound to the Database with `bind()` (the UI after sign-in, the CLI
from --staff/--pin or PADDOCK_STAFF/PADDOCK_PIN).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_app.domain.enums import StaffRole
from desktop_app.domain.errors import (
    NotFound,
    PermissionDenied,
    RuleViolation,
    SignInFailed,
    ValidationError,
)
from desktop_app.domain.roles import SINGLE_USER, Permission, Principal, allowed
from desktop_app.services.common import audit, parse_id
from desktop_app.services.staff import StaffView, create_staff
from desktop_app.store import driver
from desktop_app.store.db import Database
from desktop_app.store.models import AuditEntry, Staff

# scrypt cost: 16 MiB of memory per guess (128 * r * n bytes) makes GPU guessing of short
# PINs expensive while a desk sign-in stays well under a tenth of a second.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
SALT_BYTES, KEY_BYTES = 16, 32
SECRET_MIN, SECRET_MAX = 4, 128
MAX_ATTEMPTS = 5  # wrong PINs in a row …
LOCK_MINUTES = 15  # … lock the account for this long

FAILED = "auth.sign_in_failed"
SIGNED_IN = "auth.sign_in"


# --------------------------------------------------------------------------- hashing


def hash_secret(secret: str) -> str:
    """'scrypt$n$r$p$salt$hash' (hex) for a PIN or password; the secret itself is not kept."""
    salt = secrets.token_bytes(SALT_BYTES)
    key = _scrypt(secret, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${key.hex()}"


def verify_secret(secret: str, stored: str | None) -> bool:
    """Constant-time check of `secret` against a stored hash; False for anything malformed."""
    try:
        scheme, n, r, p, salt_hex, key_hex = (stored or "").split("$")
        if scheme != "scrypt":
            return False
        expected = bytes.fromhex(key_hex)
        got = _scrypt(secret, bytes.fromhex(salt_hex), int(n), int(r), int(p), len(expected))
    except ValueError:
        return False
    return hmac.compare_digest(got, expected)


def _scrypt(secret: str, salt: bytes, n: int, r: int, p: int, dklen: int = KEY_BYTES) -> bytes:
    return hashlib.scrypt(
        secret.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=256 * r * n, dklen=dklen
    )


# A hash to verify against when the name is unknown, so that "no such person" takes as long
# as "wrong PIN" (no telling which names exist from the timing).
_DUMMY_HASH = hash_secret(secrets.token_hex(8))


def check_secret(secret: str | None) -> str:
    value = secret or ""
    if len(value) < SECRET_MIN:
        raise ValidationError("pin", "pin_too_short", min=SECRET_MIN)
    if len(value) > SECRET_MAX:
        raise ValidationError("pin", "pin_too_long", max=SECRET_MAX)
    return value


# --------------------------------------------------------------------------- who is acting


ACCOUNTS_TTL = 2.0  # seconds a desk trusts its last "are there accounts?" answer


def accounts_exist(db: Database, s: Session | driver.Target | None = None) -> bool:
    """True once any active staff member has a PIN or password (sign-in is then required).

    Cached for ACCOUNTS_TTL per Database (a scan must not pay a query for it every time);
    PIN changes made through this process refresh it at once. `s`: a transaction the
    caller has open, to ask in (no transaction of its own: the desk's scan).
    """
    now = time.monotonic()
    cached = getattr(db, "_paddock_accounts", None)
    if cached is not None and cached[0] > now:
        return bool(cached[1])
    if s is not None:
        found = _accounts_exist(s)
    else:
        with db.read() as s:
            found = _accounts_exist(s)
    db._paddock_accounts = (now + ACCOUNTS_TTL, found)  # type: ignore[attr-defined]
    return found


def _forget_accounts(db: Database) -> None:
    db._paddock_accounts = None  # type: ignore[attr-defined]


_AN_ACCOUNT = (
    select(Staff.id)
    .where(Staff.secret_hash.is_not(None), Staff.active.is_(True), Staff.deleted_at.is_(None))
    .limit(1)
)


def _accounts_exist(s: Session | driver.Target) -> bool:
    return driver.run(s.connection() if isinstance(s, Session) else s, _AN_ACCOUNT, {}).rows != []


def bind(db: Database, principal: Principal | None) -> None:
    """Make `principal` the one acting on `db` (services and audit rows use it)."""
    db.principal = principal


def current(db: Database) -> Principal | None:
    who = getattr(db, "principal", None)
    return who if isinstance(who, Principal) else None


def effective(
    db: Database, actor: object = None, s: Session | driver.Target | None = None
) -> Principal | None:
    """The principal for a call: the actor passed, else the one bound, else single-user admin."""
    if isinstance(actor, Principal):
        return actor
    bound = current(db)
    if bound is not None:
        return bound
    return None if accounts_exist(db, s) else SINGLE_USER


def require(
    db: Database, actor: object, permission: Permission, s: Session | driver.Target | None = None
) -> Principal:
    """The acting principal if it may do `permission`; PermissionDenied otherwise. `s`: the
    caller's open transaction, asked in when the accounts must be looked up again."""
    who = effective(db, actor, s)
    if who is None:
        raise PermissionDenied("sign_in_required", permission)
    if who.can(permission):
        return who
    code = "kiosk_denied" if who.kiosk and allowed(who.role, permission) else "permission_denied"
    raise PermissionDenied(code, permission, staff=who.name, role=who.role)


def can(db: Database, permission: Permission, actor: object = None) -> bool:
    """Would `require` pass? (for greying out buttons; the service still checks)."""
    who = effective(db, actor)
    return who is not None and who.can(permission)


# --------------------------------------------------------------------------- sign-in


@dataclass(frozen=True, slots=True)
class Account:
    id: uuid.UUID
    name: str
    role: str
    has_secret: bool
    active: bool
    locked_until: datetime | None

    def to_json(self) -> dict[str, object]:
        return {
            "id": str(self.id),
            "name": self.name,
            "role": self.role,
            "has_pin": self.has_secret,
            "active": self.active,
            "locked_until": self.locked_until.isoformat() if self.locked_until else None,
        }


def _find(s: Session, who: str | uuid.UUID) -> Staff | None:
    """A staff member by id or by exact (trimmed) name; None when unknown or ambiguous."""
    text = str(who).strip()
    try:
        row = s.get(Staff, uuid.UUID(text))
    except ValueError:
        row = None
    if row is None:
        rows = list(
            s.scalars(select(Staff).where(Staff.name == text, Staff.deleted_at.is_(None)).limit(2))
        )
        row = rows[0] if len(rows) == 1 else None
    return row if row is not None and row.deleted_at is None else None


def _locked_until(s: Session, staff_id: uuid.UUID, now: datetime) -> datetime | None:
    """When the lock after MAX_ATTEMPTS wrong PINs (within LOCK_MINUTES) ends, if locked."""
    window = now - timedelta(minutes=LOCK_MINUTES)
    last_ok = s.scalar(
        select(func.max(AuditEntry.at)).where(
            AuditEntry.entity_id == str(staff_id), AuditEntry.action == SIGNED_IN
        )
    )
    since = max(window, last_ok) if last_ok else window
    fails = list(
        s.scalars(
            select(AuditEntry.at)
            .where(
                AuditEntry.entity_id == str(staff_id),
                AuditEntry.action == FAILED,
                AuditEntry.at > since,
            )
            .order_by(AuditEntry.at.desc())
            .limit(MAX_ATTEMPTS)
        )
    )
    if len(fails) < MAX_ATTEMPTS:
        return None
    until = fails[0] + timedelta(minutes=LOCK_MINUTES)
    return until if until > now else None


def sign_in(
    db: Database,
    who: str | uuid.UUID,
    secret: str,
    *,
    kiosk: bool = False,
    now: datetime | None = None,
) -> Principal:
    """Check a PIN/password and return the principal (bind it with `bind`).

    Every failure is an audit row; MAX_ATTEMPTS failures lock the account LOCK_MINUTES.
    """
    now = now or datetime.now(UTC)
    with db.write() as s:
        st = _find(s, who)
        if st is None or not st.active:
            verify_secret(secret, _DUMMY_HASH)
            audit(s, FAILED, "staff", None, {"name": str(who)[:100]})
            failed: SignInFailed | None = SignInFailed(code="sign_in_failed")
        else:
            until = _locked_until(s, st.id, now)
            if until is not None:
                minutes = max(1, int((until - now).total_seconds() // 60) + 1)
                raise SignInFailed(
                    code="sign_in_locked",
                    staff=st.name,
                    until=until.astimezone().strftime("%H:%M"),
                    minutes=minutes,
                )
            if st.secret_hash is None:
                raise SignInFailed(code="sign_in_no_secret", staff=st.name)
            who_p = Principal(st.id, st.name, st.role, kiosk)
            if verify_secret(secret, st.secret_hash):
                audit(s, SIGNED_IN, "staff", st.id, {"kiosk": kiosk} if kiosk else {}, who_p)
                return who_p
            audit(s, FAILED, "staff", st.id, {}, who_p)
            failed = SignInFailed(code="sign_in_failed")
    # raised after the block so the failure row is committed, not rolled back
    raise failed


def sign_in_from_cli(db: Database, who: str | None, secret: str | None) -> Principal | None:
    """The CLI's --staff/--pin (or PADDOCK_STAFF/PADDOCK_PIN): sign in and bind, if given."""
    who = who or os.environ.get("PADDOCK_STAFF") or None
    secret = secret if secret is not None else os.environ.get("PADDOCK_PIN")
    if not who:
        return None
    principal = sign_in(db, who, secret or "")
    bind(db, principal)
    return principal


def enter_kiosk(db: Database, actor: object = None) -> Principal:
    """Lock this desk to check-in only (needs an admin account to unlock it later)."""
    who = effective(db, actor)
    if not accounts_exist(db):
        raise RuleViolation(code="kiosk_unlock_admin")
    if who is None:
        raise PermissionDenied("sign_in_required", Permission.CHECK_IN)
    kiosk = Principal(who.id, who.name, who.role, kiosk=True)
    with db.write() as s:
        audit(s, "kiosk.on", "desk", None, {}, kiosk)
    bind(db, kiosk)
    return kiosk


def unlock_kiosk(db: Database, who: str | uuid.UUID, secret: str) -> Principal:
    """An admin's PIN lifts kiosk mode; the desk then acts as that admin."""
    admin = sign_in(db, who, secret)
    if admin.role != StaffRole.ADMIN:
        raise SignInFailed(code="kiosk_unlock_admin")
    with db.write() as s:
        audit(s, "kiosk.off", "desk", None, {}, admin)
    bind(db, admin)
    return admin


# --------------------------------------------------------------------------- accounts


def _account(s: Session, st: Staff, now: datetime) -> Account:
    return Account(
        st.id,
        st.name,
        st.role,
        st.secret_hash is not None,
        bool(st.active),
        _locked_until(s, st.id, now) if st.secret_hash else None,
    )


def list_accounts(db: Database, with_secret_only: bool = False) -> list[Account]:
    """Staff for the sign-in picker and `paddock staff list` (active ones, by name)."""
    now = datetime.now(UTC)
    stmt = select(Staff).where(Staff.deleted_at.is_(None), Staff.active.is_(True))
    if with_secret_only:
        stmt = stmt.where(Staff.secret_hash.is_not(None))
    with db.read() as s:
        return [_account(s, st, now) for st in s.scalars(stmt.order_by(Staff.name, Staff.id))]


def set_secret(db: Database, who: str | uuid.UUID, secret: str, actor: object = None) -> Account:
    """Give a staff member a new PIN or password (admins; the first one must be an admin)."""
    value = check_secret(secret)
    first = not accounts_exist(db)
    if not first:
        require(db, actor, Permission.STAFF)
    with db.write() as s:
        st = _find(s, who)
        if st is None:
            raise NotFound("staff", who)
        if first and st.role != StaffRole.ADMIN:
            raise RuleViolation(code="first_account_admin")
        st.secret_hash = hash_secret(value)
        # the audit row says a PIN was set, never what it is
        audit(s, "staff.set_pin", "staff", st.id, {"name": st.name}, actor)
        account = _account(s, st, datetime.now(UTC))
    _forget_accounts(db)
    return account


def add_account(
    db: Database,
    name: str,
    role: str,
    secret: str | None = None,
    phone: str | None = None,
    actor: object = None,
    email: str | None = None,
) -> StaffView:
    """A staff member, with a PIN/password when given (checked before anything is saved)."""
    if secret is not None:
        check_secret(secret)
        if not accounts_exist(db) and role != StaffRole.ADMIN:
            raise RuleViolation(code="first_account_admin")
    view = create_staff(db, name, role, phone, actor=actor, email=email)
    if secret is not None:
        set_secret(db, view.id, secret, actor=actor)
    return view


def remove_secret(db: Database, who: str | uuid.UUID, actor: object = None) -> Account:
    """Take away someone's sign-in (they stay as staff, e.g. a butler); not the last admin."""
    require(db, actor, Permission.STAFF)
    with db.write() as s:
        st = _find(s, who)
        if st is None:
            raise NotFound("staff", who)
        others = s.scalar(
            select(func.count(Staff.id)).where(
                Staff.id != st.id,
                Staff.role == StaffRole.ADMIN,
                Staff.secret_hash.is_not(None),
                Staff.active.is_(True),
                Staff.deleted_at.is_(None),
            )
        )
        still_accounts = s.scalar(
            select(func.count(Staff.id)).where(
                Staff.id != st.id, Staff.secret_hash.is_not(None), Staff.active.is_(True)
            )
        )
        if st.role == StaffRole.ADMIN and not others and still_accounts:
            raise RuleViolation(code="last_admin", staff=st.name)
        st.secret_hash = None
        audit(s, "staff.remove_pin", "staff", st.id, {"name": st.name}, actor)
        account = _account(s, st, datetime.now(UTC))
    _forget_accounts(db)
    return account


def staff_id_of(db: Database, who: str | uuid.UUID) -> uuid.UUID:
    with db.read() as s:
        st = _find(s, who)
        if st is None:
            raise NotFound("staff", who)
        return parse_id(st.id, "staff")


def require_before_restore(db_url: str | None, who: str | None, secret: str | None) -> None:
    """`paddock restore` replaces the database, so it needs an admin of the current one.

    A current database that cannot even be opened has nobody to ask: the restore goes on.
    """
    from desktop_app.domain.errors import DatabaseError
    from desktop_app.store.db import open_database

    try:
        db = open_database(db_url, upgrade=False, backup=False)
    except DatabaseError:
        return
    try:
        sign_in_from_cli(db, who, secret)
        require(db, None, Permission.BACKUPS)
    finally:
        db.close()
