"""User-facing messages of the core in English and Chinese (the core has no Qt tr()).

Errors carry a message code and parameters; `text(code, lang, **params)` renders them.
Add new codes here, with both languages; tests check every code has both.
"""

from __future__ import annotations

import os

MESSAGES: dict[str, tuple[str, str]] = {
    # generic field problems
    "required": ("is required", "必填"),
    "too_long": ("is too long (at most {max} characters)", "太长（最多 {max} 个字符）"),
    "not_positive": ("must be at least {min}", "至少为 {min}"),
    "not_number": ("must be a whole number", "必须是整数"),
    "not_money": ("must be an amount like 1200 or 1200.50", "必须是金额，如 1200 或 1200.50"),
    "bad_choice": ("must be one of: {choices}", "必须是以下之一：{choices}"),
    "bad_datetime": (
        "is not a date and time (use 2026-05-01 14:00)",
        "不是有效的日期时间（例如 2026-05-01 14:00）",
    ),
    "bad_timezone": ("is not a known time zone", "不是有效的时区"),
    "bad_url": ("must start with http:// or https://", "必须以 http:// 或 https:// 开头"),
    # events
    "end_before_start": ("must be after the start", "必须晚于开始时间"),
    "window_order": ("registration must close after it opens", "报名截止时间必须晚于开放时间"),
    "window_after_end": (
        "registration must close before the event ends",
        "报名必须在活动结束前截止",
    ),
    "venue_needed": (
        "an on-site or hybrid event needs a venue",
        "现场或线上线下结合的活动需要填写地点",
    ),
    "link_needed": ("an online event needs a link", "线上活动需要填写直播/会议链接"),
    "session_outside": (
        "session {n} must be inside the event's dates",
        "第 {n} 节课必须在活动时间范围内",
    ),
    "session_order": (
        "session {n} must end after it starts",
        "第 {n} 节课的结束时间必须晚于开始时间",
    ),
    "publish_needs_date": (
        "cannot publish an event without a start and end",
        "没有开始和结束时间的活动不能发布",
    ),
    "bad_transition": (
        "cannot change status from {old} to {new}",
        "不能把状态从「{old}」改为「{new}」",
    ),
    "cancel_confirm": (
        "the event has {n} registrations; confirm to cancel it (registrations are kept)",
        "该活动已有 {n} 个报名；确认后才能取消（报名记录会保留）",
    ),
    "not_editable": (
        "a {status} event can no longer be edited",
        "状态为「{status}」的活动不能再编辑",
    ),
    # database
    "db_not_paddock": ("{path} is not a Paddock database", "{path} 不是 Paddock 数据库"),
    "not_initialised": (
        "this database has no dealership yet; run `paddock init --dealer-code CODE --dealer-name NAME`",
        "此数据库尚未设置经销商；请先运行 `paddock init --dealer-code 代码 --dealer-name 名称`",
    ),
    "dealer_code_fixed": (
        "the dealer code cannot change once set (tickets and HQ files carry it)",
        "经销商代码设置后不能修改（门票和总部文件都带有它）",
    ),
    "dealer_code": (
        "use 2–32 letters, digits, '-' or '_' (e.g. SH-0021)",
        "请使用 2–32 个字母、数字、“-”或“_”（例如 SH-0021）",
    ),
}

FIELD_LABELS: dict[str, tuple[str, str]] = {
    "title": ("Title", "标题"),
    "type": ("Type", "类型"),
    "format": ("Format", "形式"),
    "status": ("Status", "状态"),
    "starts_at": ("Starts", "开始时间"),
    "ends_at": ("Ends", "结束时间"),
    "timezone": ("Time zone", "时区"),
    "venue": ("Venue", "地点"),
    "online_link": ("Online link", "线上链接"),
    "capacity": ("Capacity", "名额"),
    "registration_opens_at": ("Registration opens", "报名开始"),
    "registration_closes_at": ("Registration closes", "报名截止"),
    "points_award": ("Points", "积分"),
    "campaign_code": ("HQ campaign code", "总部活动编码"),
    "budget": ("Budget", "预算"),
    "max_cars": ("Max cars", "最多车辆数"),
    "meeting_point": ("Meeting point", "集合地点"),
    "departure_time": ("Departure", "出发时间"),
    "instructor": ("Instructor", "讲师"),
    "topic": ("Topic", "主题"),
    "sessions": ("Sessions", "课时"),
    "dealer_code": ("Dealer code", "经销商代码"),
    "dealer_name": ("Dealer name", "经销商名称"),
    "name": ("Name", "姓名"),
    "phone": ("Phone", "手机号"),
    "description": ("Description", "说明"),
}


def current_language() -> str:
    """'zh' or 'en' from PADDOCK_LANG, else LANG/LC_ALL; English by default."""
    raw = os.environ.get("PADDOCK_LANG") or os.environ.get("LC_ALL") or os.environ.get("LANG", "")
    return "zh" if raw.lower().startswith("zh") else "en"


def text(code: str, lang: str | None = None, **params: object) -> str:
    lang = lang or current_language()
    en, zh = MESSAGES.get(code, (code, code))
    template = zh if lang == "zh" else en
    try:
        return template.format(**params)
    except (KeyError, IndexError):
        return template


def field_label(field: str, lang: str | None = None) -> str:
    lang = lang or current_language()
    en, zh = FIELD_LABELS.get(field, (field, field))
    return zh if lang == "zh" else en
