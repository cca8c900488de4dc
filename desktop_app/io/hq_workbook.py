"""The HQ workbook contract: every sheet and column in one table, used by writer and validator.

docs/hq-workbook.md explains it for HQ. Row 1 of each data sheet holds the stable English
column keys (the machine contract); the `_columns` sheet lists key, Chinese label, English
label and type for people. Datetimes are real Excel datetimes in UTC (labels say "UTC").
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from desktop_app.domain.errors import FileUnreadable, RuleViolation, first_line
from desktop_app.domain.phone import mask_phone
from desktop_app.io.cells import FORMULA_START, looks_like_formula

SCHEMA_VERSION = 2
# Rows below the header that one sheet can hold: Excel's 1,048,576 minus the header row.
# xlsxwriter silently drops a row past the end, so writers check before they write.
MAX_SHEET_ROWS = 1_048_575
MAX_UNZIPPED_BYTES = 2_000_000_000  # a zip bomb is refused before anything is inflated
KNOWN_SCHEMA_VERSIONS = frozenset({1, 2})
# Version 1 wrote formula-looking text with a literal ' in front (`'+8613812345678`); its
# reader strips that one '. From version 2 such text is written as it is, in a string cell
# with Excel's quote-prefix style (QUOTE_PREFIX), and read back byte for byte.
QUOTED_TEXT_VERSIONS = frozenset({1})
QUOTE_PREFIX = {"quote_prefix": True}  # the xlsxwriter format of formula-looking text
META_SHEET = "_meta"
COLUMNS_SHEET = "_columns"

# Column types: how a cell is written and what the validator accepts when reading back.
UUID, TEXT, INT, NUMBER, BOOL, DATETIME, DATE = (
    "uuid",
    "text",
    "int",
    "number",
    "bool",
    "datetime",
    "date",
)

# PII handling per column (see pii_value): phone, name, email, wechat, free (free text that
# may contain a number someone typed: phone-like digit runs are masked), hash (the keyed hash).
PII_MODES = ("full", "masked", "hashed")

_UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
# Phone-like runs in free text: 11+ digits, or a CN mobile written with spaces/dashes.
_PHONE_RUN = re.compile(r"(?:\+?86[\s-]?)?1\d{2}[\s-]?\d{4}[\s-]?\d{4}|\d{11,}")


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    type: str
    label_zh: str
    label_en: str
    source: str | None = None  # model attribute (default: key); "" = computed by the writer
    pii: str | None = None
    width: int = 14
    nullable: bool = True


@dataclass(frozen=True, slots=True)
class Sheet:
    name: str
    table: str  # the database table the rows come from
    label_zh: str
    columns: tuple[Column, ...]
    since: int = 1  # the schema version that added the sheet (older files lack it)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns)


def _common(extra: tuple[Column, ...]) -> tuple[Column, ...]:
    """Columns every sheet starts with: identity, dealer, change time, deletion."""
    return (
        Column("id", UUID, "编号", "ID (UUID)", width=38, nullable=False),
        Column("dealer_code", TEXT, "经销商代码", "Dealer code", source="", nullable=False),
        Column(
            "updated_at", DATETIME, "更新时间（UTC）", "Updated at (UTC)", width=20, nullable=False
        ),
        Column("created_at", DATETIME, "创建时间（UTC）", "Created at (UTC)", width=20),
        Column("deleted", BOOL, "已删除", "Deleted", source="", width=9, nullable=False),
        Column("deleted_at", DATETIME, "删除时间（UTC）", "Deleted at (UTC)", width=20),
        *extra,
    )


def _c(key: str, typ: str, zh: str, en: str, **kw: Any) -> Column:
    return Column(key, typ, zh, en, **kw)


SHEETS: tuple[Sheet, ...] = (
    Sheet(
        "events",
        "events",
        "活动",
        _common(
            (
                _c("title", TEXT, "活动名称", "Title", width=30, nullable=False),
                _c("type", TEXT, "活动类型", "Type", nullable=False),
                _c("format", TEXT, "形式", "Format", width=10),
                _c("status", TEXT, "状态", "Status", width=11, nullable=False),
                _c("starts_at", DATETIME, "开始时间（UTC）", "Starts at (UTC)", width=20),
                _c("ends_at", DATETIME, "结束时间（UTC）", "Ends at (UTC)", width=20),
                _c("timezone", TEXT, "时区", "Time zone"),
                _c("venue", TEXT, "地点", "Venue", width=24),
                _c("online_link", TEXT, "线上链接", "Online link", width=24),
                _c("capacity", INT, "名额", "Capacity", width=9),
                _c("waitlist_enabled", BOOL, "候补", "Waitlist", width=9),
                _c("points_award", INT, "积分奖励", "Points award", width=9),
                _c("campaign_code", TEXT, "总部活动代码", "HQ campaign code", width=16),
                _c("budget", NUMBER, "预算（元）", "Budget (CNY)", width=11),
                _c("min_online_minutes", INT, "线上最少分钟", "Min. online minutes", width=9),
                _c(
                    "registration_opens_at",
                    DATETIME,
                    "报名开始（UTC）",
                    "Registration opens (UTC)",
                    width=20,
                ),
                _c(
                    "registration_closes_at",
                    DATETIME,
                    "报名截止（UTC）",
                    "Registration closes (UTC)",
                    width=20,
                ),
                _c("cancel_reason", TEXT, "取消原因", "Cancel reason", pii="free", width=20),
            )
        ),
    ),
    Sheet(
        "people",
        "people",
        "客户（ONE ID）",
        _common(
            (
                _c("name", TEXT, "姓名", "Name", pii="name", width=10, nullable=False),
                _c(
                    "phone",
                    TEXT,
                    "手机号（E.164 或脱敏）",
                    "Phone (E.164 or masked)",
                    pii="phone",
                    width=16,
                ),
                _c(
                    "phone_hash",
                    TEXT,
                    "手机号哈希",
                    "Phone hash (HMAC)",
                    source="",
                    pii="hash",
                    width=30,
                ),
                _c("wechat", TEXT, "微信号", "WeChat", pii="wechat", width=14),
                _c("email", TEXT, "邮箱", "Email", pii="email", width=20),
                _c("stage", TEXT, "客户阶段", "Stage", width=10, nullable=False),
                _c("tier", TEXT, "会员等级", "Member tier", width=10),
                _c(
                    "stage_changed_at",
                    DATETIME,
                    "阶段变更时间（UTC）",
                    "Stage changed at (UTC)",
                    width=20,
                ),
                _c(
                    "tier_changed_at",
                    DATETIME,
                    "等级变更时间（UTC）",
                    "Tier changed at (UTC)",
                    width=20,
                ),
                _c("butler_id", UUID, "管家编号", "Butler (staff ID)", width=38),
                _c("referred_by_id", UUID, "推荐人编号", "Referred by (person ID)", width=38),
                _c("source", TEXT, "来源", "Source"),
                _c(
                    "consent_marketing_at",
                    DATETIME,
                    "营销同意时间（UTC）",
                    "Marketing consent at (UTC)",
                    width=20,
                ),
                _c(
                    "consent_photos_at",
                    DATETIME,
                    "肖像同意时间（UTC）",
                    "Photo consent at (UTC)",
                    width=20,
                ),
                _c("merged_into_id", UUID, "合并入编号", "Merged into (person ID)", width=38),
            )
        ),
    ),
    Sheet(
        "vehicles",
        "vehicles",
        "车辆",
        _common(
            (
                _c("person_id", UUID, "车主编号", "Owner (person ID)", width=38, nullable=False),
                _c("vin", TEXT, "车架号", "VIN", width=19),
                _c("plate", TEXT, "车牌", "Plate", width=11),
                _c("model", TEXT, "车型", "Model"),
                _c("purchase_date", DATE, "购车日期", "Purchase date", width=12),
            )
        ),
    ),
    Sheet(
        "clubs",
        "clubs",
        "车友会",
        _common(
            (
                _c("name", TEXT, "车友会名称", "Club name", width=20, nullable=False),
                _c("model_focus", TEXT, "车型", "Model focus"),
                _c("city", TEXT, "城市", "City"),
            )
        ),
    ),
    Sheet(
        "club_memberships",
        "club_memberships",
        "车友会成员",
        _common(
            (
                _c("club_id", UUID, "车友会编号", "Club ID", width=38, nullable=False),
                _c("person_id", UUID, "客户编号", "Person ID", width=38, nullable=False),
                _c("role", TEXT, "角色", "Role", width=9),
                _c("joined_on", DATE, "入会日期", "Joined on", width=12),
            )
        ),
    ),
    Sheet(
        "registrations",
        "registrations",
        "报名",
        _common(
            (
                _c("event_id", UUID, "活动编号", "Event ID", width=38, nullable=False),
                _c("person_id", UUID, "客户编号", "Person ID", width=38, nullable=False),
                _c("status", TEXT, "报名状态", "Status (as stored)", width=11, nullable=False),
                _c("source", TEXT, "报名渠道", "Source", width=12),
                _c("party_size", INT, "人数", "Party size", width=7),
                _c("is_walk_in", BOOL, "现场报名", "Walk-in", width=8),
                _c("registered_at", DATETIME, "报名时间（UTC）", "Registered at (UTC)", width=20),
                _c("waitlisted_at", DATETIME, "候补时间（UTC）", "Waitlisted at (UTC)", width=20),
                _c("cancelled_at", DATETIME, "取消时间（UTC）", "Cancelled at (UTC)", width=20),
                _c("referred_by_id", UUID, "推荐人编号", "Referred by (person ID)", width=38),
                _c("invited_by_id", UUID, "邀约人编号", "Invited by (staff ID)", width=38),
                _c("checked_in_at", DATETIME, "签到时间（UTC）", "Checked in at (UTC)", width=20),
                _c("checked_in_desk", TEXT, "签到台", "Check-in desk", width=10),
                _c("checked_out_at", DATETIME, "签退时间（UTC）", "Checked out at (UTC)", width=20),
                _c("online_minutes", INT, "线上分钟", "Online minutes", width=8),
                _c("wants_test_drive", BOOL, "想试驾", "Wants test drive", width=8),
                _c("interest_model", TEXT, "意向车型", "Interest model"),
            )
        ),
    ),
    Sheet(
        "checkins",
        "scan_log",
        "签到记录",
        _common(
            (
                _c("nonce", UUID, "扫码唯一码", "Scan nonce", width=38, nullable=False),
                _c("event_id", UUID, "活动编号", "Event ID", width=38),
                _c("registration_id", UUID, "报名编号", "Registration ID", width=38),
                _c("action", TEXT, "操作", "Action", width=10, nullable=False),
                _c("result", TEXT, "结果", "Result", width=16, nullable=False),
                _c("desk", TEXT, "签到台", "Desk", width=10),
                _c("staff_id", UUID, "员工编号", "Staff ID", width=38),
                _c(
                    "scanned_at",
                    DATETIME,
                    "扫码时间（UTC）",
                    "Scanned at (UTC)",
                    width=20,
                    nullable=False,
                ),
                _c("note", TEXT, "备注", "Note", pii="free", width=20),
            )
        ),
    ),
    Sheet(
        "online_attendance",
        "online_attendance",
        "线上出席",
        _common(
            (
                _c("event_id", UUID, "活动编号", "Event ID", width=38, nullable=False),
                _c("registration_id", UUID, "报名编号", "Registration ID", width=38),
                _c("person_id", UUID, "客户编号", "Person ID", width=38),
                _c("platform", TEXT, "平台", "Platform", width=10),
                _c("display_name", TEXT, "昵称", "Display name", pii="name", width=14),
                _c("first_join_at", DATETIME, "首次进入（UTC）", "First joined (UTC)", width=20),
                _c("last_leave_at", DATETIME, "最后离开（UTC）", "Last left (UTC)", width=20),
                _c("minutes", INT, "观看分钟", "Minutes", width=8),
                _c("sessions", INT, "进入次数", "Sessions", width=8),
            )
        ),
    ),
    Sheet(
        "points_ledger",
        "points_ledger",
        "积分流水",
        _common(
            (
                _c("person_id", UUID, "客户编号", "Person ID", width=38, nullable=False),
                _c("registration_id", UUID, "报名编号", "Registration ID", width=38),
                _c("delta", INT, "积分变动", "Points", width=8, nullable=False),
                _c("kind", TEXT, "类别", "Kind", width=10),
                _c("reason", TEXT, "原因", "Reason", pii="free", width=24),
            )
        ),
    ),
    Sheet(
        "feedback",
        "feedback",
        "活动反馈",
        _common(
            (
                _c("event_id", UUID, "活动编号", "Event ID", width=38, nullable=False),
                _c("person_id", UUID, "客户编号", "Person ID", width=38),
                _c("registration_id", UUID, "报名编号", "Registration ID", width=38),
                _c("rating", INT, "评分（1–5）", "Rating (1–5)", width=8),
                _c("nps", INT, "推荐意愿（0–10）", "NPS answer (0–10)", width=8),
                _c("comment", TEXT, "评价", "Comment", pii="free", width=30),
                _c("source", TEXT, "来源", "Source", width=10),
            )
        ),
    ),
    # ---------------------------------------------------------------- version 2, issue 15
    Sheet(
        "fees",
        "fee_items",
        "活动费用（AA分摊）",
        _common(
            (
                _c("event_id", UUID, "活动编号", "Event ID", width=38, nullable=False),
                _c("label", TEXT, "费用项目", "Item", width=16, nullable=False),
                _c("amount_cents", INT, "金额（分）", "Amount (fen)", width=12, nullable=False),
                _c("split", TEXT, "分摊方式", "Split", width=9, nullable=False),
                _c("per_unit", BOOL, "按单价", "Priced per unit", width=8),
                _c("subsidy_cents", INT, "经销商补贴（分）", "Dealer subsidy (fen)", width=12),
                _c("position", INT, "顺序", "Position", width=7),
            )
        ),
        since=2,
    ),
    Sheet(
        "payments",
        "payments",
        "收付款流水",
        _common(
            (
                _c("nonce", UUID, "唯一码", "Nonce", width=38, nullable=False),
                _c("event_id", UUID, "活动编号", "Event ID", width=38, nullable=False),
                _c(
                    "registration_id", UUID, "报名编号", "Registration ID", width=38, nullable=False
                ),
                _c("person_id", UUID, "客户编号", "Person ID", width=38, nullable=False),
                _c("kind", TEXT, "类别", "Kind", width=10, nullable=False),
                _c(
                    "amount_cents",
                    INT,
                    "金额（分，退款为负）",
                    "Amount (fen, refunds < 0)",
                    width=12,
                    nullable=False,
                ),
                _c("method", TEXT, "支付方式", "Method", width=9),
                _c("reference", TEXT, "交易单号", "Reference", pii="free", width=16),
                _c("taken_by", TEXT, "经手人", "Taken by", width=10),
                _c("staff_id", UUID, "员工编号", "Staff ID", width=38),
                _c(
                    "taken_at",
                    DATETIME,
                    "收付时间（UTC）",
                    "Taken at (UTC)",
                    width=20,
                    nullable=False,
                ),
                _c("receipt_no", TEXT, "收据编号", "Receipt no.", width=16),
                _c("corrects_id", UUID, "更正的记录", "Corrects (payment ID)", width=38),
                _c("note", TEXT, "备注", "Note", pii="free", width=20),
            )
        ),
        since=2,
    ),
    Sheet(
        "partners",
        "partners",
        "异业合作商家",
        _common(
            (
                _c("name", TEXT, "商家名称", "Partner", width=20, nullable=False),
                _c("contact", TEXT, "联系方式", "Contact", pii="free", width=20),
                _c("city", TEXT, "城市", "City"),
            )
        ),
        since=2,
    ),
    Sheet(
        "perks",
        "perks",
        "积分权益",
        _common(
            (
                _c("partner_id", UUID, "商家编号", "Partner ID", width=38, nullable=False),
                _c("name", TEXT, "权益名称", "Perk", width=20, nullable=False),
                _c("points", INT, "所需积分", "Points", width=8, nullable=False),
                _c("stock", INT, "库存", "Stock", width=7, nullable=False),
                _c("issued", INT, "已兑出", "Issued", width=7),
                _c("min_tier", TEXT, "最低等级", "Min. tier", width=9),
                _c("per_person_limit", INT, "每人限兑", "Per-person limit", width=8),
                _c("valid_from", DATE, "开始日期", "Valid from", width=12),
                _c("valid_until", DATE, "截止日期", "Valid until", width=12),
                _c("active", BOOL, "上架", "Active", width=7),
            )
        ),
        since=2,
    ),
    Sheet(
        "redemptions",
        "vouchers",
        "积分兑换",
        _common(
            (
                _c("perk_id", UUID, "权益编号", "Perk ID", width=38, nullable=False),
                _c("person_id", UUID, "客户编号", "Person ID", width=38, nullable=False),
                _c("points", INT, "积分", "Points", width=8, nullable=False),
                _c("valid_until", DATETIME, "有效期至（UTC）", "Valid until (UTC)", width=20),
                _c("consumed_at", DATETIME, "核销时间（UTC）", "Consumed at (UTC)", width=20),
                _c("consumed_by", TEXT, "核销人", "Consumed by", width=10),
                _c("cancelled_at", DATETIME, "取消时间（UTC）", "Cancelled at (UTC)", width=20),
                _c("cancel_reason", TEXT, "取消原因", "Cancel reason", pii="free", width=20),
            )
        ),
        since=2,
    ),
)
# ---- issue 14 (questions): an event's questions and the answers to them, schema version 2
SHEETS += (
    Sheet(
        "questions",
        "questions",
        "报名问题",
        _common(
            (
                _c("event_id", UUID, "活动编号", "Event ID", width=38, nullable=False),
                _c("key", TEXT, "问题代码", "Key", width=12, nullable=False),
                _c("label", TEXT, "问题", "Question", width=24, nullable=False),
                _c("type", TEXT, "题型", "Type (text/number/yes_no/choice/multi/date)", width=9),
                _c("choices", TEXT, "选项（; 分隔）", "Options (; separated)", width=24),
                _c("required", BOOL, "必答", "Required", width=7),
                _c("at_signup", BOOL, "报名时问", "Asked at sign-up", width=8),
                _c("at_desk", BOOL, "签到时问", "Asked at the desk", width=8),
            )
        ),
        since=2,
    ),
    Sheet(
        "answers",
        "answers",
        "问题答案",
        _common(
            (
                _c("event_id", UUID, "活动编号", "Event ID", width=38, nullable=False),
                _c(
                    "registration_id", UUID, "报名编号", "Registration ID", width=38, nullable=False
                ),
                _c("question_id", UUID, "问题编号", "Question ID", width=38, nullable=False),
                _c("question_key", TEXT, "问题代码", "Question key", width=12, nullable=False),
                _c(
                    "value",
                    TEXT,
                    "答案（是/否为 yes/no，多选以 ; 分隔）",
                    "Answer (yes/no; multiple choice ; separated)",
                    pii="free",
                    width=20,
                ),
                _c("source", TEXT, "来源", "Source (signup/form/desk)", width=8),
            )
        ),
        since=2,
    ),
)
# ---- issue 18 (personal data): erasure tombstones, schema version 2
SHEETS += (
    Sheet(
        "erasures",
        "erasures",
        "个人信息删除",
        _common(
            (
                _c("person_id", UUID, "客户编号", "Person ID", width=38, nullable=False),
                _c(
                    "erased_at",
                    DATETIME,
                    "删除时间（UTC）",
                    "Erased at (UTC)",
                    width=20,
                    nullable=False,
                ),
                _c("kind", TEXT, "删除原因类别", "Kind (request / retention)", width=12),
            )
        ),
        since=2,
    ),
)
SHEET_BY_NAME: dict[str, Sheet] = {s.name: s for s in SHEETS}

# Which column of a sheet names the person a row belongs to, and which columns hold
# personal values: an erasure tombstone blanks those (hq merge, the HQ warehouse).
PERSON_KEY: dict[str, str] = {
    "people": "id",
    "vehicles": "person_id",
    "club_memberships": "person_id",
    "registrations": "person_id",
    "online_attendance": "person_id",
    "points_ledger": "person_id",
    "feedback": "person_id",
    "checkins": "registration_id",  # through the person's registrations
    "answers": "registration_id",  # issue 14: free-text answers are personal data
    "payments": "person_id",  # issue 15: reference, note
    "redemptions": "person_id",  # issue 15: cancel reason
}
ERASED_COLUMNS: dict[str, frozenset[str]] = {
    sheet.name: frozenset(c.key for c in sheet.columns if c.pii)
    | (frozenset({"vin", "plate"}) if sheet.name == "vehicles" else frozenset())
    for sheet in SHEETS
}


def erased_person_name(person_id: str) -> str:
    """The name an erased person's record carries (services/erasure.erased_name)."""
    return "ERASED-" + person_id.replace("-", "")[:8].upper()


