"""Importing people and their vehicles from a DMS/CRM export or any sheet, in one transaction.

Rules (docs/people-import.md says the same for users):
- Matching: by E.164 phone; else by VIN (→ the vehicle's owner); else, for a row without a
  known phone, by name + plate (a person of that name who has a vehicle with that plate);
  else, for a row with no phone at all, by name among people without a phone (whose WeChat
  or email do not contradict the row's). So re-importing a file changes nothing, even for
  phone-less people. A row whose phone belongs to one person and VIN to another is
  rejected (never guessed).
- Several rows of one person (same phone, different VINs) make one person with several
  vehicles. A row whose parsed values repeat an earlier row's exactly is a duplicate.
- Rejected (row number + reason): a phone that is present but impossible (10 digits,
  landline, masked, letters); a bad VIN; no name, phone or VIN; a vehicle-only row whose
  owner is unknown (no name or phone to create one). A bad plate, email, date or stage
  only drops that value, with a warning (the person is still worth having).
- Updates fill blank fields and never overwrite: a differing name/WeChat/email/plate is
  kept as it is and reported as a warning; notes are appended when new; tags are added;
  stage only moves forward (prospect → owner → member). A person with nothing new is
  "unchanged". Counts are people (a person with 2 rows is created once).
- Butler: staff matched by name; a name not on the staff list creates a staff member with
  the coordinator role (listed in the report as "staff_created"), so no assignment is lost.
- Model without VIN or plate: for owners/members a vehicle with just the model; for
  prospects the tag "意向:<model>" (the car they are interested in).
- The lead source column (来源) becomes a tag; Person.source is "import".
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import operator
import re
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import exc as sa_exc
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_app.domain.enums import StaffRole, Stage
from desktop_app.domain.errors import Cancelled, FileUnreadable, RuleViolation, ValidationError
from desktop_app.domain.ids import new_id
from desktop_app.domain.messages import field_label
from desktop_app.domain.roles import Permission
from desktop_app.domain.vehicle_ids import normalise_plate
from desktop_app.io import values as V
from desktop_app.io.mapping import FieldSpec, guess_mapping
from desktop_app.io.tables import Table, read_table
from desktop_app.services.auth import require
from desktop_app.services.common import audit
from desktop_app.services.consent import (
    CONSENT_ALIASES,
    CONSENT_KEY,
    CONSENT_KEYWORDS,
    consent_answer,
)
from desktop_app.services.import_report import REJECTED, Counted, RowCounts, Tally
from desktop_app.services.row_problems import Param, RowProblem
from desktop_app.services.row_problems import problem as _problem
from desktop_app.services.row_problems import shown as _shown
from desktop_app.services.row_problems import why as _why
from desktop_app.store.db import Database
from desktop_app.store.models import (
    ConsentChange,
    DealerProfile,
    Person,
    PersonTag,
    Staff,
    SyncOperation,
    Vehicle,
    reversed_digits,
    utcnow,
)

Progress = Callable[[int, int], None]
IsCancelled = Callable[[], bool]
PROGRESS_TOTAL = 1000  # import_people reports done/1000 across reading, matching, writing
PREVIEW_ROWS = 50
_CHUNK = 5000  # IN (...) lists: below SQLite's (32766) and PostgreSQL's (65535) limits
NAME_MAX, WECHAT_MAX, EMAIL_MAX, MODEL_MAX, TAG_MAX = 100, 100, 200, 100, 50
VALUE_MAX = 60  # a value quoted in a warning or kept in the notes

PEOPLE_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "name",
        (
            "姓名",
            "客户姓名",
            "客户名称",
            "车主姓名",
            "=车主",  # whole header only: 车主电话, 保有客户数, 客户编号 name no one
            "联系人",
            "会员姓名",
            "联系人姓名",
            "客户全称",
            "=客户",
            "name",
            "customer name",
            "full name",
            "=customer",
        ),
    ),
    FieldSpec(
        "phone",
        (
            "手机",
            "手机号",
            "手机号码",
            "联系电话",
            "电话",
            "联系方式",
            "联系人电话",
            "联系人手机",
            "车主手机",  # a mobile before a 电话 that may be a landline
            "客户手机",
            "车主电话",
            "客户电话",
            "移动电话",
            "mobile",
            "phone",
            "cell",
            "mobile phone",
            "phone number",
            "tel",
        ),
    ),
    # A second number column (手机2, 备用电话, or the other of 手机 and 电话): its mobile is
    # the phone when the first column has none; a second mobile is named in a warning.
    FieldSpec(
        "phone2",
        (
            "手机2",
            "手机号2",
            "手机号码2",
            "电话2",
            "联系电话2",
            "联系方式2",
            "备用电话",
            "备用手机",
            "备用手机号",
            "备用号码",
            "备用联系方式",
            "其他电话",
            "其他手机",
            "其他联系方式",
            "第二联系电话",
            "第二手机",
            "家庭电话",
            "办公电话",
            "单位电话",
            "固定电话",
            "座机",
            "phone 2",
            "mobile 2",
            "other phone",
            "alternate phone",
            "secondary phone",
            "home phone",
            "work phone",
        ),
    ),
    FieldSpec("wechat", ("微信", "微信号", "wechat", "wechat id", "weixin")),
    FieldSpec("email", ("邮箱", "电子邮箱", "电子邮件", "email", "e-mail", "mail")),
    FieldSpec(
        "model",
        (
            "车系",  # 帕萨特; a DMS's 车型 beside it is the trim (2023款 330TSI 精英版)
            "车型",
            "车型名称",
            "车辆型号",
            "意向车系",
            "意向车型",
            "购买车型",
            "品牌车型",
            "车款",
            "model",
            "vehicle model",
        ),
    ),
    FieldSpec(
        "vin", ("vin", "vin码", "车架号", "车辆识别代号", "车辆识别号", "底盘号", "车架号码")
    ),
    FieldSpec(
        "plate", ("车牌", "车牌号", "车牌号码", "牌照", "plate", "plate number", "license plate")
    ),
    FieldSpec(
        "purchase_date",
        (
            "购车日期",
            "购买日期",
            "开票日期",
            "交车日期",
            "购车时间",
            "交车时间",
            "开票时间",
            "销售日期",
            "成交日期",
            "交付日期",
            "提车日期",
            "提车时间",
            "purchase date",
            "delivery date",
        ),
    ),
    FieldSpec(
        "butler",
        (
            "顾问",
            "销售顾问",
            "所属销售",
            "归属销售",
            "跟进销售",
            "销售人员",
            "销售员",
            "=销售",  # not 销售日期 or 销售价格
            "专属顾问",
            "管家",
            "专属管家",
            "服务顾问",
            "客户经理",
            "所属顾问",
            "跟进顾问",
            "归属顾问",
            "负责人",
            "跟进人",
            "butler",
            "advisor",
            "sales advisor",
            "consultant",
        ),
    ),
    FieldSpec(
        "stage",
        ("客户类型", "客户阶段", "阶段", "客户状态", "=类型", "stage", "customer type"),
    ),
    FieldSpec("tags", ("标签", "客户标签", "tags", "tag", "labels")),
    FieldSpec(
        "notes", ("备注", "说明", "备注信息", "notes", "note", "remark", "remarks", "comment")
    ),
    FieldSpec("birthday", ("生日", "出生日期", "出生年月", "birthday", "date of birth", "dob")),
    FieldSpec(
        "source", ("来源", "线索来源", "客户来源", "渠道", "source", "lead source", "channel")
    ),
)
# issue 18: a consent column (是否同意接收营销信息…): a yes records marketing consent
PEOPLE_FIELDS += (FieldSpec(CONSENT_KEY, CONSENT_ALIASES, keywords=CONSENT_KEYWORDS),)
FIELD_KEYS = tuple(f.key for f in PEOPLE_FIELDS)
_PHONE_FIELD = next(f for f in PEOPLE_FIELDS if f.key == "phone")
KEY_FIELDS = ("name", "phone", "vin")

# 客户类型 → stage. Unknown words are a warning, not a rejection.
STAGE_WORDS: dict[str, Stage] = {
    **dict.fromkeys(
        (
            "车主",
            "保有客户",
            "保客",
            "老客户",
            "已购客户",
            "成交客户",
            "基盘客户",
            "owner",
            "customer",
        ),
        Stage.OWNER,
    ),
    **dict.fromkeys(
        ("潜客", "意向客户", "潜在客户", "线索", "新客户", "未成交", "prospect", "lead"),
        Stage.PROSPECT,
    ),
    **dict.fromkeys(("会员", "车友会会员", "俱乐部会员", "member", "vip"), Stage.MEMBER),
}
_STAGE_RANK = {Stage.PROSPECT: 0, Stage.OWNER: 1, Stage.MEMBER: 2}


# --------------------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class PreviewRow:
    """One parsed row for the wizard: `values` are normalised texts per field key
    (phone as E.164, VIN upper case, dates ISO); `status` is ok, rejected or duplicate."""

    row: int
    values: dict[str, str | None]
    status: str
    problems: tuple[RowProblem, ...] = ()
    warnings: tuple[RowProblem, ...] = ()
    duplicate_of: int | None = None


@dataclass(frozen=True, slots=True)
class ImportPreview:
    """What the import would read: headers, the guessed (or given) mapping, the first rows
    parsed, and counts over the whole file (`rows`, `ready`, `rejected`, `duplicates`,
    `warnings`). It does not look at the database: use import_people(dry_run=True) for
    created/updated/unchanged."""

    file: str
    kind: str
    sheet: str | None
    sheets: tuple[str, ...]
    header_row: int
    headers: tuple[str, ...]
    mapping: dict[str, int]  # field key → 0-based column index
    rows: tuple[PreviewRow, ...]
    counts: dict[str, int]
    encoding: str | None = None
    missing: tuple[str, ...] = ()  # key fields (name/phone/vin) with no column

    def mapped_header(self, key: str) -> str | None:
        col = self.mapping.get(key)
        return None if col is None else (self.headers[col] or f"#{col + 1}")

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "kind": self.kind,
            "sheet": self.sheet,
            "sheets": list(self.sheets),
            "header_row": self.header_row,
            "headers": list(self.headers),
            "mapping": {k: self.mapped_header(k) for k in self.mapping},
            "counts": self.counts,
            "items": [
                {
                    "row": r.row,
                    "status": r.status,
                    "values": r.values,
                    "problems": [p.to_json() for p in r.problems],
                    "warnings": [w.to_json() for w in r.warnings],
                }
                for r in self.rows
            ],
        }


# Rows beyond created / updated / unchanged / duplicates / rejected: a row of a person
# already in the file that brings another vehicle.
EXTRA_BUCKETS = ("additional_cars",)


@dataclass(frozen=True, slots=True)
class ImportReport(Counted):
    """DESIGN.md's import report (services/import_report): each row read in one bucket —
    a person's first row created / updated / unchanged, a later row of the same person an
    additional car (it brings a vehicle) or a duplicate (naming that first row), or
    rejected — so the buckets add up to `rows`."""

    counts: RowCounts
    vehicles_created: int = 0
    vehicles_updated: int = 0
    staff_created: tuple[str, ...] = ()
    file: str = ""
    sheet: str | None = None
    mapping: dict[str, str] = field(default_factory=dict)
    dry_run: bool = False

    @property
    def additional_cars(self) -> int:
        return self.counts["additional_cars"]

    def to_json(self) -> dict[str, Any]:
        return {
            **self.counts.to_json(),
            "vehicles_created": self.vehicles_created,
            "vehicles_updated": self.vehicles_updated,
            "staff_created": list(self.staff_created),
            "file": self.file,
            "sheet": self.sheet,
            "mapping": self.mapping,
            "dry_run": self.dry_run,
        }


# --------------------------------------------------------------------------- parsing rows


@dataclass(slots=True)
class _Parsed:
    row: int
    name: str | None = None
    phone: str | None = None
    wechat: str | None = None
    email: str | None = None
    stage: Stage | None = None
    tags: tuple[str, ...] = ()
    notes: str | None = None
    birthday: date | None = None
    butler: str | None = None
    vin: str | None = None
    plate: str | None = None
    model: str | None = None
    purchase_date: date | None = None
    consent: bool | None = None  # the consent column's answer (None: blank or no column)
    warnings: list[RowProblem] = field(default_factory=list)
    # values left out but kept in the notes for staff to check: (field key, as written)
    unverified: list[tuple[str, str]] = field(default_factory=list)
    key_problem: RowProblem | None = None  # why a value that could identify it was unusable

    @property
    def has_car(self) -> bool:
        """The row names a car: a VIN or plate, or a VIN that could not be used."""
        return bool(
            self.vin
            or self.plate
            or (self.unverified and any(k == "vin" for k, _ in self.unverified))
        )

    def display(self) -> dict[str, str | None]:
        def s(v: object) -> str | None:
            if v is None or v == ():
                return None
            if isinstance(v, tuple):
                return ", ".join(v)
            return v.isoformat() if isinstance(v, date) else str(v)

        return {
            "name": s(self.name), "phone": s(self.phone), "wechat": s(self.wechat),
            "email": s(self.email), "stage": s(self.stage), "tags": s(self.tags),
            "notes": s(self.notes), "birthday": s(self.birthday), "butler": s(self.butler),
            "vin": s(self.vin), "plate": s(self.plate), "model": s(self.model),
            "purchase_date": s(self.purchase_date), CONSENT_KEY: s(self.consent),
        }  # fmt: skip


def _txt(value: object) -> str | None:
    """Cell text (read_table already normalised it), None for empty markers."""
    if value is None:
        return None
    if isinstance(value, str):
        return None if value in V.EMPTY_MARKERS else value
    return V.text_or_none(value)


_TAG_SPLIT = re.compile(r"[\s,，;；、|┋/]+")


def _split_tags(text: str | None) -> tuple[str, ...]:
    """A tags cell's text (_txt) as tags, each once."""
    if not text:
        return ()
    return tuple(dict.fromkeys(t[:TAG_MAX] for t in _TAG_SPLIT.split(text) if t))


