"""Staff roles and what each may do: front desk ⊂ coordinator ⊂ admin; kiosk = check-in only."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from enum import StrEnum

from desktop_app.domain.enums import StaffRole


class Permission(StrEnum):
    CHECK_IN = "check_in"  # scan, manual check-in/out, undo, desk counts
    WALK_IN = "walk_in"
    LOOK_UP_PEOPLE = "look_up_people"  # search and view people (PII on screen, not in files)
    EDIT_PEOPLE = "edit_people"
    PLAN_EVENTS = "plan_events"
    REGISTER = "register"
    INVITATIONS = "invitations"
    IMPORTS = "imports"
    POINTS = "points"
    REPORTS = "reports"
    SETTINGS = "settings"
    EXPORTS = "exports"  # files that leave the desk without personal data
    EXPORT_PII = "export_pii"  # files with names, phones, VINs: HQ export, packs, call lists
    STAFF = "staff"
    MERGES = "merges"
    BACKUPS = "backups"
    AUDIT = "audit"
    APPROVE = "approve"  # issue 14: approve/decline registrations of invite-only events
    # issue 15: money at the desk, and the perks catalogue
    PAYMENTS = "payments"  # record payments and refunds, print receipts
    VOUCHERS = "vouchers"  # redeem a perk for a member, verify / consume / cancel vouchers
    PERKS = "perks"  # partners and perks: add, change, stock
    ERASE_PEOPLE = "erase_people"  # issue 18: erase a person's personal data (admins)


FRONT_DESK: frozenset[Permission] = frozenset(
    {
        Permission.CHECK_IN,
        Permission.WALK_IN,
        Permission.LOOK_UP_PEOPLE,
        Permission.PAYMENTS,
        Permission.VOUCHERS,
    }
)
COORDINATOR: frozenset[Permission] = FRONT_DESK | {
    Permission.EDIT_PEOPLE,
    Permission.PLAN_EVENTS,
    Permission.REGISTER,
    Permission.INVITATIONS,
    Permission.IMPORTS,
    Permission.POINTS,
    Permission.REPORTS,
    Permission.APPROVE,
    Permission.PERKS,
}
ADMIN: frozenset[Permission] = frozenset(Permission)

ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    StaffRole.FRONT_DESK: FRONT_DESK,
    StaffRole.COORDINATOR: COORDINATOR,
    StaffRole.ADMIN: ADMIN,
}

# A kiosk desk is a check-in station anyone may walk up to: even an admin signed in there
# only checks people in until an admin PIN unlocks it.
KIOSK: frozenset[Permission] = frozenset({Permission.CHECK_IN})


def allowed(role: str, permission: Permission | str, kiosk: bool = False) -> bool:
    """May someone with `role` do `permission` (on a kiosk desk if `kiosk`)?"""
    perm = Permission(permission)
    if kiosk and perm not in KIOSK:
        return False
    return perm in ROLE_PERMISSIONS.get(role, frozenset())


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is acting: a signed-in staff member (audit rows carry .id and .name)."""

    id: uuid.UUID | None
    name: str
    role: str
    kiosk: bool = False

    def can(self, permission: Permission | str) -> bool:
        return allowed(self.role, permission, self.kiosk)

    def to_json(self) -> dict[str, object]:
        return {
            "id": str(self.id) if self.id else None,
            "name": self.name,
            "role": self.role,
            "kiosk": self.kiosk,
        }


# Nobody configured any staff account: the single user of the desk is the admin.
SINGLE_USER = Principal(None, "", StaffRole.ADMIN)