def forget_row(sheet: Sheet, row: tuple[Any, ...]) -> tuple[Any, ...]:
    """`row` with its personal values blanked (the person was erased at the dealer)."""
    blank = ERASED_COLUMNS[sheet.name]
    out = list(row)
    for i, col in enumerate(sheet.columns):
        if col.key in blank:
            out[i] = None
    if sheet.name == "people":
        out[sheet.keys.index("name")] = erased_person_name(str(row[0]))
    return tuple(out)


def sheets_of(version: int) -> tuple[Sheet, ...]:
    """The sheets a file of this schema version has."""
    return tuple(s for s in SHEETS if s.since <= version)


# `_meta` rows: key → value, in this order (row 1 is the header "key", "value").
META_KEYS = (
    "schema_version",
    "dealer_code",
    "dealer_name",
    "dealer_region",
    "dealer_city",
    "app_version",
    "exported_at",
    "watermark",
    "since",
    "mode",
    "pii_mode",
    "checkins",
)


def check_sheet_rows(sheet: str, rows: int, code: str) -> None:
    """Refuse (RuleViolation `code`, nothing written) a sheet longer than Excel can hold:
    "sheet_rows_over_merge" or "sheet_rows_over_export" say what to do instead."""
    if rows > MAX_SHEET_ROWS:
        raise RuleViolation(code=code, sheet=sheet, rows=f"{rows:,}", limit=f"{MAX_SHEET_ROWS:,}")