def _limited(p: _Parsed, key: str, text: str | None, limit: int) -> str | None:
    """A cell's text (_txt) cut to `limit` characters, with a warning when it was longer."""
    if text is not None and len(text) > limit:
        p.warnings.append(_problem(p.row, "import_cut", key, text[:40] + "…", max=limit))
        return text[:limit]
    return text


class _Reject(Exception):
    def __init__(self, key: str, code: str, value: str | None = None, **params: Param) -> None:
        super().__init__(code)
        self.key, self.code, self.value, self.params = key, code, value, params
        self.made: RowProblem | None = None

    @classmethod
    def of(cls, made: RowProblem) -> _Reject:
        rej = cls(made.field or "", made.code or "")
        rej.made = made
        return rej

    def problem(self, row: int) -> RowProblem:
        if self.made is not None:
            return self.made
        return _problem(row, self.code, self.key, self.value, **self.params)


def _dropped(row: int, key: str, raw: object, exc: ValueError) -> RowProblem:
    return _problem(row, "import_dropped", key, _shown(raw), detail=_why(exc, raw))


_NO_DATE_BEFORE = date(1901, 1, 1)  # 1900-01-01 is a system default, not a purchase or birth


_NUMBER, _CELLS = operator.attrgetter("number"), operator.attrgetter("cells")
_ROW = operator.itemgetter(0)
# What _parse_row takes, in its order: the mapped column of each field, those in
# _TEXT_FIELDS as text (_txt).
_ROW_FIELDS = (
    "phone", "phone2", "vin", "name", "plate", "wechat", "email", "birthday",
    "purchase_date", "stage", "model", "butler", "notes", "tags", "source", CONSENT_KEY,
)  # fmt: skip
_TEXT_FIELDS = frozenset({"plate", "wechat", "stage", "model", "notes", "tags", "source"})
_PLAIN_TYPES = {str, type(None)}


