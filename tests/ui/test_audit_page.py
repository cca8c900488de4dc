"""The audit log tells an admin when things happened on the dealership's clock."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from desktop_app.services.audit_log import AuditRow
from ui.views.audit import COL_AT, AuditModel


def test_audit_times_are_shown_on_the_dealerships_clock_not_the_computers() -> None:
    model = AuditModel("Asia/Shanghai")
    row = AuditRow(
        uuid.uuid4(), datetime(2026, 12, 7, 16, 41, 5, tzinfo=UTC), None, "王管家",
        "gift.hand", "registration", None, {}, "desk-1",
    )  # fmt: skip
    model.set_rows([row])
    assert model.index(0, COL_AT).data() == "2026-12-08 00:41:05"