def rows_meta_key(sheet: str) -> str:
    return f"rows.{sheet}"


def tie_order(sheet: Sheet) -> tuple[int, ...]:
    """The columns, by position, in the order HQ breaks equal updated_at (hq merge, the
    warehouse): the row's other values first, its personal ones (ERASED_COLUMNS) last — so
    that blanking an erased person's values (`forget_row`) never changes which of two copies
    wins, whatever the order the files come in."""
    blanked = ERASED_COLUMNS.get(sheet.name, frozenset())
    personal = {i for i, c in enumerate(sheet.columns) if c.pii or c.key in blanked}
    return (*(i for i in range(len(sheet.columns)) if i not in personal), *sorted(personal))


# --------------------------------------------------------------------------- values


def write_text(ws: Any, row: int, col: int, text: str, quoted: Any) -> None:
    """A string cell of an xlsxwriter sheet: the text as it is; formula-looking text (= + - @,
    tab, CR first) with the quote-prefix format `quoted`, so Excel keeps it text on edit."""
    if looks_like_formula(text):
        ws.write_string(row, col, text, quoted)
    else:
        ws.write_string(row, col, text)


def unquote_v1(text: str) -> str:
    """A version-1 text cell: the ' it put before formula-looking text is not content."""
    return text[1:] if text[:1] == "'" and text[1:2] in FORMULA_START else text