def _columns(table: Table, cols: Mapping[str, int]) -> list[Sequence[object]]:
    """The cells _parse_row takes for each of _ROW_FIELDS, a column each (all None for a
    field without a column): 暂无, 未上牌… say there is nothing there, and the fields in
    _TEXT_FIELDS are their text (_txt). A column a step at a time: a column with none of
    those words or markers (most of them) is taken as it is."""
    rows = table.rows
    columns = list(itertools.zip_longest(*map(_CELLS, rows)))
    blank = (None,) * len(rows)
    out: list[Sequence[object]] = []
    for key in _ROW_FIELDS:
        col = cols.get(key)
        cells: Sequence[object] = columns[col] if col is not None and col < len(columns) else blank
        if not V.NONE_WORDS.isdisjoint(cells):
            cells = [None if c.__class__ is str and c in V.NONE_WORDS else c for c in cells]
        if key in _TEXT_FIELDS and not (
            V.EMPTY_MARKERS.isdisjoint(cells) and set(map(type, cells)) <= _PLAIN_TYPES
        ):
            cells = list(map(_txt, cells))
        out.append(cells)
    return out


def _second_phone(raw: object) -> str | None:
    """The second column's mobile; None when it holds none (a landline or office number
    there is normal, and never a reason to refuse the row)."""
    if raw is None:
        return None
    try:
        return V.parse_phone_cell(raw)[0]
    except ValueError:
        return None


def _phone(p: _Parsed, raw: object, raw2: object) -> None:
    """The row's phone from the phone column, else the second number column.

    The first column's mobile wins; a different mobile in the second column is named in a
    warning (one person has one phone here). When the first column holds no mobile (empty,
    or a landline) the second column's mobile is used, with a warning if the first said
    something. When neither has one, the person comes in without a phone: the number as
    written is kept in the notes for staff to check, with a warning (the row is rejected
    only when nothing else identifies the person)."""
    number = p.row
    second = _second_phone(raw2)
    if raw is None:
        p.phone = second
        return
    try:
        p.phone, more = V.parse_phone_cell(raw)
    except ValueError as exc:
        if second is None:
            _unverified(p, "phone", raw, "import_phone_unverified", exc)
            return
        p.phone = second
        p.warnings.append(
            _problem(number, "import_phone_second", "phone", _shown(raw),
                     first=_shown(raw), phone=_shown(raw2), detail=_why(exc, raw))
        )  # fmt: skip
        return
    if more:
        p.warnings.append(
            _problem(number, "import_phone_more", "phone", _shown(raw),
                     phone=p.phone, others=", ".join(more))
        )  # fmt: skip
    if second is not None and second != p.phone and _shown(raw2) not in more:
        p.warnings.append(
            _problem(number, "import_phone_other", "phone2", _shown(raw2),
                     phone=p.phone, other=_shown(raw2))
        )  # fmt: skip


def _unverified(p: _Parsed, key: str, raw: object, code: str, exc: ValueError) -> None:
    """A phone or VIN that cannot be used: left out, kept in the notes as written (staff
    need it to call the customer or fix the VIN), with a warning; also the reason the row
    is rejected if nothing else identifies the person."""
    text = _shown(raw)[:VALUE_MAX]
    p.unverified.append((key, text))
    p.warnings.append(_problem(p.row, code, key, text, detail=_why(exc, raw)))
    if p.key_problem is None:
        p.key_problem = _problem(p.row, f"import_{key}", key, text, detail=_why(exc, raw))


def unverified_note(key: str, value: str) -> str:
    """The notes line keeping a value that could not be used ("车架号待核实 / VIN to check:
    …"): in both languages, so it reads the same to every desk and a re-import finds it."""
    return f"{field_label(key, 'zh')}待核实 / {field_label(key, 'en')} to check: {value}"


def _vin(p: _Parsed, raw_vin: object) -> None:
    if raw_vin is None:
        return
    try:
        p.vin = V.parse_vin(raw_vin)
    except ValueError as exc:
        _unverified(p, "vin", raw_vin, "import_vin_unverified", exc)
        return
    if p.vin is not None and p.vin != raw_vin and p.vin != V.compact_vin(raw_vin):
        p.warnings.append(
            _problem(p.row, "import_vin_fixed", "vin", _shown(raw_vin),
                     raw=_shown(raw_vin), vin=p.vin)
        )  # fmt: skip


def _parse_row(
    number: int,
    phone: object,
    phone2: object,
    vin: object,
    name: object,
    plate: str | None,
    wechat: str | None,
    email: object,
    birthday: object,
    purchase_date: object,
    stage: str | None,
    model: str | None,
    butler: object,
    notes: str | None,
    tags: str | None,
    source: str | None,
    consent: object,
) -> _Parsed:
    """Parse one row, given its cells of _ROW_FIELDS as _columns gives them; raises _Reject
    when nothing identifies a person (no name, no usable phone, no usable VIN). Any other
    bad value is left out with a warning."""
    p = _Parsed(number)
    _phone(p, phone, phone2)
    _vin(p, vin)
    p.name = _limited(p, "name", _txt(V.clean_name(name)), NAME_MAX)
    if p.name is None and p.phone is None and p.vin is None:
        if p.key_problem is not None:
            raise _Reject.of(p.key_problem)
        raise _Reject("name", "import_no_key")
    if plate is not None:
        try:
            p.plate = normalise_plate(plate)
        except ValueError as exc:
            p.warnings.append(_dropped(number, "plate", plate, exc))
    p.wechat = _limited(p, "wechat", wechat, WECHAT_MAX)
    if email is not None:
        try:
            p.email = V.parse_email(email)
        except ValueError as exc:
            p.warnings.append(_dropped(number, "email", email, exc))
        if p.email and len(p.email) > EMAIL_MAX:
            p.email = None
    if birthday is not None:
        p.birthday = _day(p, "birthday", birthday)
    if purchase_date is not None:
        p.purchase_date = _day(p, "purchase_date", purchase_date)
    if stage is not None:
        p.stage = STAGE_WORDS.get(stage.lower())
        if p.stage is None:
            p.warnings.append(
                _problem(number, "import_stage_unknown", "stage", stage, stage=repr(stage))
            )
    p.model = _limited(p, "model", model, MODEL_MAX)
    p.butler = _limited(p, "butler", _txt(V.clean_name(butler)), NAME_MAX)
    p.notes = notes or None
    if p.unverified:
        lines = [p.notes, *(unverified_note(k, v) for k, v in p.unverified)]
        p.notes = "\n".join(n for n in lines if n) or None
    p.tags = _split_tags(tags)  # without repeats
    if source:
        p.tags = tuple(dict.fromkeys((*p.tags, source[:TAG_MAX])))
    if consent is not None:
        p.consent = consent_answer(consent)
        if p.consent is None and _txt(consent) is not None:
            p.warnings.append(
                _problem(number, "import_consent_unclear", CONSENT_KEY, _shown(consent))
            )
    return p


