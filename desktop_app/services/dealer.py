"""The dealership this database belongs to: set up once (first run / `paddock init`)."""

from __future__ import annotations

import re
import secrets
import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain.errors import PaddockError, ValidationError
from desktop_app.store.db import Database
from desktop_app.store.models import DealerProfile

DEALER_CODE = re.compile(r"^[A-Za-z0-9_-]{2,32}$")


@dataclass(frozen=True, slots=True)
class Dealer:
    code: str
    name: str
    city: str | None
    region: str | None
    device_id: str
    timezone: str
    ticket_key: str

    def to_json(self) -> dict[str, object]:
        return {
            "code": self.code,
            "name": self.name,
            "city": self.city,
            "region": self.region,
            "device_id": self.device_id,
            "timezone": self.timezone,
        }


def _view(p: DealerProfile) -> Dealer:
    return Dealer(p.code, p.name, p.city, p.region, p.device_id, p.timezone, p.ticket_key)


def get_dealer(db: Database) -> Dealer | None:
    with db.read() as s:
        p = s.scalars(select(DealerProfile)).first()
        return _view(p) if p else None


def require_dealer(db: Database) -> Dealer:
    dealer = get_dealer(db)
    if dealer is None:
        raise PaddockError(code="not_initialised")
    return dealer


def dealer_in(s: Session) -> DealerProfile | None:
    return s.scalars(select(DealerProfile)).first()


def init_dealer(
    db: Database,
    code: str,
    name: str,
    city: str | None = None,
    region: str | None = None,
    timezone: str = "Asia/Shanghai",
) -> Dealer:
    """Create the dealer profile, or update its name/city/region (the code and key stay)."""
    code = (code or "").strip().upper()
    name = (name or "").strip()
    if not DEALER_CODE.match(code):
        raise ValidationError("dealer_code", "dealer_code")
    if not name:
        raise ValidationError("dealer_name", "required")
    if len(name) > 200:
        raise ValidationError("dealer_name", "too_long", max=200)
    with db.write() as s:
        p = dealer_in(s)
        if p is None:
            p = DealerProfile(
                id=1,
                code=code,
                name=name,
                city=city or None,
                region=region or None,
                timezone=timezone,
                ticket_key=secrets.token_hex(32),
                device_id=uuid.uuid4().hex[:12],
            )
            s.add(p)
        else:
            if p.code != code:
                raise ValidationError(
                    "dealer_code",
                    "dealer_code_fixed",
                )
            p.name, p.city, p.region = name, city or None, region or None
        s.flush()
        return _view(p)