def mask_name(name: str | None) -> str:
    """张伟 → 张*; 欧阳娜娜 → 欧***; Li Na → L****."""
    if not name:
        return ""
    name = name.strip()
    return name[:1] + "*" * max(1, len(name) - 1)


def mask_handle(value: str | None) -> str:
    """An email or WeChat id: first character and the domain survive (w***@qq.com)."""
    if not value:
        return ""
    local, at, domain = value.partition("@")
    return (local[:1] + "***" + (at + domain if at else "")) if local else "***"


def scrub_free_text(text: str) -> str:
    """Free text someone typed may contain a phone number: mask every phone-like run."""
    return _PHONE_RUN.sub(lambda m: mask_phone("+" + re.sub(r"\D", "", m.group(0))), text)


def phone_hash(e164: str | None, key: bytes) -> str:
    """HMAC-SHA256 of the E.164 number with the HQ key, base32 (26 chars, lower case).

    Base32 rather than hex so that a hash never looks like an 11-digit phone number.
    """
    if not e164:
        return ""
    digest = hmac.new(key, e164.encode("ascii"), hashlib.sha256).digest()[:16]
    return base64.b32encode(digest).decode("ascii").rstrip("=").lower()


def pii_value(kind: str, value: Any, mode: str) -> Any:
    """The cell value of a PII column in `mode` (full keeps everything)."""
    if mode == "full" or value is None or value == "":
        return value
    if kind == "phone":
        return mask_phone(value)
    if kind == "name":
        return mask_name(value)
    if kind in ("email", "wechat"):
        return mask_handle(value)
    if kind == "free":
        return scrub_free_text(value)
    return value