def _day(p: _Parsed, key: str, raw: object) -> date | None:
    """A date cell's day; left out with a warning when it is not a date, and without one
    when it is a system's "no date" (1900-01-01 and before)."""
    try:
        day = V.parse_date(raw)
    except ValueError as exc:
        p.warnings.append(_dropped(p.row, key, raw, exc))
        return None
    return day if day is None or day >= _NO_DATE_BEFORE else None


def _resolve_mapping(
    table: Table, mapping: Mapping[str, int | str | None] | None
) -> dict[str, int]:
    unknown = sorted(set(mapping or {}) - set(FIELD_KEYS))
    if unknown:
        raise ValidationError(
            "mapping", "bad_choice", choices=", ".join(FIELD_KEYS) + f" (not {', '.join(unknown)})"
        )
    try:
        cols = guess_mapping(table.headers, PEOPLE_FIELDS, mapping)
    except ValueError as exc:
        raise ValidationError("mapping", "bad_value", reason=str(exc)) from None
    if "phone" in cols and "phone2" not in cols and "phone2" not in (mapping or {}):
        # two columns named like a phone (手机 and 电话): the one left over is the second
        taken = set(cols.values())
        rest = [h if i not in taken else "" for i, h in enumerate(table.headers)]
        extra = guess_mapping(rest, (_PHONE_FIELD,))
        if "phone" in extra:
            cols["phone2"] = extra["phone"]
    return cols


