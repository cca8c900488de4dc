"""Staff of the dealership: front desk, coordinators, admins (butlers are staff)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select

from desktop_app.domain.enums import StaffRole
from desktop_app.domain.errors import NotFound, ValidationError
from desktop_app.domain.phone import PhoneError, normalise_phone
from desktop_app.domain.roles import Permission
from desktop_app.io.values import parse_email
from desktop_app.services.common import audit, parse_id, stamp_origin
from desktop_app.store.db import Database
from desktop_app.store.models import Staff

NAME_MAX = 100


@dataclass(frozen=True, slots=True)
class StaffView:
    id: uuid.UUID
    name: str
    role: str
    phone: str | None
    active: bool
    email: str | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "id": str(self.id),
            "name": self.name,
            "role": self.role,
            "phone": self.phone,
            "email": self.email,
            "active": self.active,
        }


def _view(st: Staff) -> StaffView:
    return StaffView(st.id, st.name, st.role, st.phone, bool(st.active), st.email)


def create_staff(
    db: Database,
    name: str,
    role: str = StaffRole.COORDINATOR,
    phone: str | None = None,
    actor: object = None,
    email: str | None = None,
) -> StaffView:
    """Add a staff member. `role` is front_desk, coordinator or admin; `email` the address
    they join online meetings with (an attendance import leaves them out)."""
    from desktop_app.services.auth import require

    require(db, actor, Permission.STAFF)
    name = (name or "").strip()
    if not name:
        raise ValidationError("name", "required")
    if len(name) > NAME_MAX:
        raise ValidationError("name", "too_long", max=NAME_MAX)
    if role not in StaffRole.__members__.values():
        raise ValidationError("role", "bad_choice", choices=", ".join(StaffRole))
    e164 = None
    if phone and phone.strip():
        try:
            e164 = normalise_phone(phone)
        except PhoneError as exc:
            raise ValidationError(
                "phone", f"phone_{exc.problem.code}", text=phone.strip()
            ) from None
    mail = None
    if email and email.strip():
        try:
            mail = parse_email(email)
        except ValueError:
            raise ValidationError("email", "bad_value", reason=email.strip()) from None
    with db.write() as s:
        st = Staff(name=name, role=str(role), phone=e164, active=True, email=mail)
        stamp_origin(s, st)
        s.add(st)
        s.flush()
        audit(s, "staff.create", "staff", st.id, {"name": name, "role": str(role)}, actor)
        return _view(st)


def list_staff(db: Database, role: str | None = None, active_only: bool = True) -> list[StaffView]:
    """Staff by name; only active ones unless `active_only` is False."""
    stmt = select(Staff).where(Staff.deleted_at.is_(None))
    if role:
        stmt = stmt.where(Staff.role == role)
    if active_only:
        stmt = stmt.where(Staff.active.is_(True))
    with db.read() as s:
        return [_view(st) for st in s.scalars(stmt.order_by(Staff.name, Staff.id))]


def get_staff(db: Database, staff_id: str | uuid.UUID) -> StaffView:
    sid = parse_id(staff_id, "staff")
    with db.read() as s:
        st = s.get(Staff, sid)
        if st is None or st.deleted_at is not None:
            raise NotFound("staff", staff_id)
        return _view(st)


def set_active(
    db: Database, staff_id: str | uuid.UUID, active: bool, actor: object = None
) -> StaffView:
    """Deactivate someone who left (their history stays), or reactivate them."""
    from desktop_app.services.auth import require

    require(db, actor, Permission.STAFF)
    sid = parse_id(staff_id, "staff")
    with db.write() as s:
        st = s.get(Staff, sid)
        if st is None or st.deleted_at is not None:
            raise NotFound("staff", staff_id)
        st.active = active
        audit(s, "staff.active" if active else "staff.inactive", "staff", st.id, {}, actor)
        return _view(st)