def to_utc_naive(value: datetime) -> datetime:
    """Excel has no time zones: a UTC datetime without tzinfo (labels say UTC)."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value


# --------------------------------------------------------------------------- validation


class ContractError(FileUnreadable):
    """A workbook does not follow the contract; the message says what and where."""


@dataclass(frozen=True, slots=True)
class ParsedWorkbook:
    """A validated HQ workbook: its _meta and rows per sheet as tuples in contract order."""

    path: Path
    meta: dict[str, Any]
    rows: dict[str, list[tuple[Any, ...]]]

    @property
    def dealer_code(self) -> str:
        return str(self.meta.get("dealer_code") or "")

    @property
    def sheets(self) -> dict[str, list[dict[str, Any]]]:
        """Rows as dicts keyed by column key (convenient; `rows` is the fast form)."""
        return {
            name: [dict(zip(SHEET_BY_NAME[name].keys, r, strict=True)) for r in rows]
            for name, rows in self.rows.items()
        }


def _meta_value(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC)
    if value == "":
        return None
    return value


def _convert(col: Column, value: Any, at: tuple[str, int] | str, quoted: bool = False) -> Any:
    """A calamine cell → the column's Python value; ContractError when the type is wrong.
    `quoted`: the file is of a version that put a ' before formula-looking text."""
    where = at if isinstance(at, str) else f"{at[0]} row {at[1]}"
    if value == "" or value is None:
        if not col.nullable:
            raise ContractError(f"{where}: {col.key} is empty")
        return None
    t = col.type
    if t == TEXT:
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        if isinstance(value, (int, float)):
            return str(value)
        if not isinstance(value, str):
            raise ContractError(f"{where}: {col.key} should be text, found {value!r}")
        return unquote_v1(value) if quoted else value
    if t == UUID:
        if not isinstance(value, str) or not _UUID_RE.match(value):
            raise ContractError(f"{where}: {col.key} is not a UUID: {value!r}")
        return value
    if t == INT:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ContractError(f"{where}: {col.key} should be a whole number, found {value!r}")
        if isinstance(value, float):
            if not value.is_integer():
                raise ContractError(f"{where}: {col.key} should be a whole number, found {value}")
            return int(value)
        return value
    if t == NUMBER:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ContractError(f"{where}: {col.key} should be a number, found {value!r}")
        return float(value)
    if t == BOOL:
        if not isinstance(value, bool):
            raise ContractError(f"{where}: {col.key} should be TRUE/FALSE, found {value!r}")
        return value
    if t == DATETIME:
        if isinstance(value, datetime):
            return value.replace(tzinfo=UTC)
        if isinstance(value, date):
            return datetime(value.year, value.month, value.day, tzinfo=UTC)
        raise ContractError(f"{where}: {col.key} should be a date and time, found {value!r}")
    if t == DATE:
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        raise ContractError(f"{where}: {col.key} should be a date, found {value!r}")
    raise AssertionError(t)