def _read(
    path: str | Path,
    sheet: str | None,
    progress: Progress | None = None,
    is_cancelled: IsCancelled | None = None,
    span: tuple[int, int] = (0, PROGRESS_TOTAL),
) -> Table:
    scaled = None
    if progress is not None:
        lo, hi = span

        def scaled(done: int, total: int) -> None:
            progress(lo + (hi - lo) * done // max(total, 1), PROGRESS_TOTAL)

    return read_table(
        path, sheet=sheet, fields=PEOPLE_FIELDS, progress=scaled, is_cancelled=is_cancelled
    )


def _parse_all(table: Table, cols: Mapping[str, int]) -> tuple[list[_Parsed], list[RowProblem]]:
    """(rows to apply, rows rejected before matching: nothing identifies a person)."""
    good: list[_Parsed] = []
    rejected: list[RowProblem] = []
    for cells in zip(map(_NUMBER, table.rows), *_columns(table, cols), strict=True):
        try:
            good.append(_parse_row(*cells))
        except _Reject as rej:
            rejected.append(rej.problem(cells[0]))
    return good, rejected


# --------------------------------------------------------------------------- preview


def preview(
    db: Database | None,
    path: str | Path,
    mapping: Mapping[str, int | str | None] | None = None,
    *,
    sheet: str | None = None,
    limit: int = PREVIEW_ROWS,
    progress: Progress | None = None,
    is_cancelled: IsCancelled | None = None,
) -> ImportPreview:
    """Read `path`, guess the column mapping (user `mapping` overrides: field key → column
    index, header name or letter; None unmaps), and parse every row without touching the
    database: which rows would be rejected, which repeat a person already in the file
    (duplicates, additional cars), with the same rules the import applies. Raises
    FileUnreadable (file) or ValidationError (a bad mapping override).

    `db` is accepted for symmetry with import_people and future use (it is not read).
    progress(done, total) / is_cancelled(): as for import_people (reading is most of it).
    """
    table = _read(path, sheet, progress, is_cancelled)
    cols = _resolve_mapping(table, mapping)
    good, rejected = _parse_all(table, cols)
    tally = Tally(*EXTRA_BUCKETS, linking=EXTRA_BUCKETS)
    for problem in rejected:
        tally.reject(problem)
    applier = _Apply(_State(), tally)
    applier.rows(good)
    applier.place(set())
    if progress is not None:
        progress(PROGRESS_TOTAL, PROGRESS_TOTAL)
    firsts = set(applier.first_rows.values())
    by_row = {p.row: p for p in good}
    why_rejected = {r.row: r for r in tally.rejected}
    rows: list[PreviewRow] = []
    for r in table.rows[:limit]:
        bucket = tally.bucket_of(r.number)
        p = by_row.get(r.number)
        if bucket == REJECTED or p is None:
            values = {k: V.text_or_none(r.get(c)) for k, c in cols.items()}
            problems = (why_rejected[r.number],) if r.number in why_rejected else ()
            rows.append(PreviewRow(r.number, values, "rejected", problems))
            continue
        status = "ok" if r.number in firsts else _PREVIEW_STATUS[bucket or "duplicates"]
        of = tally.linked_to(r.number)
        rows.append(PreviewRow(r.number, p.display(), status, (), tuple(p.warnings), of))
    counts = {
        "rows": len(table.rows),
        "ready": len(firsts),
        "rejected": len(tally.rejected),
        "duplicates": sum(1 for p in good if tally.bucket_of(p.row) == "duplicates"),
        "additional_cars": sum(1 for p in good if tally.bucket_of(p.row) == "additional_cars"),
        "warnings": len(tally.warnings),
    }
    return ImportPreview(
        file=str(path),
        kind=table.kind,
        sheet=table.sheet,
        sheets=table.sheets,
        header_row=table.header_row,
        headers=table.headers,
        mapping=cols,
        rows=tuple(rows),
        counts=counts,
        encoding=table.encoding,
        missing=tuple(k for k in KEY_FIELDS if k not in cols),
    )


_PREVIEW_STATUS = {"duplicates": "duplicate", "additional_cars": "additional_car"}


# --------------------------------------------------------------------------- matching state


@dataclass(slots=True)
class _P:
    """A person as the import sees it (existing or new in this import)."""

    id: uuid.UUID
    name: str
    phone: str | None
    wechat: str | None
    email: str | None
    stage: str
    butler_id: uuid.UUID | None
    birthday: date | None
    notes: str
    tags: set[str]
    new: bool = False
    changed: set[str] = field(default_factory=set)
    new_tags: list[str] = field(default_factory=list)
    vehicles: list[_Veh] = field(default_factory=list)
    first_row: int = 0
    consent_marketing_at: datetime | None = None  # set: has marketing consent
    consent_new: bool = False  # given by this import (a history row is written)


@dataclass(slots=True)
class _Veh:
    id: uuid.UUID
    person_id: uuid.UUID
    vin: str | None
    plate: str | None
    model: str | None
    purchase_date: date | None
    new: bool = False
    changed: set[str] = field(default_factory=set)


class _State:
    def __init__(self) -> None:
        self.people: dict[uuid.UUID, _P] = {}
        self.by_phone: dict[str, uuid.UUID] = {}
        self.by_vin: dict[str, _Veh] = {}
        self.by_name: dict[str, list[uuid.UUID]] = {}
        self.phoneless: dict[str, list[uuid.UUID]] = {}  # by name, people without a phone
        self.dead_phones: set[str] = set()  # phones of deleted people (unique index!)
        self.dead_vins: set[str] = set()
        self.staff: dict[str, uuid.UUID] = {}
        self.new_staff: dict[str, uuid.UUID] = {}
        self.source: str | None = None  # the file's name (consent history's reference)

    def add_person(self, p: _P) -> None:
        self.people[p.id] = p
        if p.phone:
            self.by_phone[p.phone] = p.id
        named = self.by_name.get(p.name)
        if named is None:
            self.by_name[p.name] = [p.id]
        else:
            named.append(p.id)
        if not p.phone:
            self.phoneless.setdefault(p.name, []).append(p.id)

    def add_vehicle(self, v: _Veh) -> None:
        person = self.people.get(v.person_id)
        if person is not None:
            person.vehicles.append(v)
        if v.vin:
            self.by_vin[v.vin] = v


def _chunks(items: Iterable[Any], size: int = _CHUNK) -> Iterable[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


_PERSON_COLS = (
    Person.id, Person.name, Person.phone, Person.wechat, Person.email, Person.stage,
    Person.butler_id, Person.birthday, Person.notes, Person.deleted_at, Person.merged_into_id,
    Person.consent_marketing_at,
)  # fmt: skip


SCAN_FACTOR = 3  # a table at most this many times the file's rows is read whole


def _load_state(s: Session, rows: list[_Parsed]) -> _State:
    """Load what the file can touch, set-based: people with its phones or names, vehicles
    with its VINs, and those people's vehicles and tags. When the database holds few
    people compared with the file (a first import), one scan of each table is cheaper
    than thousands of IN (...) probes."""
    total = s.scalar(select(func.count()).select_from(Person)) or 0
    if total <= SCAN_FACTOR * max(len(rows), 1):
        persons = list(s.execute(select(*_PERSON_COLS)))
        vehicles = list(s.execute(select(*_VEHICLE_COLS)))
        tags = list(s.execute(select(PersonTag.person_id, PersonTag.tag)))
        return _build_state(s, persons, vehicles, tags)
    phones = {p.phone for p in rows if p.phone}
    vins = {p.vin for p in rows if p.vin}
    names = {p.name for p in rows if p.name and (not p.phone or p.plate)}
    persons = []
    for batch in _chunks(phones):
        persons += s.execute(select(*_PERSON_COLS).where(Person.phone.in_(batch)))
    vin_rows = []
    for batch in _chunks(vins):
        vin_rows += s.execute(select(*_VEHICLE_COLS).where(Vehicle.vin.in_(batch)))
    for batch in _chunks(names):
        persons += s.execute(select(*_PERSON_COLS).where(Person.name.in_(batch)))
    known = {r.id for r in persons}
    wanted = {v.person_id for v in vin_rows if v.deleted_at is None}
    wanted |= {r.merged_into_id for r in persons if r.merged_into_id is not None}
    for batch in _chunks(wanted - known):
        persons += s.execute(select(*_PERSON_COLS).where(Person.id.in_(batch)))
    live = [r.id for r in persons if r.deleted_at is None]
    vehicles, tags = list(vin_rows), []
    for batch in _chunks(live):
        vehicles += s.execute(select(*_VEHICLE_COLS).where(Vehicle.person_id.in_(batch)))
        tags += s.execute(
            select(PersonTag.person_id, PersonTag.tag).where(PersonTag.person_id.in_(batch))
        )
    return _build_state(s, persons, vehicles, tags)


_VEHICLE_COLS = (
    Vehicle.id, Vehicle.person_id, Vehicle.vin, Vehicle.plate, Vehicle.model,
    Vehicle.purchase_date, Vehicle.deleted_at,
)  # fmt: skip


def _build_state(
    s: Session, persons: Sequence[Any], vehicles: Sequence[Any], tags: Sequence[Any]
) -> _State:
    st = _State()
    dead: list[Any] = []
    for r in {r.id: r for r in persons}.values():
        if r.deleted_at is not None:
            dead.append(r)
            continue
        st.add_person(
            _P(r.id, r.name, r.phone, r.wechat, r.email, r.stage, r.butler_id, r.birthday,
               r.notes or "", set(), consent_marketing_at=r.consent_marketing_at)
        )  # fmt: skip
    for r in dead:
        if not r.phone:
            continue
        if r.merged_into_id in st.people:
            # A merged person's phone leads to the survivor (the unique index may still
            # hold it on the merged row, so it must never be inserted again).
            st.by_phone.setdefault(r.phone, r.merged_into_id)
        else:
            st.dead_phones.add(r.phone)
    seen: set[uuid.UUID] = set()
    for v in vehicles:
        if v.id in seen:
            continue
        seen.add(v.id)
        if v.deleted_at is not None:
            if v.vin:
                st.dead_vins.add(v.vin)
        elif v.person_id in st.people:
            st.add_vehicle(_Veh(v.id, v.person_id, v.vin, v.plate, v.model, v.purchase_date))
        elif v.vin:  # a live car of a deleted person: its VIN is taken all the same
            st.dead_vins.add(v.vin)
    for t in tags:
        if t.person_id in st.people:
            st.people[t.person_id].tags.add(t.tag)
    for staff in s.execute(select(Staff.id, Staff.name).where(Staff.deleted_at.is_(None))):
        st.staff.setdefault(staff.name.strip(), staff.id)
    return st


# --------------------------------------------------------------------------- applying rows


class _Apply:
    """Applies parsed rows to the in-memory state (nothing is written until `_flush`), then
    places each row in its bucket (`place`).

    Rows that carry a phone or VIN are applied first, the rows that give only a name (and
    perhaps a plate) after them: who a person is never depends on the order of the rows,
    so reading a file again finds everyone it found the first time. A person's rows are
    then placed in file order: the first created, updated or unchanged; a later one an
    additional car when it brings a vehicle no earlier row of that person named, else a
    duplicate — both naming the first row."""

    def __init__(self, st: _State, tally: Tally) -> None:
        self.st = st
        self.tally = tally
        self.applied: list[tuple[int, _P, _Veh | None]] = []  # (row, person, car)
        # name → the person a row of this file without a phone was: the rows of one file
        # that give the same name and no phone are one person
        self.named_without_phone: dict[str, _P] = {}

    def rows(self, parsed: Iterable[_Parsed], tick: Progress | None = None) -> None:
        ordered = sorted(parsed, key=lambda p: not (p.phone or p.vin))  # stable: file order
        total = len(ordered)
        every = max(total // 20, 1)  # a progress tick (and cancel check) each 5 %
        for i, p in enumerate(ordered):
            if tick is not None and not i % every:
                tick(i, total)
            self.row(p)

    def row(self, p: _Parsed) -> None:
        try:
            person, car = self._apply(p)
        except _Reject as rej:
            self.tally.reject(rej.problem(p.row))
            return
        if p.warnings:
            self.tally.warn(*p.warnings)
        self.applied.append((p.row, person, car))

    @property
    def first_rows(self) -> dict[uuid.UUID, int]:
        """Person → the first row of the file naming them."""
        firsts: dict[uuid.UUID, int] = {}
        for row, person, _car in sorted(self.applied, key=_ROW):
            firsts.setdefault(person.id, row)
        return firsts

    def place(self, touched: set[uuid.UUID]) -> None:
        """Each row in its bucket (the class doc); `touched`: known people this import
        changed (their first row is updated, else unchanged)."""
        # by identity: one _P per person, one _Veh per car (a UUID hashes in Python)
        firsts: dict[int, int] = {}
        cars: dict[int, set[int]] = {}
        for row, person, car in sorted(self.applied, key=_ROW):
            named = cars.setdefault(id(person), set())
            another = car is not None and id(car) not in named
            if car is not None:
                named.add(id(car))
            first = firsts.setdefault(id(person), row)
            if first != row:
                self.tally.put(row, "additional_cars" if another else "duplicates", first)
                continue
            self.tally.put(
                row,
                "created" if person.new else "updated" if person.id in touched else "unchanged",
            )

    def _apply(self, p: _Parsed) -> tuple[_P, _Veh | None]:
        """(the row's person, the row's vehicle); _Reject when it has nobody."""
        st = self.st
        if p.phone and p.phone in st.dead_phones:
            raise _Reject("phone", "import_phone_deleted", p.phone)
        if p.vin and p.vin in st.dead_vins:
            if not p.phone:  # the VIN was who the row is: a deleted record
                raise _Reject("vin", "import_vin_deleted", p.vin)
            self._drop_vin(p, "import_vin_deleted_left_out")
        person = self._find(p)
        if person is None:
            if not p.name and not p.phone:
                if p.key_problem is not None:
                    raise _Reject.of(p.key_problem)
                raise _Reject("name", "import_no_owner", p.vin)
            person = self._create(p)
        else:
            self._update(person, p)
        if not p.phone and p.name:
            self.named_without_phone.setdefault(p.name, person)
        return person, self._vehicle(person, p)

    def _drop_vin(self, p: _Parsed, code: str, **params: Param) -> None:
        """Leave the row's VIN out (the person still comes in), with a warning."""
        p.warnings.append(_problem(p.row, code, "vin", p.vin, **params))
        p.vin = None

    def _find(self, p: _Parsed) -> _P | None:
        st = self.st
        by_phone = st.people[st.by_phone[p.phone]] if p.phone in st.by_phone else None
        veh = st.by_vin.get(p.vin) if p.vin else None
        if veh is not None:
            owner = st.people[veh.person_id]
            if by_phone is not None and by_phone.id != owner.id:
                self._drop_vin(
                    p,
                    "import_vin_phone_conflict",
                    owner=owner.name or owner.phone,
                    other=by_phone.name or by_phone.phone,
                )
                return by_phone
            if by_phone is None and p.phone and owner.phone and owner.phone != p.phone:
                self._drop_vin(
                    p,
                    "import_vin_other_phone",
                    owner=owner.name,
                    owner_phone=owner.phone,
                    phone=p.phone,
                )
                return self._find(p)
            return owner
        if by_phone is not None:
            return by_phone
        if not p.name:
            return None
        if p.phone:  # a new phone: only a phone-less person of that name with that plate
            if p.plate:
                for pid in st.phoneless.get(p.name, ()):
                    c = st.people[pid]
                    if c.phone is None and any(v.plate == p.plate for v in c.vehicles):
                        return c
            return None
        candidates = [st.people[i] for i in st.by_name.get(p.name, ())]
        kept = [unverified_note(k, v) for k, v in p.unverified if k == "phone"]
        for c in candidates:  # the same name and the same number that could not be used
            if kept and all(note in c.notes for note in kept):
                return c
        if p.plate:
            for c in candidates:
                if any(v.plate == p.plate for v in c.vehicles):
                    return c
        earlier = self.named_without_phone.get(p.name)
        if earlier is not None and (
            _compatible(earlier.wechat, p.wechat) and _compatible(earlier.email, p.email)
        ):
            return earlier
        for c in candidates:
            if (
                c.phone is None
                and _compatible(c.wechat, p.wechat)
                and _compatible(c.email, p.email)
            ):
                return c
        return None

    def _butler(self, name: str | None) -> uuid.UUID | None:
        if not name:
            return None
        st = self.st
        if name in st.staff:
            return st.staff[name]
        staff_id = new_id()
        st.staff[name] = st.new_staff[name] = staff_id
        return staff_id

    def _create(self, p: _Parsed) -> _P:
        stage = p.stage or (Stage.OWNER if p.has_car else Stage.PROSPECT)
        person = _P(
            new_id(), p.name or "", p.phone, p.wechat, p.email, str(stage),
            self._butler(p.butler), p.birthday, p.notes or "", set(p.tags), new=True,
            first_row=p.row,
        )  # fmt: skip
        person.new_tags = list(p.tags)
        if p.consent:
            self._consent(person, p)
        if not p.name:
            p.warnings.append(_problem(p.row, "import_no_name", "name"))
        self.st.add_person(person)
        return person

    def _fill(self, person: _P, p: _Parsed, key: str, new: object) -> None:
        if new is None:
            return
        old = getattr(person, key)
        if old in (None, ""):
            if key == "phone":
                assert isinstance(new, str)
                if new in self.st.by_phone:
                    return
                self.st.by_phone[new] = person.id
            setattr(person, key, new)
            person.changed.add(key)
        elif old != new:
            p.warnings.append(_kept(p.row, "import_kept", key, old, new))

    def _update(self, person: _P, p: _Parsed) -> None:
        for key in ("name", "phone", "wechat", "email", "birthday"):
            self._fill(person, p, key, getattr(p, key))
        if p.butler:
            butler_id = self._butler(p.butler)
            if person.butler_id is None:
                person.butler_id = butler_id
                person.changed.add("butler_id")
        if p.notes and p.notes not in person.notes:
            person.notes = f"{person.notes}\n{p.notes}" if person.notes else p.notes
            person.changed.add("notes")
        wanted = p.stage or (Stage.OWNER if p.has_car else None)
        if wanted and _STAGE_RANK[wanted] > _STAGE_RANK.get(Stage(person.stage), 0):
            person.stage = str(wanted)
            person.changed.add("stage")
        self._tags(person, p.tags)
        self._consent(person, p)

    def _consent(self, person: _P, p: _Parsed) -> None:
        """A yes gives marketing consent (kept if already given); a no withdraws nothing."""
        if p.consent and person.consent_marketing_at is None:
            person.consent_marketing_at = utcnow()
            person.consent_new = True
            if not person.new:
                person.changed.add("consent_marketing_at")

    def _tags(self, person: _P, tags: Iterable[str]) -> None:
        for tag in tags:
            if tag not in person.tags:
                person.tags.add(tag)
                person.new_tags.append(tag)
                person.changed.add("tags")

    def _vehicle(self, person: _P, p: _Parsed) -> _Veh | None:
        """Bring the row's car to the person: the vehicle (found or new), None for none."""
        if not (p.vin or p.plate or p.model or p.purchase_date):
            return None
        veh: _Veh | None = None
        if p.vin:
            veh = self.st.by_vin.get(p.vin)
            if veh is None and p.plate and person.vehicles:
                veh = next(
                    (v for v in person.vehicles if v.vin is None and v.plate == p.plate), None
                )
        elif p.plate:
            veh = next((v for v in person.vehicles if v.plate == p.plate), None)
        else:
            interest = f"意向:{p.model}"[:TAG_MAX]
            # a prospect's model is the car they want; so is one read that way before (a
            # row read again after the person became an owner finds the same interest)
            if p.model and (Stage(person.stage) == Stage.PROSPECT or interest in person.tags):
                self._tags(person, [interest])
                return None
            # a model alone: the car of that model without a VIN or plate, else any car of
            # that model the person has (so a row read again finds the same car)
            same = [v for v in person.vehicles if v.model == p.model]
            veh = next((v for v in same if v.vin is None and v.plate is None), None) or next(
                iter(same), None
            )
        if veh is None:
            veh = _Veh(new_id(), person.id, p.vin, p.plate, p.model, p.purchase_date, new=True)
            self.st.add_vehicle(veh)
            if not person.new:
                person.changed.add("vehicles")
            return veh
        for key in ("vin", "plate", "model", "purchase_date"):
            new, old = getattr(p, key), getattr(veh, key)
            if new is None:
                continue
            if old is None:
                setattr(veh, key, new)
                veh.changed.add(key)
                if key == "vin":
                    self.st.by_vin[new] = veh
                if not person.new:
                    person.changed.add("vehicles")
            elif old != new:
                p.warnings.append(_kept(p.row, "import_vehicle_kept", key, old, new))
        return veh


def _kept(row: int, code: str, key: str, old: object, new: object) -> RowProblem:
    return _problem(row, code, key, _shown(new), old=repr(_shown(old)), new=repr(_shown(new)))


def _compatible(old: str | None, new: str | None) -> bool:
    return old is None or new is None or old == new


# --------------------------------------------------------------------------- writing


def _processors(s: Session, table: Any, columns: Sequence[str]) -> list[Any]:
    dialect = s.get_bind().dialect
    return [table.c[c].type.dialect_impl(dialect).bind_processor(dialect) for c in columns]


# Types whose bind processor (on SQLite: a UUID's hex, a day's YYYY-MM-DD) has a C-level
# equivalent for a whole column: no Python call per value.
_WHOLE_COLUMN: dict[type, Callable[[list[Any]], list[Any]]] = {
    uuid.UUID: lambda values: list(map("%032x".__mod__, map(operator.attrgetter("int"), values))),
    date: lambda values: list(map(date.isoformat, values)),
}


def _bound(column: Sequence[Any], proc: Callable[[Any], Any] | None) -> Sequence[Any]:
    """`column`'s values as the column type's bind processor `proc` makes them (None
    stays None, as the processors keep it). A column of one type in _WHOLE_COLUMN is
    done in C-level passes, once its first value shows they give what `proc` gives."""
    if proc is None:
        return column
    values = [v for v in column if v is not None]
    if not values:
        return column
    kinds = set(map(type, values))
    whole = _WHOLE_COLUMN.get(kinds.pop()) if len(kinds) == 1 else None
    if whole is None or whole(values[:1]) != [proc(values[0])]:
        return [v if v is None else proc(v) for v in column]
    done = whole(values)
    if len(done) == len(column):
        return done
    it = iter(done)
    return [None if v is None else next(it) for v in column]


def _fields_of(items: Sequence[Any], names: Sequence[str]) -> dict[str, list[Any]]:
    """{name: the items' values of that attribute}, in C-level passes (for _bulk_write)."""
    return {name: list(map(operator.attrgetter(name), items)) for name in names}


def _bulk_write(
    s: Session,
    table: Any,
    data: Mapping[str, Sequence[Any]],
    const: Mapping[str, Any] | None = None,
    key: str | None = None,
) -> None:
    """INSERT (or, with `key`, UPDATE … WHERE key = …) many rows at once, given a column at
    a time ({column: values}, all as long). Values go through each column's own bind
    processor, so SQLite and PostgreSQL store exactly what the ORM would; constant columns
    are processed once. SQLAlchemy's per-row parameter building costs more than the
    insert itself at 50k rows.

    Every write is ONE DBAPI executemany. (Feeding SQLite one JSON array per chunk through
    json_each was tried and measured slower: 1.7 s vs 1.3–1.5 s for 50k people + vehicles,
    as each `value ->> i` re-reads the row's JSON.)
    """
    names, given = list(data), list(data.values())
    if not given or not given[0]:
        return
    count = len(given[0])
    keyed = [(names.pop(), given.pop())] if key is not None else []  # the LAST of `data`
    for src, dst, fn in _DERIVED.get(table.name, ()):
        if src in names and dst in table.c:  # a search helper column of a written one
            given.append(list(map(fn, given[names.index(src)])))
            names.append(dst)
    for key_name, key_column in keyed:  # stays last
        names.append(key_name)
        given.append(key_column)
    const = dict(const or {})
    conn = s.connection()
    quote = conn.dialect.identifier_preparer.quote
    ph = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    const_cols = list(const)
    const_vals = [
        v if v is None or p is None else p(v)
        for v, p in zip(const.values(), _processors(s, table, const_cols), strict=True)
    ]
    by_column = [
        _bound(column, proc)
        for column, proc in zip(given, _processors(s, table, names), strict=True)
    ]
    consts = [itertools.repeat(v, count) for v in const_vals]
    name = quote(table.name)
    if key is None:
        params = list(zip(*by_column, *consts, strict=True))
        cols = ", ".join(quote(c) for c in (*names, *const_cols))
        marks = ", ".join([ph] * (len(names) + len(const_cols)))
        sql = f"INSERT INTO {name} ({cols}) VALUES ({marks})"
    else:  # the key goes after the const values
        params = list(zip(*by_column[:-1], *consts, by_column[-1], strict=True))
        sets = ", ".join(f"{quote(c)} = {ph}" for c in (*names[:-1], *const_cols))
        sql = f"UPDATE {name} SET {sets} WHERE {quote(key)} = {ph}"
    conn.exec_driver_sql(sql, params)


@contextlib.contextmanager
def _indexes_rebuilt(s: Session, tables: Sequence[str]) -> Iterator[None]:
    """SQLite: drop the tables' secondary indexes for the body and create
    them again after it, in the same transaction: building an index from sorted keys is
    far cheaper than tens of thousands of random inserts into it. Only worth it when the
    import at least doubles the tables (`_bulk_loaded`). The unique and primary keys stay
    (they are part of the tables), so every constraint is checked as each row goes in;
    other desks keep reading the committed indexes, and a crash rolls it all back."""
    if not tables:
        yield
        return
    conn = s.connection()
    marks = ", ".join("?" * len(tables))
    saved = conn.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({marks}) ORDER BY name",
        tuple(tables),
    ).all()
    quote = conn.dialect.identifier_preparer.quote
    for name, _ in saved:
        conn.exec_driver_sql(f"DROP INDEX {quote(name)}")
    yield
    for _, sql in saved:
        conn.exec_driver_sql(sql)


_PERSON_UPDATABLE = ("name", "phone", "wechat", "email", "stage", "butler_id", "birthday", "notes",
                     "consent_marketing_at")  # fmt: skip
_VEHICLE_UPDATABLE = ("vin", "plate", "model", "purchase_date")
# Search helper columns the ORM keeps through @validates (models.py); Core writes must
# fill them too: (source column, derived column, how).
_DERIVED: dict[str, tuple[tuple[str, str, Callable[[Any], Any]], ...]] = {
    "people": (("phone", "phone_rev", reversed_digits),),
    "vehicles": (
        ("vin", "vin_rev", lambda v: v[::-1] if v else None),
        ("plate", "plate_rev", lambda v: v[::-1] if v else None),
    ),
}


REBUILD_MIN_ROWS = 5000  # below this, dropping and re-creating indexes is not worth it


def _bulk_loaded(s: Session, new_people: int, new_vehicles: int) -> list[str]:
    """The tables this import at least doubles (SQLite): their indexes are rebuilt."""
    if s.get_bind().dialect.name != "sqlite":
        return []
    out = []
    for tables, model, new in (
        (("people", "person_tags"), Person, new_people),
        (("vehicles",), Vehicle, new_vehicles),
    ):
        if new >= REBUILD_MIN_ROWS and new >= (
            s.scalar(select(func.count()).select_from(model)) or 0
        ):
            out += tables
    return out


def _flush(s: Session, st: _State, actor: object) -> tuple[set[uuid.UUID], int, int]:
    """Write the state; returns (ids of known people it changed, vehicles created,
    vehicles updated)."""
    now = utcnow()
    profile = s.get(DealerProfile, 1)
    if s.get_bind().dialect.name == "sqlite":  # random UUID keys: keep the indexes in memory
        s.connection().exec_driver_sql("PRAGMA cache_size=-65536")
    stamp = {
        "created_at": now,
        "updated_at": now,
        "deleted_at": None,
        "origin_dealer": profile.code if profile else None,
        "origin_device": profile.device_id if profile else None,
    }
    _bulk_write(
        s, Staff.__table__, {"id": list(st.new_staff.values()), "name": list(st.new_staff)},
        {"role": str(StaffRole.COORDINATOR), "active": True, **stamp},
    )  # fmt: skip
    new_people = [p for p in st.people.values() if p.new]
    vehicles = [v for p in st.people.values() for v in p.vehicles]
    new_vehicles = [v for v in vehicles if v.new]
    with _indexes_rebuilt(s, _bulk_loaded(s, len(new_people), len(new_vehicles))):
        _bulk_write(
            s, Person.__table__,
            _fields_of(new_people, ("id", "name", "phone", "wechat", "email", "stage", "butler_id",
                                    "birthday", "notes", "consent_marketing_at")),
            {"source": "import", "stage_changed_at": now, **stamp},
        )  # fmt: skip
        changed = [p for p in st.people.values() if not p.new and p.changed]
        groups: dict[tuple[str, ...], list[_P]] = {}
        for p in changed:
            cols = tuple(c for c in _PERSON_UPDATABLE if c in p.changed)
            if cols:
                groups.setdefault(cols, []).append(p)
        for cols, people in groups.items():
            const = {"updated_at": now} | ({"stage_changed_at": now} if "stage" in cols else {})
            _bulk_write(s, Person.__table__, _fields_of(people, (*cols, "id")), const, key="id")
        who = actor if actor is not None else s.info.get("principal")
        consenting = [p for p in st.people.values() if p.consent_new]
        _bulk_write(
            s, ConsentChange.__table__,
            {"id": [new_id() for _ in consenting], "person_id": [p.id for p in consenting],
             "at": [p.consent_marketing_at for p in consenting]},
            {"kind": "marketing", "given": True, "method": "import", "source": st.source,
             "staff_id": getattr(who, "id", None), "staff_name": getattr(who, "name", None),
             **stamp},
        )  # fmt: skip
        _bulk_write(
            s, PersonTag.__table__,
            {"person_id": [p.id for p in st.people.values() for _ in p.new_tags],
             "tag": [t for p in st.people.values() for t in p.new_tags]},
        )  # fmt: skip
        _bulk_write(
            s, Vehicle.__table__,
            _fields_of(new_vehicles, ("id", "person_id", "vin", "plate", "model", "purchase_date")),
            stamp,
        )  # fmt: skip
        changed_vehicles = [v for v in vehicles if not v.new and v.changed]
        vgroups: dict[tuple[str, ...], list[_Veh]] = {}
        for v in changed_vehicles:
            vgroups.setdefault(tuple(c for c in _VEHICLE_UPDATABLE if c in v.changed), []).append(v)
        for cols, group in vgroups.items():
            _bulk_write(
                s,
                Vehicle.__table__,
                _fields_of(group, (*cols, "id")),
                {"updated_at": now},
                key="id",
            )
    touched = {p.id for p in changed} | {v.person_id for v in changed_vehicles}
    return touched, len(new_vehicles), len(changed_vehicles)


class _DryRun(Exception):
    def __init__(self, report: ImportReport) -> None:
        super().__init__("dry run")
        self.report = report


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """No cyclic GC while ~10 objects per row are built: with 50k rows the collector's
    repeated full passes cost a quarter of the import. Reference counting still frees
    everything that is dropped; collection resumes right after."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


@dataclass(slots=True)
class _Run:
    """One import call: its file, options and the progress/cancel callables."""

    path: str | Path
    dry_run: bool
    actor: object
    progress: Progress | None
    is_cancelled: IsCancelled | None

    def tick(self, done: int) -> None:
        if self.is_cancelled is not None and self.is_cancelled():
            raise Cancelled("import cancelled; nothing was changed")
        if self.progress is not None:
            self.progress(done, PROGRESS_TOTAL)

    def apply(self, st: _State, good: list[_Parsed], rejected: list[RowProblem]) -> _Apply:
        tally = Tally(*EXTRA_BUCKETS, linking=EXTRA_BUCKETS)
        for problem in rejected:
            tally.reject(problem)
        applier = _Apply(st, tally)
        applier.rows(good, lambda i, total: self.tick(500 + 300 * i // max(total, 1)))
        return applier

    def record(self, s: Session, report: ImportReport) -> None:
        summary = {k: v for k, v in report.to_json().items() if k != "warnings"}
        summary["rejected"] = len(report.rejected)
        summary["warnings"] = len(report.warnings)
        summary["file"] = Path(self.path).name
        audit(s, "people.import", "people", None, summary, self.actor)
        s.add(SyncOperation(kind="people_import", file=str(self.path), report=report.to_json()))


def import_people(
    db: Database,
    path: str | Path,
    *,
    mapping: Mapping[str, int | str | None] | None = None,
    sheet: str | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
    is_cancelled: IsCancelled | None = None,
    actor: object = None,
) -> ImportReport:
    """Import people and vehicles from `path` in ONE transaction (see the module doc).

    mapping: field key → column index / header name / letter (None unmaps); the rest is
      guessed from the headers (PEOPLE_FIELDS).
    dry_run: do all the work, report it, roll it back.
    progress(done, total): total is PROGRESS_TOTAL (1000) throughout one call: reading
      takes 0–400, matching 400–800, writing 800–1000. Call it from a worker thread.
    is_cancelled(): polled; when it returns True, raises Cancelled and nothing is changed.
    actor: the staff member doing it (for the audit log).

    Raises FileUnreadable when the file cannot be read, ValidationError for a bad mapping
    or when no name/phone/VIN column can be found.
    """
    require(db, actor, Permission.IMPORTS)
    run = _Run(path, dry_run, actor, progress, is_cancelled)
    with _gc_paused():  # reading builds a tuple per row and a Row around it, too
        table = _read(path, sheet, progress, is_cancelled, (0, 400))
        cols = _resolve_mapping(table, mapping)
        if not any(k in cols for k in KEY_FIELDS):
            headers = ", ".join(h for h in table.headers if h) or "—"
            raise ValidationError("mapping", "import_no_key_columns", headers=headers)
        good, rejected = _parse_all(table, cols)  # before taking the write lock
        run.tick(450)
        report = _import_parsed(db, run, table, cols, good, rejected)
        # freed while the collector still sleeps: resumed first, its next pass would walk
        # every row object of the file only to find them all still referenced here
        del table, good, rejected
    return report


def _import_parsed(
    db: Database,
    run: _Run,
    table: Table,
    cols: Mapping[str, int],
    good: list[_Parsed],
    rejected: list[RowProblem],
) -> ImportReport:
    """The transaction: match, write, audit; rolled back for a dry run or a cancel."""
    try:
        with db.write() as s:
            st = _load_state(s, good)
            st.source = Path(run.path).name[:200]
            run.tick(500)
            applier = run.apply(st, good, rejected)
            run.tick(800)
            touched, v_created, v_updated = _flush(s, st, run.actor)
            applier.place(touched)
            run.tick(950)
            report = ImportReport(
                counts=applier.tally.counts(len(table.rows)),
                vehicles_created=v_created,
                vehicles_updated=v_updated,
                staff_created=tuple(st.new_staff),
                file=str(run.path),
                sheet=table.sheet,
                mapping={k: table.column_name(c) for k, c in cols.items()},
                dry_run=run.dry_run,
            )
            run.record(s, report)
            run.tick(990)  # the last moment a cancel still changes nothing
            if run.dry_run:
                raise _DryRun(report)
    except _DryRun as done:
        report = done.report
    except sa_exc.IntegrityError:
        # Only possible when another desk adds the same phone/VIN during this import.
        raise RuleViolation(
            "another desk changed the same people while importing; nothing was saved, "
            "run the import again"
        ) from None
    if run.progress is not None:  # committed: too late to cancel, just finish the bar
        run.progress(PROGRESS_TOTAL, PROGRESS_TOTAL)
    return report


__all__ = [
    "FIELD_KEYS",
    "PEOPLE_FIELDS",
    "PROGRESS_TOTAL",
    "Cancelled",
    "FileUnreadable",
    "ImportPreview",
    "ImportReport",
    "PreviewRow",
    "RowProblem",
    "import_people",
    "preview",
]