def _row_converter(sheet: Sheet, index: list[int], quoted: bool = False) -> Any:
    """A generated function: one calamine row → the contract's typed tuple.

    Straight-line code per column with the common case first (the right type); anything
    else goes through `_convert`, which converts or raises a ContractError with the place.
    `quoted`: a version-1 file, whose formula-looking text carries a ' to strip.
    """
    ns: dict[str, Any] = {"conv": _convert, "COLS": sheet.columns, "UTC": UTC, "datetime": datetime,
                          "UUID_OK": _UUID_RE.match, "FORMULA": FORMULA_START}  # fmt: skip
    body = ["def convert(vals, where):"]
    out = []
    for k, (i, col) in enumerate(zip(index, sheet.columns, strict=True)):
        v = f"v{k}"
        body.append(f"    {v} = vals[{i}]")
        slow = f"conv(COLS[{k}], {v}, where, {quoted})"
        if col.type == TEXT and quoted:
            body.append(
                f'    if {v}.__class__ is not str or not {v} or ({v}[0] == "\'" and {v}[1:2] in FORMULA): {v} = {slow}'
            )
        elif col.type == TEXT:
            body.append(f"    if {v}.__class__ is not str or not {v}: {v} = {slow}")
        elif col.type == UUID:
            body.append(
                f"    if {v}.__class__ is not str or len({v}) != 36 or not UUID_OK({v}): {v} = {slow}"
            )
        elif col.type == INT:
            body.append(f"    if {v}.__class__ is float and {v}.is_integer(): {v} = int({v})")
            body.append(f"    elif {v}.__class__ is not int: {v} = {slow}")
        elif col.type == BOOL:
            body.append(f"    if {v}.__class__ is not bool: {v} = {slow}")
        elif col.type == DATETIME:
            body.append(
                f"    {v} = {v}.replace(tzinfo=UTC) if {v}.__class__ is datetime else {slow}"
            )
        else:
            body.append(f"    {v} = {slow}")
        out.append(v)
    body.append(f"    return ({', '.join(out)},)")
    exec(compile("\n".join(body), f"<hq_workbook:{sheet.name}>", "exec"), ns)
    return ns["convert"]


def iter_sheet_rows(
    wb: Any, sheet: Sheet, expected: int | None = None, version: int = SCHEMA_VERSION
) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """Validated rows of one sheet of an open CalamineWorkbook: (row number, typed tuple
    in the order of `sheet.columns`). `version`: the file's _meta schema_version (text of
    a version-1 file loses the ' it put before formula-looking text)."""
    try:
        sh = wb.get_sheet_by_name(sheet.name)
    except Exception as exc:
        raise ContractError(f"sheet {sheet.name!r} is missing or damaged ({exc})") from None
    rows = sh.iter_rows()
    header = next(rows, None)
    if header is None:
        raise ContractError(f"sheet {sheet.name!r} has no header row")
    header = [str(h).strip() for h in header]
    index: list[int] = []
    for col in sheet.columns:
        try:
            index.append(header.index(col.key))
        except ValueError:
            raise ContractError(f"sheet {sheet.name!r} lacks column {col.key!r}") from None
    convert = _row_converter(sheet, index, version in QUOTED_TEXT_VERSIONS)
    width = len(header)
    n = 0
    for n, values in enumerate(rows, start=1):
        if len(values) < width:
            values = list(values) + [""] * (width - len(values))
        yield n + 1, convert(values, (sheet.name, n + 1))
    if expected is not None and n != expected:
        raise ContractError(
            f"sheet {sheet.name!r} has {n} rows but _meta says {expected} (truncated or edited?)"
        )


def read_meta(wb: Any) -> dict[str, Any]:
    """The `_meta` sheet as a dict; ContractError when it is missing or not ours."""
    if META_SHEET not in wb.sheet_names:
        raise ContractError("no _meta sheet: not a Paddock HQ export")
    meta: dict[str, Any] = {}
    for values in wb.get_sheet_by_name(META_SHEET).iter_rows():
        if len(values) >= 2 and isinstance(values[0], str) and values[0]:
            meta[values[0]] = _meta_value(values[1])
    meta.pop("key", None)
    version = meta.get("schema_version")
    if version not in KNOWN_SCHEMA_VERSIONS:
        raise ContractError(
            f"schema_version {version!r} is not one this app knows "
            f"({', '.join(map(str, sorted(KNOWN_SCHEMA_VERSIONS)))}); update Paddock"
        )
    if version in QUOTED_TEXT_VERSIONS:
        meta = {k: unquote_v1(v) if isinstance(v, str) else v for k, v in meta.items()}
    if not meta.get("dealer_code"):
        raise ContractError("_meta has no dealer_code")
    for sheet in sheets_of(version):
        count = meta.get(rows_meta_key(sheet.name))
        if not isinstance(count, int) or count < 0:
            raise ContractError(f"_meta lacks the row count of sheet {sheet.name!r}")
    return meta


def check_file(path: Path) -> None:
    """Refuse (ContractError) a file that is not a complete, undamaged .xlsx: wrong type,
    truncated, a zip bomb, or a part whose CRC fails. Nothing is inflated before the size
    and ratio checks."""
    import zipfile
    import zlib

    from desktop_app.io.tables import MAX_RATIO, RATIO_FROM_BYTES

    try:
        with path.open("rb") as fh:
            head = fh.read(4)
    except OSError as exc:
        raise ContractError(f"cannot read the file ({exc.strerror})") from None
    if head != b"PK\x03\x04":
        raise ContractError("not an .xlsx workbook")
    try:
        with zipfile.ZipFile(path) as zf:
            unpacked = sum(i.file_size for i in zf.infolist())
            if unpacked > MAX_UNZIPPED_BYTES:
                raise ContractError(f"it unpacks to {unpacked / 1e9:.1f} GB; refused")
            # the same compression-ratio cap as the import reader, before anything inflates
            ratio = max(
                (
                    i.file_size / max(i.compress_size, 1)
                    for i in zf.infolist()
                    if i.file_size > RATIO_FROM_BYTES
                ),
                default=0.0,
            )
            if ratio > MAX_RATIO:
                raise ContractError(f"it unpacks {ratio:.0f} times its size; refused")
            # Every part's CRC: a byte changed in transit is caught here, not half-read.
            bad = zf.testzip()
        if bad is not None:
            raise ContractError(f"the file is damaged (part {bad} fails its checksum)")
    except (zipfile.BadZipFile, NotImplementedError):  # NotImplemented: a mangled version
        raise ContractError("the file is truncated or damaged (not a complete zip)") from None
    except (zlib.error, EOFError, OSError, ValueError) as exc:
        raise ContractError(f"the file is damaged ({first_line(exc)})") from None


def _damaged(exc: Exception) -> ContractError:
    return ContractError(f"the workbook is damaged ({first_line(exc)})")


class WorkbookReader:
    """An open, checked HQ workbook whose rows are read one sheet at a time (`rows`).

    Made by `open_workbook`. `rows(sheet)` validates every row as it goes and raises a
    ContractError (with the place) at the first bad cell, a row of another dealer, or a row
    count other than `_meta`'s — so a caller that streams rows into a transaction rolls it
    back and nothing of the file is kept.
    """

    def __init__(self, path: Path, wb: Any, meta: dict[str, Any]) -> None:
        self.path = path
        self.meta = meta
        self._wb = wb

    @property
    def dealer_code(self) -> str:
        return str(self.meta["dealer_code"])

    def rows(self, sheet: Sheet) -> Iterator[tuple[Any, ...]]:
        """The sheet's validated rows as typed tuples in the order of `sheet.columns`; none
        for a sheet added after the file's schema version (a version-1 file has no fees)."""
        version = self.meta["schema_version"]
        if sheet.since > version:
            return
        dealer = self.dealer_code
        d = sheet.keys.index("dealer_code")
        expected = self.meta[rows_meta_key(sheet.name)]
        try:
            for number, row in iter_sheet_rows(self._wb, sheet, expected, version):
                if row[d] != dealer:
                    raise ContractError(
                        f"{sheet.name} row {number}: a row of dealer {row[d]!r} "
                        f"in a file of dealer {dealer!r}"
                    )
                yield row
        except ContractError:
            raise
        except Exception as exc:  # calamine raises several types for damaged parts
            raise _damaged(exc) from None


@contextmanager
def open_workbook(path: Path) -> Iterator[WorkbookReader]:
    """Check the file (`check_file`) and its `_meta`, and give a reader of its sheets;
    ContractError when it is not a valid HQ workbook. Closed on the way out."""
    import python_calamine as pc

    path = Path(path)
    check_file(path)
    try:
        wb = pc.CalamineWorkbook.from_path(str(path))
    except Exception as exc:
        raise ContractError(f"the workbook cannot be opened ({first_line(exc)})") from None
    try:
        try:
            meta = read_meta(wb)
        except ContractError:
            raise
        except Exception as exc:
            raise _damaged(exc) from None
        yield WorkbookReader(path, wb, meta)
    finally:
        wb.close()


def read_workbook(path: Path) -> ParsedWorkbook:
    """Open, validate and load a whole HQ workbook, or raise ContractError (nothing partial)."""
    with open_workbook(path) as reader:
        rows = {sheet.name: list(reader.rows(sheet)) for sheet in SHEETS}
        return ParsedWorkbook(reader.path, reader.meta, rows)
