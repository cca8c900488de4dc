"""User-facing messages of the core in English and Chinese (the core has no Qt tr()).

Errors carry a message code and parameters; `text(code, lang, **params)` renders them.
Add new codes here, with both languages; tests check every code has both.
"""

from __future__ import annotations

import os
from typing import ClassVar

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
    # reports and feedback
    "range_order": ("must not be before the start date", "不能早于开始日期"),
    "bad_rating": ("must be a whole number from 1 to 5", "必须是 1 到 5 的整数"),
    "bad_nps": ("must be a whole number from 0 to 10", "必须是 0 到 10 的整数"),
    "feedback_empty": (
        "give a rating, an NPS answer or a comment",
        "请填写评分、推荐度（NPS）或意见",
    ),
    "feedback_no_columns": (
        "no rating, NPS or comment column found in {file} (looked for 满意度 / 推荐度 / "
        "意见建议…); the columns are: {columns}",
        "在 {file} 中没有找到评分、推荐度或意见列（例如 满意度 / 推荐度 / 意见建议）；"
        "现有的列：{columns}",
    ),
    "feedback_cancelled": (
        "this registration was cancelled; feedback is for people who came",
        "该报名已取消；反馈只针对到场的人",
    ),
    "bad_followup_list": ("must be one of: {choices}", "必须是以下之一：{choices}"),
    "bad_export_type": ("must end in .xlsx, .pdf or .csv", "文件名必须以 .xlsx、.pdf 或 .csv 结尾"),
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
    "cli_add_yes": ("{reason}: add --yes to go ahead", "{reason}：加上 --yes 以继续"),
    "cli_add_approve": ("{reason}: add --approve to go ahead", "{reason}：加上 --approve 以继续"),
    "not_editable": (
        "a {status} event can no longer be edited",
        "状态为「{status}」的活动不能再编辑",
    ),
    # registration (issue 4)
    "already_registered": (
        "{name} is already registered for this event (status: {status})",
        "{name} 已报名此活动（状态：{status}）",
    ),
    "event_not_accepting": (
        "a {status} event does not accept registrations",
        "状态为「{status}」的活动不接受报名",
    ),
    "registration_not_open": (
        "registration opens at {when}",
        "报名将于 {when} 开放",
    ),
    "registration_closed": (
        "registration closed at {when}",
        "报名已于 {when} 截止",
    ),
    "event_over": ("the event is already over", "活动已经结束"),
    "event_full": (
        "the event is full ({used} of {capacity} seats) and has no waitlist",
        "活动已满（已用 {used}/{capacity} 个名额），且未开启候补",
    ),
    "event_full_cars": (
        "the event is full ({used} of {capacity} cars) and has no waitlist",
        "活动已满（已报 {used}/{capacity} 辆车），且未开启候补",
    ),
    "party_too_big": (
        "a party of {n} does not fit the event ({capacity} seats)",
        "{n} 人超过了活动总名额（{capacity} 个座位）",
    ),
    "car_needed": (
        "a club drive registration needs a car: choose a vehicle or type a plate",
        "自驾活动报名需要车辆：请选择车辆或填写车牌",
    ),
    "bad_value": ("{reason}", "无效：{reason}"),
    "person_or_phone": (
        "choose a person, or give a phone number and a name",
        "请选择人员，或填写手机号和姓名",
    ),
    "vehicle_not_theirs": (
        "this vehicle belongs to someone else",
        "该车辆属于其他人",
    ),
    "already_cancelled": ("the registration is already cancelled", "该报名已取消"),
    "no_ticket_for_status": (
        "a {status} registration has no ticket (only registered people get one)",
        "状态为「{status}」的报名没有门票（只有已报名的人才有）",
    ),
    "bad_call_status": (
        "must be one of: {choices}",
        "必须是以下之一：{choices}",
    ),
    "nothing_to_render": ("the event has no tickets to render", "该活动没有可生成的门票"),
    "no_header_row": (
        "cannot find the header row (need a name and a phone column)",
        "找不到表头行（需要姓名列和手机号列）",
    ),
    # people, vehicles, clubs, points, merges
    "phone_empty": ("no phone number", "没有手机号"),
    "phone_masked": (
        "{text} is masked (****) and cannot be used",
        "{text} 是打码号码（****），无法使用",
    ),
    "phone_letters": ("{text} contains letters", "{text} 含有字母或汉字"),
    "phone_too_short": (
        "{text} has too few digits for a mobile number",
        "{text} 位数太少，不是手机号",
    ),
    "phone_too_long": (
        "{text} has too many digits for a mobile number",
        "{text} 位数太多，不是手机号",
    ),
    "phone_invalid": ("{text} is not a valid mobile number", "{text} 不是有效的手机号"),
    "phone_not_mobile": ("{text} is a landline, not a mobile", "{text} 是座机号码，不是手机号"),
    "phone_scientific": (
        "{text} is a number Excel shortened (E+ notation): its last digits are lost; format "
        "the phone column as text and export again",
        "{text} 是 Excel 缩写成科学计数法的数字，后几位已丢失；请把手机号列设为文本格式后重新导出",
    ),
    "phone_taken": (
        "{phone} already belongs to {name} (id {id})",
        "{phone} 已属于 {name}（ID {id}）",
    ),
    "email_invalid": ("{text} is not an email address", "{text} 不是有效的邮箱地址"),
    "vin_empty": ("no VIN", "没有车架号"),
    "vin_length": ("a VIN has 17 characters, {text} has {n}", "车架号应为 17 位，{text} 有 {n} 位"),
    "vin_ioq": (
        "a VIN never contains I, O or Q ({found} found)",
        "车架号不含 I、O、Q（发现 {found}）",
    ),
    "vin_chars": (
        "a VIN has only letters and digits ({found} found)",
        "车架号只能是字母和数字（发现 {found}）",
    ),
    "vin_check": (
        "check digit (9th character) is {got}, should be {expected}: a typo in the VIN",
        "校验位（第 9 位）是 {got}，应为 {expected}：车架号可能有误",
    ),
    "vin_invalid": ("not a valid VIN", "不是有效的车架号"),
    "vin_taken": (
        "VIN {vin} is already on a vehicle of {name} (id {id})",
        "车架号 {vin} 已登记在 {name}（ID {id}）名下",
    ),
    "plate_empty": ("no plate", "没有车牌号"),
    "plate_province": (
        "{text} does not start with a province character (沪, 京, 粤…)",
        "{text} 不是以省份简称（沪、京、粤…）开头",
    ),
    "plate_length": (
        "a plate has 7 characters (8 for new-energy), {text} has {n}",
        "车牌应为 7 位（新能源 8 位），{text} 有 {n} 位",
    ),
    "plate_io": ("{text}: plates never use the letters I or O", "{text}：车牌不使用字母 I 或 O"),
    "plate_format": ("{text} is not a mainland plate format", "{text} 不是有效的大陆车牌格式"),
    "self_referral": ("a person cannot refer themselves", "不能推荐自己"),
    "referral_loop": ("{name} was referred by this person already", "{name} 已经是此人推荐的"),
    "reason_required": ("a reason is required", "必须填写原因"),
    "zero_points": ("a change of 0 points does nothing", "积分变动不能为 0"),
    "merge_same": ("cannot merge a person with themselves", "不能把同一个人与自己合并"),
    "merge_gone": ("{name} was already merged or deleted", "{name} 已被合并或删除"),
    "nothing_to_undo": ("there is no merge to undo", "没有可以撤销的合并"),
    "undo_blocked": (
        "cannot undo the merge: {detail}",
        "无法撤销合并：{detail}",
    ),
    "tier_thresholds": (
        "tier thresholds must rise: silver < gold < platinum, all ≥ 0",
        "等级门槛必须递增：银卡 < 金卡 < 白金卡，且都不小于 0",
    ),
    "club_member_exists": ("{name} is already a member of {club}", "{name} 已是 {club} 的成员"),
    "not_club_member": ("{name} is not a member of {club}", "{name} 不是 {club} 的成员"),
    "bad_date": ("is not a date (use 2026-05-01)", "不是有效的日期（例如 2026-05-01）"),
    # spreadsheet cells a parser cannot read (io/values.py CellError); {raw} is quoted
    "cell_serial_range": (
        "{serial} is out of the range of Excel dates",
        "{serial} 超出 Excel 日期的范围",
    ),
    "cell_fake_leap_day": (
        "29 February 1900 does not exist (an Excel quirk); retype the date",
        "1900 年 2 月 29 日并不存在（Excel 的历史问题）；请重新输入日期",
    ),
    "cell_unreal_date": (
        "{raw} is not a real date (month {m}, day {d})",
        "{raw} 不是真实的日期（{m} 月 {d} 日）",
    ),
    "cell_date_range": ("{raw} is outside the years 1900–2200", "{raw} 不在 1900–2200 年之间"),
    "cell_two_digit_year": (
        "{raw} has a two-digit year; write the year in full (2023/5/6)",
        "{raw} 的年份只有两位；请写完整的四位年份（如 2023/5/6）",
    ),
    "cell_not_date": (
        "{raw} is not a date (use 2023-05-06, 2023/5/6 or 2023年5月6日)",
        "{raw} 不是日期（可写 2023-05-06、2023/5/6 或 2023年5月6日）",
    ),
    "cell_not_time_hint": (
        "{raw} is not a time of day (use 14:30 or 2:30:00 PM)",
        "{raw} 不是时间（可写 14:30 或 下午 2:30:00）",
    ),
    "cell_not_time": ("{raw} is not a time of day", "{raw} 不是时间"),
    "cell_bad_time_part": (
        "{raw}: the time part {part} is not a time of day",
        "{raw}：其中的时间 {part} 无法识别",
    ),
    "cell_not_datetime": ("{raw} is not a date and time", "{raw} 不是日期时间"),
    "cell_duration_too_long": (
        "{raw} is longer than a year; is it really a duration?",
        "{raw} 超过一年，确定是时长吗？",
    ),
    "cell_duration_59": (
        "{raw} is not a duration (minutes and seconds go up to 59)",
        "{raw} 不是时长（分钟和秒最多 59）",
    ),
    "cell_not_duration": (
        "{raw} is not a duration (use 0:30:00, 30分钟 or 85秒)",
        "{raw} 不是时长（可写 0:30:00、30分钟 或 85秒）",
    ),
    "cell_not_number": ("{raw} is not a number", "{raw} 不是数字"),
    "cell_not_count": ("{raw} is not a number of people", "{raw} 不是人数"),
    "cell_not_count_hint": (
        "{raw} is not a number of people (use 3, 3人 or 1大1小)",
        "{raw} 不是人数（可写 3、3人 或 1大1小）",
    ),
    "cell_not_int": ("{raw} is not a whole number", "{raw} 不是整数"),
    "cell_not_bool": (
        "{raw} is not yes or no (use 是/否 or Y/N)",
        "{raw} 不是“是”或“否”（可填 是/否 或 Y/N）",
    ),
    "cell_not_email": ("{raw} is not an email address", "{raw} 不是有效的邮箱地址"),
    # sign-up form import (services/signups_import.py): why a row was rejected
    "signup_no_phone": ("phone: no phone number", "没有填写手机号"),
    "signup_party_min": ("the number of people must be at least 1", "人数至少为 1"),
    "signup_party_full": (
        "cannot grow the party from {old} to {new}: the event is full",
        "无法把报名人数从 {old} 人增加到 {new} 人：活动名额已满",
    ),
    "signup_option_numbers": (
        "this looks like 问卷星's 按选项序号 download: choice answers are option numbers "
        "(1, 2 …), not their text; names, phones and head counts are imported, but download "
        "按选项文本 (All_Data_Readable) for readable answers",
        "这看起来是问卷星的“按选项序号”下载：选择题的答案是选项序号（1、2…），不是选项文字；"
        "姓名、手机号和人数已导入，但请下载“按选项文本”（All_Data_Readable）以得到可读的答案",
    ),
    "signup_no_name_column": (
        "cannot find the name column (looked for 姓名 / 您的姓名 / 称呼…); the columns are: "
        "{columns}",
        "找不到姓名列（例如 姓名 / 您的姓名 / 称呼）；现有的列：{columns}",
    ),
    "signup_no_phone_column": (
        "cannot find the phone column (looked for 手机号码 / 手机 / 联系电话…); the columns "
        "are: {columns}",
        "找不到手机号列（例如 手机号码 / 手机 / 联系电话）；现有的列：{columns}",
    ),
    "signup_no_name_phone_column": (
        "cannot find the name and phone columns (looked for 姓名 / 手机号码 / 联系电话…); the "
        "columns are: {columns}",
        "找不到姓名列和手机号列（例如 姓名 / 手机号码 / 联系电话）；现有的列：{columns}",
    ),
    "signup_not_paid": (
        "payment: '{status}' — not paid, so it holds no place",
        "支付状态：{status}——尚未付款，不占名额",
    ),
    "signup_refunded": (
        "payment: '{status}' — refunded, so it holds no place",
        "支付状态：{status}——款项已退回，不占名额",
    ),
    # attendance import (services/attendance_read.py, attendance_match.py)
    "attendance_bad_join": ("join time {cell} is not a date and time", "入会时间 {cell} 无法识别"),
    "attendance_bad_leave": (
        "leave time {cell} is not a date and time",
        "离会时间 {cell} 无法识别",
    ),
    "attendance_no_identity": ("no name, phone or e-mail", "没有姓名、手机号或邮箱"),
    "attendance_leave_first": ("leave time is before join time", "离会时间早于入会时间"),
    "attendance_no_time": (
        "neither join/leave times nor a duration",
        "既没有入会/离会时间，也没有参会时长",
    ),
    "match_named_fit": (
        "{n} registrants named {who} have phones that fit {digits}",
        "有 {n} 位报名人叫 {who}，手机号都对得上 {digits}",
    ),
    "match_digits_other_name": (
        "the phone digits {digits} fit {fits}, but the name is {named}'s",
        "手机号 {digits} 对得上 {fits}，但姓名是 {named}",
    ),
    "match_suffix_only": (
        "no registrant has this name; the last four digits {suffix} alone are not enough",
        "报名名单里没有这个姓名；仅凭手机尾号 {suffix} 无法确定是谁",
    ),
    "match_many_fit": (
        "{n} registrants have phones that fit {digits}",
        "有 {n} 位报名人的手机号都对得上 {digits}",
    ),
    "match_many_named": ("{n} registrants are named {who}", "有 {n} 位报名人叫 {who}"),
    "match_nobody": (
        "no registrant has this phone, e-mail or name",
        "报名名单里没有这个手机号、邮箱或姓名",
    ),
    "match_anonymous": (
        "the name says nobody in particular (a phone dial-in, an anonymous viewer or a "
        "device); each of its stays is listed on its own",
        "这个名称看不出是谁（电话入会、匿名观众或设备名）；每次进入单独列出",
    ),
    "match_room": (
        "a meeting room: several people may have watched from it",
        "这是会议室设备：可能有多人在一起观看",
    ),
    "match_name_part": (
        "the nickname contains the name of {who}; not matched without a phone or e-mail "
        "to confirm it",
        "昵称里含有 {who} 的姓名；没有手机号或邮箱佐证，未自动匹配",
    ),
    # survey feedback import (services/feedback.py)
    "feedback_not_score": (
        "not a number from {lo} to {hi}: {text}",
        "不是 {lo} 到 {hi} 分的评分：{text}",
    ),
    "feedback_score_range": ("must be from {lo} to {hi}: {n}", "评分应在 {lo} 到 {hi} 之间：{n}"),
    "feedback_option_numbers": (
        "{file} looks like 问卷星's 按选项序号 download: its ratings are option numbers (option 1 "
        "may be 非常满意, the NPS options 1–11 stand for 0–10), so nothing was imported; "
        "download 按选项文本 (All_Data_Readable) and import that",
        "{file} 看起来是问卷星的“按选项序号”下载：评分是选项序号（选项 1 可能是“非常满意”，"
        "推荐度的选项 1–11 代表 0–10 分），因此未导入任何内容；请下载“按选项文本”"
        "（All_Data_Readable）后再导入",
    ),
    "feedback_phone_dropped": (
        "phone: {detail}; the answer is kept without it",
        "手机号：{detail}；问卷答案已保留，但未关联到客户",
    ),
    # people import (services/people_import.py)
    # likely duplicates (people duplicates, the merge screen)
    "dup_plate": ("same plate {plate}; similar name", "车牌相同 {plate}；姓名相似"),
    "dup_wechat": ("same WeChat {value}", "微信号相同 {value}"),
    "dup_email": ("same email {value}", "邮箱相同 {value}"),
    "dup_phone_tail": ("same last 8 phone digits …{digits}", "手机号后 8 位相同 …{digits}"),
    # people import: why a row was rejected or a value dropped (RowProblem)
    "import_phone": ("phone: {detail}", "手机号：{detail}"),
    "import_vin": ("VIN: {detail}", "车架号：{detail}"),
    "import_no_key": ("no name, phone or VIN", "没有姓名、手机号或车架号"),
    "import_cut": ("{label} cut to {max} characters", "{label}过长，已截断为 {max} 个字符"),
    "import_dropped": ("{label} dropped: {detail}", "{label}未导入：{detail}"),
    "import_stage_unknown": (
        "stage {stage} not understood (车主/会员/潜客 or owner/member/prospect)",
        "客户类型 {stage} 无法识别（可填 车主/会员/潜客 或 owner/member/prospect）",
    ),
    "import_phone_deleted": (
        "phone belongs to a deleted person; restore them first",
        "该手机号属于已删除的客户；请先恢复该客户",
    ),
    "import_vin_deleted": (
        "VIN belongs to a deleted vehicle; restore it first",
        "该车架号属于已删除的车辆；请先恢复该车辆",
    ),
    "import_no_owner": (
        "no name or phone for the owner of this vehicle",
        "没有车主的姓名或手机号，无法登记这辆车",
    ),
    "import_no_name": ("no name: the person is listed by phone", "没有姓名：按手机号列出"),
    "import_phone_second": (
        "phone: {first} is not a mobile number ({detail}); the second number {phone} was imported",
        "手机号：{first} 不是手机号（{detail}）；已导入第二个号码 {phone}",
    ),
    "import_phone_other": (
        "second phone: {other} was not imported; the phone is {phone} (one phone per person)",
        "备用电话：未导入 {other}；手机号为 {phone}（每位客户只存一个手机号）",
    ),
    "import_phone_more": (
        "phone: the cell holds more numbers; {phone} was imported, not {others}",
        "手机号：单元格中有多个号码，已导入 {phone}，未导入 {others}",
    ),
    "import_vin_fixed": (
        "VIN {raw} read as {vin} (a VIN has no I, O or Q; they were typed for 1 and 0)",
        "车架号 {raw} 按 {vin} 导入（车架号中没有字母 I、O、Q，应为数字 1 和 0）",
    ),
    "import_kept": (
        "{label} kept as {old} (file says {new})",
        "{label}保留原值 {old}（文件中为 {new}）",
    ),
    "import_vehicle_kept": (
        "vehicle {label} kept as {old} (file says {new})",
        "车辆{label}保留原值 {old}（文件中为 {new}）",
    ),
    "import_no_key_columns": (
        "no column for the name, phone or VIN was found (columns: {headers}); "
        "map at least one of them",
        "找不到姓名、手机号或车架号列（现有列：{headers}）；请至少指定其中一列",
    ),
    # check-in desk (services/checkin.py, walkin.py, attendance_import.py)
    "scan_accepted": ("Welcome, {name}!", "欢迎，{name}！"),
    "scan_manual_check_in_accepted": ("Checked in: {name}", "已手动签到：{name}"),
    "scan_already_checked_in": (
        "{name} is already checked in (at {when}, desk {desk})",
        "{name} 已签到（{when}，{desk} 号台）",
    ),
    "scan_unknown_ticket": (
        "Unknown ticket: genuine, but not found here",
        "未知门票：票是真的，但本库中没有这张票",
    ),
    "scan_invalid_ticket": ("Invalid ticket: {reason}", "无效门票：{reason}"),
    "scan_wrong_event": (
        "Wrong event: this ticket is for {other}",
        "活动不符：这张票属于「{other}」",
    ),
    # the desk's line in the CLI (commands/checkin.py): the result word, details and notes
    "scan_word_accepted": ("ACCEPTED", "签到成功"),
    "scan_word_check_out_accepted": ("ACCEPTED", "签退成功"),
    "scan_word_undo_accepted": ("ACCEPTED", "已撤销签到"),
    "scan_word_already_checked_in": ("ALREADY_CHECKED_IN", "已签到过"),
    "scan_word_already_checked_out": ("ALREADY_CHECKED_OUT", "已签退过"),
    "scan_word_not_checked_in": ("NOT_CHECKED_IN", "从未签到"),
    "scan_word_unknown_ticket": ("UNKNOWN_TICKET", "未知门票"),
    "scan_word_invalid_ticket": ("INVALID_TICKET", "无效门票"),
    "scan_word_wrong_event": ("WRONG_EVENT", "其他活动的门票"),
    "scan_word_cancelled": ("CANCELLED", "报名已取消"),
    "scan_word_revoked": ("REVOKED", "门票已作废"),
    "scan_word_waitlisted": ("WAITLISTED", "候补中"),
    "scan_word_not_open": ("NOT_OPEN", "不在签到时间内"),
    "scan_word_needs_answers": ("NEEDS_ANSWERS", "请回答签到问题"),
    "scan_word_pending": ("PENDING", "待审核"),
    "scan_word_declined": ("DECLINED", "未通过审核"),
    "scan_party": ("party {n}", "共 {n} 人"),
    "scan_note_first_visit": ("first visit", "首次到店"),
    "scan_note_walk_in": ("walk-in", "现场报名"),
    "scan_note_outside_window": ("outside the check-in window", "不在签到时间内"),
    "scan_note_referred_by": ("referred by {name}", "推荐人：{name}"),
    "scan_question_missing": (
        "  ? {label} ({type}){choices}: --answer {key}=…",
        "  ? {label}（{type}）{choices}：请用 --answer {key}=… 回答",
    ),
    "scan_gift": ("  gift: {name} ×{quantity} · {left}", "  礼品：{name} ×{quantity} · {left}"),
    "scan_gift_none_left": ("NO GIFT LEFT", "礼品已发完"),
    "scan_gift_left": ("{n} left", "剩余 {n} 份"),
    "scan_gift_low": ("{n} left (low)", "仅剩 {n} 份（库存不足）"),
    "walkin_new_prospect": ("new prospect", "新潜客"),
    # CLI lines: paddock desk counts, paddock today
    # (arrived counts walk-ins in, as the desk and the Today page do: event_counts.py)
    "desk_counts_line": (
        "expected {expected} · arrived {arrived} (of whom walk-ins {walk_ins}) · "
        "still to come {still_to_come} · checked out {checked_out}",
        "应到 {expected} · 已到 {arrived}（其中现场报名 {walk_ins}） · 未到 {still_to_come} · "
        "已签退 {checked_out}",
    ),
    "today_event_line": (
        "{title}: registered {registered} · arrived {arrived} (of whom walk-ins {walk_ins})"
        " · still to come {still_to_come}",
        "{title}：已报名 {registered} · 已到 {arrived}（其中现场报名 {walk_ins}） · "
        "未到 {still_to_come}",
    ),
    "today_calls_line": (
        "{title} · {butler}: {count} to call",
        "{title} · {butler}：待致电 {count} 人",
    ),
    "today_approval_line": ("{title}: {count} awaiting approval", "{title}：{count} 人待审核"),
    "today_nothing": ("nothing today", "今天没有安排"),
    # paddock signups import: the summary's lines (services/signups_import.py)
    "signups_new_people": ("({count} new people)", "（新增 {count} 人）"),
    "signups_registrations": ("registrations: {list}", "报名：{list}"),
    "signups_none": ("none", "无"),
    "signups_questions": ("questions answered: {list}", "已填写的问题：{list}"),
    "signups_registered": ("registered {n}", "已报名 {n}"),
    "signups_waitlisted": ("waitlisted {n}", "候补 {n}"),
    "signups_pending": ("awaiting approval {n}", "待审核 {n}"),
    "signups_reactivated": ("registered again {n}", "重新报名 {n}"),
    "signups_changed": ("changed {n}", "有更新 {n}"),
    "signups_already": ("already registered {n}", "已报名过 {n}"),
    "signups_kept_cancelled": ("kept cancelled {n}", "保持取消 {n}"),
    "scan_cancelled": ("{name}'s registration is cancelled", "{name} 的报名已取消"),
    "scan_revoked": (
        "Old ticket: {name} has a newer ticket",
        "旧票已作废：{name} 有一张新票",
    ),
    "scan_waitlisted": ("{name} is on the waitlist", "{name} 在候补名单中"),
    "scan_not_open": ("Check-in is not open now", "当前不在签到时间内"),
    "scan_needs_answers": (
        "{name}: answer the desk question(s) to finish the check-in",
        "{name}：请先回答签到问题，再完成签到",
    ),
    "scan_pending": ("{name} is awaiting approval", "{name} 的报名待审核"),
    "scan_declined": ("{name}'s application was declined", "{name} 的报名未通过审核"),
    "scan_check_out_accepted": ("Checked out: {name}", "已签退：{name}"),
    "scan_already_checked_out": ("{name} has already checked out", "{name} 已签退"),
    "scan_not_checked_in": ("{name} never checked in", "{name} 尚未签到"),
    "scan_undo_accepted": (
        "Check-in of {name} undone ({points} points)",
        "已撤销 {name} 的签到（积分 {points}）",
    ),
    "not_checked_in": ("{name} is not checked in; nothing to undo", "{name} 尚未签到，无需撤销"),
    "undo_take_gifts_back": (
        "Take back from the guest: {gifts} (returned to stock)",
        "请向客人收回礼品：{gifts}（已退回库存）",
    ),
    "no_seats_free": (
        "no seats are free; confirm to admit anyway",
        "名额已满；确认后仍可放行",
    ),
    "walkin_needs_phone_or_name": (
        "a walk-in needs a phone number and a name",
        "现场登记需要手机号和姓名",
    ),
    "attendance_no_table": (
        "no participant table found in {file} (expected a name column and times or minutes)",
        "在 {file} 中没有找到参会人员表（需要姓名列以及时间或时长列）",
    ),
    "attendance_sign_in_list": (
        "{file} is a sign-in list (签到): it says who signed in and when, not how long "
        "anyone stayed in the meeting; export the participant details instead (腾讯会议: "
        "参会成员明细, or 导出参会明细) and import that",
        "{file} 是签到列表：只记录谁在何时签到，没有每人在会议中的时长；请改为导出参会明细"
        "（腾讯会议：参会成员明细，或“导出参会明细”）后再导入",
    ),
    "attendance_other_day": (
        "this export's participants joined on {file_days}, but the event {title} is on "
        "{event_days}; check you chose the right file",
        "此导出文件中的参会者在 {file_days} 入会，但活动「{title}」在 {event_days}；"
        "请确认选对了文件",
    ),
    "attendance_other_day_meeting": (
        "the meeting in this export is dated {file_days}, but the event {title} is on "
        "{event_days}; check you chose the right file",
        "此导出文件中的会议日期是 {file_days}，但活动「{title}」在 {event_days}；请确认选对了文件",
    ),
    "cli_any_date": (
        "{reason}, or pass --any-date to import it anyway",
        "{reason}；如确实要导入，请加上 --any-date",
    ),
    "attendance_no_match": ("row {row} is not in this file", "此文件中没有第 {row} 行"),
    "not_online_event": (
        "{title} is an on-site event; attendance files are for online or hybrid events",
        "「{title}」是线下活动；参会文件只适用于线上或线上线下结合的活动",
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
    # HQ export / campaigns / merge (services/hq_export.py, campaigns.py, hq_merge.py)
    "hash_key_missing": (
        "hashed export needs HQ's hash key: run `paddock export hq --hash-key-file KEYFILE` once",
        "哈希导出需要总部的哈希密钥：请先运行一次 `paddock export hq --hash-key-file 密钥文件`",
    ),
    "hash_key_short": ("must be at least 16 characters", "至少 16 个字符"),
    "folder_missing": ("folder does not exist: {folder}", "文件夹不存在：{folder}"),
    "out_not_folder": (
        "{folder} is a file, not a folder; give a folder for the tickets",
        "{folder} 是文件而不是文件夹；请指定存放门票的文件夹",
    ),
    "export_cancelled": ("export cancelled; no file written", "导出已取消；未写入文件"),
    "campaign_required": ("{label} ({key}): is required", "{label}（{key}）：必须填写"),
    "campaign_other_dealer": ("not for this dealer", "不是发给本经销商的活动"),
    "campaign_deleted_here": ("deleted locally", "本店已删除该活动"),
    "campaign_locked": (
        "event is {status}; HQ changes not applied",
        "活动状态为 {status}；未应用总部的修改",
    ),
    "campaign_file_bad": ("{file}: {reason}", "{file}：{reason}"),
    "campaign_rows_bad": (
        "the campaign pack has {n} bad rows; nothing was imported",
        "活动包有 {n} 行有误；未导入任何内容",
    ),
    "sheet_rows_over_merge": (
        "the roll-up's {sheet} sheet would have {rows} rows, more than the {limit} an Excel "
        "sheet holds; nothing was written — merge fewer files at a time (one region, or one "
        "quarter's incremental exports)",
        "汇总表的 {sheet} 工作表将有 {rows} 行，超过 Excel 单个工作表的上限 {limit} 行；"
        "未写入任何内容——请分批合并（例如按大区，或按季度的增量导出）",
    ),
    "sheet_rows_over_export": (
        "the {sheet} sheet would have {rows} rows, more than the {limit} an Excel sheet "
        "holds; nothing was written — export only what changed (--since-last)",
        "{sheet} 工作表将有 {rows} 行，超过 Excel 单个工作表的上限 {limit} 行；"
        "未写入任何内容——请只导出变更的数据（--since-last）",
    ),
    "points_checkin": ("check-in: {event}", "签到：{event}"),
    "points_checkin_undone": ("check-in undone: {event}", "撤销签到：{event}"),
    "merge_nothing": (
        "no file could be merged; nothing written",
        "没有可合并的文件；未写入任何内容",
    ),
    # event packs for offline laptops (services/packs.py)
    "pack_phone_taken": (
        "phone taken: another person here has this phone now; that change was not imported",
        "手机号已被占用：本店另一位客户现在使用这个手机号；该修改未导入",
    ),
    "pack_vin_taken": (
        "VIN taken: another vehicle here has this VIN now; that change was not imported",
        "车架号已被占用：本店另一辆车现在使用这个车架号；该修改未导入",
    ),
    "pack_not_sqlite": (
        "{file} is not an event pack (not a SQLite file)",
        "{file} 不是活动包（不是 SQLite 文件）",
    ),
    "pack_truncated": (
        "{file} is damaged or incomplete ({reason}); it was probably cut short while "
        "copying — copy it again from the laptop; nothing was imported",
        "{file} 已损坏或不完整（{reason}）；可能在复制时被截断——请从笔记本重新复制；未导入任何内容",
    ),
    "pack_not_a_pack": (
        "{file} is a Paddock database but not an event pack; nothing was imported",
        "{file} 是 Paddock 数据库，但不是活动包；未导入任何内容",
    ),
    "pack_other_dealer": (
        "this pack belongs to dealer {pack_dealer}, not to this dealership ({dealer}); "
        "nothing was imported",
        "此活动包属于经销商 {pack_dealer}，不属于本店（{dealer}）；未导入任何内容",
    ),
    "pack_newer_schema": (
        "this pack was written by a newer Paddock (schema {rev}); update Paddock here "
        "first; nothing was imported",
        "此活动包由更新版本的 Paddock 写入（数据结构 {rev}）；请先升级本机的 Paddock；未导入任何内容",
    ),
    "pack_bad_checksum": (
        "this pack's signature does not match this dealership's key (edited by hand, or "
        "made by another database); nothing was imported",
        "此活动包的签名与本店密钥不符（被手工修改过，或来自另一个数据库）；未导入任何内容",
    ),
    "pack_event_missing": (
        "the pack's event ({title}) does not exist in this database; nothing was imported",
        "活动包中的活动（{title}）在本数据库中不存在；未导入任何内容",
    ),
    "pack_same_db": (
        "this file is the open database itself, not a pack to import",
        "该文件就是当前打开的数据库，不是要导入的活动包",
    ),
    # faults, backups (logging_setup / services/backup.py / faults.py)
    "db_locked": (
        "the database is busy: another program or desk holds it ({path}); try again in a "
        "moment, or close the other Paddock window",
        "数据库正被其他程序或前台占用（{path}）；请稍后重试，或关闭另一个 Paddock 窗口",
    ),
    "db_readonly": (
        "the database cannot be written ({path}): the file or its folder is read-only; "
        "copy it to a writable folder or ask IT for write access",
        "数据库无法写入（{path}）：文件或所在文件夹是只读的；请复制到可写的文件夹，或请 IT 开通写权限",
    ),
    "disk_full": (
        "the disk is full ({path}); free some space and try again (nothing was saved)",
        "磁盘已满（{path}）；请清理空间后重试（本次未保存任何内容）",
    ),
    "db_unreachable": (
        "cannot reach the database server ({detail}); check the network and try again",
        "无法连接数据库服务器（{detail}）；请检查网络后重试",
    ),
    "db_io_error": (
        "the database file could not be read or written ({detail}); check the disk",
        "数据库文件读写失败（{detail}）；请检查磁盘",
    ),
    "unexpected_error": (
        "unexpected error ({detail}); details are in the log: {log}",
        "发生意外错误（{detail}）；详细信息见日志：{log}",
    ),
    "backup_not_sqlite": (
        "{path} is not a SQLite database file",
        "{path} 不是 SQLite 数据库文件",
    ),
    "backup_corrupt": (
        "{path} is damaged (integrity check: {detail}); choose another backup",
        "{path} 已损坏（完整性检查：{detail}）；请选择其他备份",
    ),
    "backup_not_paddock": (
        "{path} is not a Paddock database",
        "{path} 不是 Paddock 数据库",
    ),
    "backup_newer": (
        "{path} was written by a newer Paddock (schema {rev}); install the newer version",
        "{path} 由更新版本的 Paddock 写入（结构版本 {rev}）；请安装新版本",
    ),
    "backup_server_db": (
        "backups of a PostgreSQL database are made on the server (pg_dump), not by Paddock",
        "PostgreSQL 数据库的备份在服务器上进行（pg_dump），不由 Paddock 完成",
    ),
    "restore_in_use": (
        "the database is in use by another program or desk ({path}); close every Paddock "
        "window using it, then restore",
        "数据库正被其他程序或前台使用（{path}）；请关闭所有使用它的 Paddock 窗口后再恢复",
    ),
    "not_found": ("{what} not found: {ident}", "找不到{what}：{ident}"),
    "demo_not_empty": (
        "this database already has events; the demo dataset only goes into a new database "
        "(e.g. paddock --db demo.sqlite demo)",
        "此数据库已有活动；演示数据只能填入新数据库（例如 paddock --db demo.sqlite demo）",
    ),
    # files that cannot be read at all (io/tables.py); {reason} is one of unreadable_*
    "unreadable_file": ("cannot read {file}: {reason}", "无法读取 {file}：{reason}"),
    "unopenable_file": ("cannot open {file}: {reason}", "无法打开 {file}：{reason}"),
    "unreadable_empty_bytes": ("the file is empty (0 bytes)", "文件是空的（0 字节）"),
    "unreadable_empty_rows": ("the file is empty (no rows)", "文件是空的（没有任何行）"),
    "unreadable_pdf": ("it is a PDF document", "这是 PDF 文档，不是表格"),
    "unreadable_image": ("it is a picture", "这是图片，不是表格"),
    "unreadable_archive": (
        "it is a compressed archive (rar/7z/gz); unpack it first",
        "这是压缩包（rar/7z/gz）；请先解压",
    ),
    "unreadable_sqlite": (
        "it is a database file, not a spreadsheet",
        "这是数据库文件，不是表格",
    ),
    "unreadable_html": (
        "it is a web page (HTML) saved with a spreadsheet name; open it in Excel and save it "
        "as .xlsx",
        "这是以表格文件名保存的网页（HTML）；请用 Excel 打开并另存为 .xlsx",
    ),
    "unreadable_rows": (
        "it has {rows} rows; Paddock reads at most {limit} per sheet",
        "文件有 {rows} 行；每个工作表最多读取 {limit} 行",
    ),
    "unreadable_rows_more": (
        "it has more than {limit} rows; split the file and try again",
        "文件超过 {limit} 行；请拆分后再试",
    ),
    "unreadable_cell_long": (
        "cell {cell} has {chars} characters (at most {limit}); is this the right file?",
        "单元格 {cell} 有 {chars} 个字符（最多 {limit} 个）；是不是选错了文件？",
    ),
    "unreadable_damaged": (
        "the file is damaged (an incomplete download or copy?); get a fresh copy",
        "文件已损坏（下载或复制不完整？）；请重新获取一份",
    ),
    "unreadable_word": ("it is a Word document, not a spreadsheet", "这是 Word 文档，不是表格"),
    "unreadable_doc": (
        "it is an old Word document (.doc), not a spreadsheet",
        "这是旧版 Word 文档（.doc），不是表格",
    ),
    "unreadable_powerpoint": (
        "it is a PowerPoint file, not a spreadsheet",
        "这是 PowerPoint 文件，不是表格",
    ),
    "unreadable_opendocument": (
        "it is an OpenDocument file; save it as .xlsx in Excel/WPS",
        "这是 OpenDocument 文件；请在 Excel/WPS 中另存为 .xlsx",
    ),
    "unreadable_zip": (
        "it is a zip archive, not an Excel workbook",
        "这是 zip 压缩包，不是 Excel 工作簿",
    ),
    "unreadable_xlsb": (
        "it is an .xlsb (binary) workbook; save it as .xlsx",
        "这是 .xlsb（二进制）工作簿；请另存为 .xlsx",
    ),
    "unreadable_unpacks": (
        "it unpacks to {gb} GB; that is not a normal sheet",
        "解压后有 {gb} GB；这不是正常的表格",
    ),
    "unreadable_ratio": (
        "it unpacks {ratio} times its size ({mb} MB); not a normal sheet",
        "解压后是原大小的 {ratio} 倍（{mb} MB）；这不是正常的表格",
    ),
    "unreadable_password": (
        "the workbook is password-protected; remove the password in Excel (File → Info → "
        "Protect Workbook) and save again",
        "工作簿设有密码；请在 Excel 中取消密码（文件 → 信息 → 保护工作簿）后重新保存",
    ),
    "unreadable_xlsx_damaged": (
        "the Excel workbook is damaged ({detail})",
        "Excel 工作簿已损坏（{detail}）",
    ),
    "unreadable_xls_damaged": (
        "the Excel 97-2003 (.xls) file is damaged ({detail})",
        "Excel 97-2003（.xls）文件已损坏（{detail}）",
    ),
    "unreadable_xml_damaged": (
        "the XML spreadsheet is damaged ({detail})",
        "XML 表格已损坏（{detail}）",
    ),
    "unreadable_no_sheet": (
        "there is no sheet named '{sheet}' (sheets: {sheets})",
        "没有名为“{sheet}”的工作表（现有：{sheets}）",
    ),
    "unreadable_sheet_damaged": (
        "sheet '{sheet}' is damaged ({detail})",
        "工作表“{sheet}”已损坏（{detail}）",
    ),
    "unreadable_text_big": (
        "it is {mb} MB of text; split it and try again",
        "文本有 {mb} MB；请拆分后再试",
    ),
    "unreadable_not_text": (
        "it is not a spreadsheet or text file ({detail})",
        "既不是表格也不是文本文件（{detail}）",
    ),
    "unreadable_binary": (
        "it is a binary file, not a spreadsheet or CSV text",
        "这是二进制文件，不是表格或 CSV 文本",
    ),
    "unreadable_csv_row": (
        "row {row} cannot be read as CSV ({detail})",
        "第 {row} 行无法按 CSV 读取（{detail}）",
    ),
    "unreadable_no_rows": ("there are no rows", "没有任何数据行"),
    "unreadable_no_rows_sheet": (
        "there are no rows (sheet '{sheet}')",
        "没有任何数据行（工作表“{sheet}”）",
    ),
    "unreadable_header_blank": (
        "row {row} is blank; it cannot be the header",
        "第 {row} 行是空的，不能作为表头",
    ),
    "file_missing": ("file not found: {path}", "找不到文件：{path}"),
    "file_is_folder": ("{path} is a folder, not a file", "{path} 是文件夹，不是文件"),
    "dealer_code": (
        "use 2–32 letters, digits, '-' or '_' (e.g. SH-0021)",
        "请使用 2–32 个字母、数字、“-”或“_”（例如 SH-0021）",
    ),
    # staff sign-in, roles, kiosk, audit
    "permission_denied": (
        "{staff} ({role}) may not {permission}; ask an admin",
        "{staff}（{role}）无权{permission}；请联系管理员",
    ),
    "sign_in_required": (
        "staff accounts are set up: sign in first (--staff NAME --pin PIN, or PADDOCK_STAFF "
        "and PADDOCK_PIN) to {permission}",
        "已启用员工账号：请先登录（--staff 姓名 --pin 密码，或设置 PADDOCK_STAFF 和 "
        "PADDOCK_PIN）才能{permission}",
    ),
    "kiosk_denied": (
        "this desk is in kiosk mode (check-in only); an admin PIN unlocks it to {permission}",
        "本前台处于自助签到模式（仅限签到）；需管理员密码解锁后才能{permission}",
    ),
    "sign_in_failed": ("wrong name or PIN/password", "姓名或密码错误"),
    "sign_in_locked": (
        "too many wrong PINs for {staff}: locked until {until} (about {minutes} min)",
        "{staff} 的密码错误次数过多：已锁定至 {until}（约 {minutes} 分钟）",
    ),
    "sign_in_no_secret": (
        "{staff} has no PIN or password yet; an admin sets one with: paddock staff set-pin",
        "{staff} 还没有设置密码；请管理员执行：paddock staff set-pin",
    ),
    "pin_too_short": (
        "must be at least {min} characters (a PIN of {min}+ digits or a password)",
        "至少 {min} 位（{min} 位以上数字密码或字母密码）",
    ),
    "pin_mismatch": ("the two entries differ", "两次输入不一致"),
    "pin_too_long": ("is too long (at most {max} characters)", "太长（最多 {max} 个字符）"),
    "last_admin": (
        "{staff} is the last admin with a PIN; add another admin first",
        "{staff} 是最后一位设有密码的管理员；请先添加另一位管理员",
    ),
    "first_account_admin": (
        "the first staff account with a PIN must be an admin (otherwise nobody could manage staff)",
        "第一个设置密码的员工账号必须是管理员（否则没有人能管理员工）",
    ),
    "kiosk_unlock_admin": (
        "only an admin PIN unlocks kiosk mode",
        "只有管理员密码才能解除自助签到模式",
    ),
    "file_too_big": (
        "{path} is too big to import ({size} MB unpacked, at most {max} MB)",
        "{path} 太大，无法导入（解压后 {size} MB，最多 {max} MB）",
    ),
    # --- issue 13: imports that never lose a person (only a missing identity rejects a row)
    "import_phone_unverified": (
        "phone: {detail}; the person is imported without a phone, the number is kept in "
        "the notes to check",
        "手机号：{detail}；客户已导入（未存手机号），该号码已记入备注待核实",
    ),
    "import_vin_unverified": (
        "VIN: {detail}; the person and the car are imported without it, the VIN is kept in "
        "the notes to check",
        "车架号：{detail}；客户和车辆已导入（未存车架号），该车架号已记入备注待核实",
    ),
    "import_vin_deleted_left_out": (
        "VIN belongs to a deleted vehicle: left out (restore the vehicle to use it)",
        "该车架号属于已删除的车辆：未导入车架号（恢复该车辆后可再使用）",
    ),
    "import_vin_phone_conflict": (
        "VIN is on the vehicle of {owner}, but the phone belongs to {other}: the VIN was "
        "left out (fix the row, or merge the two people)",
        "车架号登记在 {owner} 名下，但手机号属于 {other}：未导入车架号（请修改该行，或先合并这两位客户）",
    ),
    "import_vin_other_phone": (
        "VIN is on the vehicle of {owner} ({owner_phone}), not of {phone}: the VIN was left "
        "out (if the car changed hands, move it in the People screen)",
        "车架号登记在 {owner}（{owner_phone}）名下，不是 {phone}：未导入车架号"
        "（如车辆已转手，请在客户页面中转移）",
    ),
    "import_not_data": (
        "not a data row (no name, phone or e-mail)",
        "不是数据行（没有姓名、手机号或邮箱）",
    ),
    "signup_event_refused": (
        "{title} is {status}: a sign-up file can go into a published or closed event only; "
        "nothing was imported",
        "「{title}」的状态为「{status}」：报名文件只能导入已发布或已截止报名的活动；未导入任何内容",
    ),
    "signup_name_missing": (
        "name: no name; the person is named by their phone until someone types the name",
        "没有填写姓名；暂以手机号作为姓名，可稍后补填",
    ),
    "signup_party_unread": (
        "party size: {detail}; counted as {n}",
        "报名人数：{detail}；按 {n} 人计",
    ),
    "signup_party_range": (
        "party size: {raw} is a range; counted as the upper bound {n}",
        "报名人数：{raw} 是一个范围；按上限 {n} 人计",
    ),
    "signup_submitted_unread": (
        "submit time: {detail}; the place in the queue is the import's time",
        "提交时间：{detail}；排队顺序按导入时间计",
    ),
    "signup_plate_unverified": (
        "plate: {detail}; kept as the answer as written, to check",
        "车牌号：{detail}；按原样保存在报名答案中，待核实",
    ),
    "signup_drive_no_plate": (
        "plate: none given, and a club drive needs the car; registered without one (ask for it)",
        "车牌号：未填写，自驾活动需要车辆信息；已报名但没有车牌（请向车主确认）",
    ),
    "signup_drive_no_plate_column": (
        "this club drive's form asks no plate: the registrations come in without cars",
        "该自驾活动的报名表没有车牌号一题：报名已导入，但没有车辆信息",
    ),
    "signup_not_registered": (
        "{detail}; the person is kept, without a registration",
        "{detail}；已保留该客户，但未报名",
    ),
    "attendance_event_refused": (
        "{title} is {status}: it has no attendance to import; nothing was imported",
        "「{title}」的状态为「{status}」：没有可导入的参会记录；未导入任何内容",
    ),
    # `paddock attendance import`'s first line: people (participants, staff), then rows
    "attendance_participant": ("{n} participant", "参会者 {n} 人"),
    "attendance_participants": ("{n} participants", "参会者 {n} 人"),
    "attendance_staff_row": ("{n} staff ({rows} row) left out", "已排除员工 {n} 人（{rows} 行）"),
    "attendance_staff_rows": (
        "{n} staff ({rows} rows) left out",
        "已排除员工 {n} 人（{rows} 行）",
    ),
    "attendance_summary": (
        "{platform}: {participants}, {staff}; matched {matched}, unmatched {unmatched}; "
        "attended (≥ {minutes} min) {attended}",
        "{platform}：{participants}，{staff}；已匹配 {matched}，未匹配 {unmatched}；"
        "出席（≥ {minutes} 分钟）{attended}",
    ),
    "attendance_staff_line": ("  staff: {name} ({why})", "  员工：{name}（{why}）"),
    "attendance_unmatched_line": (
        "  unmatched: {name} ({minutes} min; {reason})  key={key}",
        "  未匹配：{name}（{minutes} 分钟；{reason}）  key={key}",
    ),
    "attendance_staff_host": ("host or co-host", "主持人或联席主持人"),
    "attendance_staff_not_guest": (
        "signed in to the host's account (Zoom Guest = No)",
        "使用主持人所在机构的账号入会（Zoom Guest = No）",
    ),
    "attendance_staff_domain": (
        "e-mail on the host's own domain {domain}",
        "邮箱属于主持人所在的域名 {domain}",
    ),
    "attendance_staff_list": (
        "on Paddock's staff list ({how})",
        "在 Paddock 员工名单中（{how}）",
    ),
    "feedback_event_refused": (
        "{title} is {status}: it has no feedback to import; nothing was imported",
        "「{title}」的状态为「{status}」：没有可导入的反馈；未导入任何内容",
    ),
    "feedback_answer_dropped": (
        "{label}: {detail}; the rest of the answer is kept",
        "{label}：{detail}；该份问卷的其他答案已保留",
    ),
    "feedback_no_answer": (
        "no readable answer: {detail}",
        "没有可识别的答案：{detail}",
    ),
    "campaign_value_dropped": (
        "{label} ({key}): cannot read {cell}; left out",
        "{label}（{key}）：无法识别 {cell}；未导入该值",
    ),
    "campaign_negative_dropped": (
        "{label} ({key}): must not be negative; left out",
        "{label}（{key}）：不能为负数；未导入该值",
    ),
    "campaign_choice_default": (
        "{label} ({key}): {cell} is not one of {choices}; {default} was used",
        "{label}（{key}）：{cell} 不是 {choices} 之一；已按 {default} 导入",
    ),
    "campaign_ends_dropped": (
        "ends_at: {cell} is not after starts_at; left out",
        "结束时间（ends_at）{cell} 不晚于开始时间（starts_at）；未导入该值",
    ),
    "campaign_title_from_code": (
        "{label} (title): empty; the campaign code {campaign} is the title",
        "{label}（title）为空；已用活动编码 {campaign} 作为名称",
    ),
    # the buckets of an import report (services/import_report), as the CLI says them
    "bucket_rows": ("{n} rows", "共 {n} 行"),
    "bucket_created": ("{n} created", "新建 {n}"),
    "bucket_updated": ("{n} updated", "更新 {n}"),
    "bucket_unchanged": ("{n} unchanged", "无变化 {n}"),
    "bucket_duplicates": ("{n} duplicates", "重复 {n}"),
    "bucket_additional_cars": ("{n} more cars of a person above", "同一客户的其他车辆 {n}"),
    "bucket_not_registered": ("{n} kept without a registration", "保留客户但未报名 {n}"),
    "bucket_rejoins": ("{n} rejoins", "重新入会 {n}"),
    "bucket_staff": ("{n} staff rows left out", "员工记录（已排除）{n} 行"),
    "bucket_absent": ("{n} registered, never came", "报名未参加 {n}"),
    "bucket_empty": ("{n} empty answer sheets", "空白问卷 {n}"),
    "bucket_conflicted": ("{n} conflicted (local kept)", "冲突（保留本店值）{n}"),
    "bucket_skipped": ("{n} skipped", "跳过 {n}"),
    "bucket_rejected": ("{n} rejected", "拒绝 {n}"),
    "bucket_warnings": ("{n} warnings", "警告 {n}"),
    "report_dry_run": ("Dry run (nothing saved): ", "试运行（未保存任何内容）："),
    "people_import_vehicles": (
        "vehicles: {added} added, {updated} updated",
        "车辆：新增 {added}，更新 {updated}",
    ),
    "people_import_new_staff": (
        "new staff (coordinators): {names}",
        "新建员工（活动专员）：{names}",
    ),
    "report_rejected_row": ("row {row}: rejected: {reason}", "第 {row} 行：未导入：{reason}"),
    "report_warning_row": ("row {row}: {reason}", "第 {row} 行：{reason}"),
    "report_warning_file": ("the whole file: {reason}", "整个文件：{reason}"),
    "campaign_repeats": (
        "campaign_code {campaign} repeats row {first}; this row was not applied",
        "活动编码 {campaign} 与第 {first} 行重复；未应用该行",
    ),
    # issue 17: HQ's PostgreSQL warehouse (store/warehouse.py, services/hq_load.py, hq_rollup.py)
    "warehouse_not_postgres": (
        "the HQ warehouse is a PostgreSQL database (postgresql://user:password@host/database), "
        "not {url}; a small HQ without a server merges files with `paddock hq merge`",
        "总部数据仓库必须是 PostgreSQL 数据库（postgresql://用户:密码@主机/数据库），"
        "而不是 {url}；没有服务器的小型总部请用 `paddock hq merge` 合并文件",
    ),
    "warehouse_unreachable": (
        "cannot reach the HQ warehouse at {url}: {detail}",
        "无法连接总部数据仓库 {url}：{detail}",
    ),
    "warehouse_foreign_schema": (
        "this database already has a schema {schema} that is not Paddock's warehouse; "
        "choose another database",
        "该数据库已有一个不属于 Paddock 数据仓库的 {schema} 模式；请换一个数据库",
    ),
    "warehouse_newer": (
        "this warehouse was set up by a newer Paddock (warehouse schema {revision}); "
        "install the newer version to use it",
        "该数据仓库由更新版本的 Paddock 创建（仓库结构 {revision}）；请安装新版本后再使用",
    ),
    "warehouse_empty": (
        "{url} holds no HQ warehouse yet: load dealers' files first "
        "(`paddock hq load FILES… --into URL`)",
        "{url} 中还没有总部数据仓库：请先导入经销商文件（`paddock hq load 文件… --into URL`）",
    ),
    "warehouse_needs_upgrade": (
        "the warehouse is at schema {revision} and this Paddock needs {head}: run "
        "`paddock hq load` once (it upgrades the warehouse) with an account allowed to change it",
        "数据仓库结构为 {revision}，本版本 Paddock 需要 {head}：请用有修改权限的账号运行一次 "
        "`paddock hq load`（它会升级数据仓库）",
    ),
    "warehouse_read_only": (
        "this role may read the HQ warehouse {url} but not load files into it ({detail}); "
        "load with the role that owns the warehouse",
        "该角色可以读取总部数据仓库 {url}，但不能向其导入文件（{detail}）；请用数据仓库所有者的角色导入",
    ),
    "warehouse_cannot_migrate": (
        "cannot set up or upgrade the HQ warehouse in {url}: {detail} — the first load (and "
        "the first after an update) needs a role that may create a schema in that database, "
        "such as its owner",
        "无法在 {url} 中创建或升级总部数据仓库：{detail}——首次导入（以及升级后的首次导入）"
        "需要一个可以在该数据库中创建模式的角色，例如数据库所有者",
    ),
    "date_range_reversed": ("must not be before --from", "不能早于 --from 的日期"),
    "warehouse_lost": (
        "the connection to the warehouse {url} was lost ({detail}); the {loaded} file(s) "
        "loaded before it stay loaded, the one loading was rolled back — run the same "
        "command again (files already loaded are skipped)",
        "与数据仓库 {url} 的连接中断（{detail}）；之前已导入的 {loaded} 个文件保持不变，"
        "正在导入的文件已回滚——请再次运行同一命令（已导入的文件会被跳过）",
    ),
    # issue 14: questions and answers (services/questions.py)
    "answer_one_value": ("takes one answer, not a list", "只能有一个答案"),
    "answer_not_yes_no": ("'{raw}' is not yes or no (是/否)", "“{raw}”不是“是”或“否”"),
    "answer_not_number": ("'{raw}' is not a number", "“{raw}”不是数字"),
    "answer_not_date": (
        "'{raw}' is not a date (use 2026-05-01)",
        "“{raw}”不是日期（例如 2026-05-01）",
    ),
    "answer_not_choice": ("'{raw}' is not one of: {choices}", "“{raw}”不是以下选项之一：{choices}"),
    "answer_pair": (
        "write each answer as KEY=VALUE (got '{pair}')",
        "答案请写成 KEY=值（收到“{pair}”）",
    ),
    "unknown_question": (
        "this event has no question '{key}' (its questions: {keys})",
        "本活动没有问题“{key}”（现有问题：{keys}）",
    ),
    "answers_required": (
        "answer the required question(s) first: {labels}",
        "请先回答必答问题：{labels}",
    ),
    "question_key_bad": (
        "use up to {max} letters, digits, '_' or '-', starting with a letter (e.g. lunch)",
        "最多 {max} 个字母、数字、“_”或“-”，以字母开头（例如 lunch）",
    ),
    "question_key_taken": ("this event already has a question '{key}'", "本活动已有问题“{key}”"),
    "question_choices_needed": (
        "a choice question needs at least two options (e.g. S,M,L)",
        "选择题至少需要两个选项（例如 S,M,L）",
    ),
    "question_choices_many": ("at most {max} options", "最多 {max} 个选项"),
    "question_choice_bad": (
        "option '{choice}' is too long or contains ; | ┋",
        "选项“{choice}”太长或含有 ; | ┋",
    ),
    "question_asked_nowhere": (
        "ask the question at sign-up, at the desk, or both",
        "问题需在报名时、签到时或两处提问",
    ),
    "question_type_answered": (
        "{n} people answered this question: its type can no longer change",
        "已有 {n} 人回答此问题：不能再更改题型",
    ),
    "question_choice_answered": (
        "people chose {choice}: that option cannot be removed",
        "已有人选择“{choice}”：该选项不能删除",
    ),
    "signup_answer_dropped": (
        "column {column}: {detail}; the answer was left out (the registration came in)",
        "{column} 列：{detail}；该答案未导入（报名已导入）",
    ),
    # issue 14: approval (services/approval.py)
    "not_pending": (
        "only a pending application can be decided (this one is {status})",
        "只有待审核的报名才能审核（此报名为“{status}”）",
    ),
    "walkin_needs_approval": (
        "{title} is invite-only (approval); confirm to approve and admit at the door",
        "「{title}」需审核报名；确认后可当场审核通过并入场",
    ),
    # issue 14: gifts (services/gifts.py)
    "gift_rule_bad": (
        "must be per_registration, per_person, tier:gold, first:50 or referrers",
        "必须是 per_registration、per_person、tier:gold、first:50 或 referrers",
    ),
    "gift_tier_bad": ("the tier must be one of: {tiers}", "等级必须是以下之一：{tiers}"),
    "gift_first_n_bad": (
        "first:N needs a number of arrivals (e.g. first:50)",
        "first:N 需要人数（例如 first:50）",
    ),
    "gift_stock_below_handed": (
        "{handed} were already handed: the stock cannot be less",
        "已发放 {handed} 份：库存不能少于此数",
    ),
    # `paddock pay / refund / payment void` and `paddock fees EVENT` as text (commands/fees.py)
    "fees_received": (
        "{name}: received {amount} ({method}), receipt {receipt}",
        "{name}：收款 {amount}（{method}），收据 {receipt}",
    ),
    "fees_refunded": (
        "{name}: refunded {amount} ({method}), receipt {receipt}",
        "{name}：退款 {amount}（{method}），收据 {receipt}",
    ),
    "fees_corrected": (
        "{name}: corrected {amount} ({method}), receipt {receipt}",
        "{name}：冲正 {amount}（{method}），收据 {receipt}",
    ),
    "fees_replayed": (
        "{name}: already recorded — {amount} ({method}), receipt {receipt}; nothing new written",
        "{name}：此笔已登记过 — {amount}（{method}），收据 {receipt}；未重复登记",
    ),
    "fees_balance": (
        "paid {paid} of {owed}, outstanding {outstanding}",
        "应付 {owed}，已付 {paid}，尚欠 {outstanding}",
    ),
    "fees_balance_overpaid": (
        "paid {paid} of {owed}, overpaid {refund}: a refund is due",
        "应付 {owed}，已付 {paid}，多付 {refund}：应退款",
    ),
    "fees_total": (
        "total owed {owed}, paid {paid}, outstanding {outstanding}",
        "应收合计 {owed}，已收 {paid}，待收 {outstanding}",
    ),
    "fees_total_refund": (", refund due {refund}", "，应退 {refund}"),
    # issue 15: costs shared among participants, payments, refunds, receipts
    "money_negative": ("must not be negative", "不能为负数"),
    "money_cents": (
        "has more than two decimals (money is counted in fen)",
        "小数超过两位（金额精确到分）",
    ),
    "money_zero": ("must be more than 0", "必须大于 0"),
    "money_too_big": ("is too large", "金额太大"),
    "subsidy_over_amount": ("cannot be more than the amount", "不能超过金额"),
    "fee_event_cancelled": (
        "the event is cancelled: no more payments or cost changes, only refunds",
        "活动已取消：不能再收款或修改费用，只能退款",
    ),
    "fee_registration_cancelled": (
        "this registration is cancelled: nothing to pay (refund what was paid instead)",
        "该报名已取消：无需缴费（如已缴费请办理退款）",
    ),
    "refund_nothing_paid": (
        "nothing was paid for this registration, so nothing can be refunded",
        "该报名没有缴费记录，无法退款",
    ),
    "refund_nothing_due": (
        "paid ¥{paid} and owes ¥{owed}: no refund is due (give --amount to refund anyway)",
        "已缴 ¥{paid}，应缴 ¥{owed}：无需退款（如仍要退款请指定金额）",
    ),
    "refund_too_much": (
        "cannot refund more than was paid (¥{paid})",
        "退款不能超过已缴金额（¥{paid}）",
    ),
    "void_correction": (
        "a correction cannot be voided; record a new payment or refund instead",
        "更正记录不能作废；请重新登记收款或退款",
    ),
    "already_voided": ("receipt {receipt} was already voided", "收据 {receipt} 已作废"),
    "receipts_used_up": (
        "this event pack has used all its receipt numbers (up to {last}); take further "
        "payments at the dealership or export a new pack",
        "此活动包的收据编号已用完（至 {last}）；请回到店内收款或重新导出活动包",
    ),
    "bad_receipt_file": ("must end in .pdf or .png", "文件名必须以 .pdf 或 .png 结尾"),
    "no_payment_for_receipt": (
        "no payment is recorded for this registration yet: nothing to give a receipt for",
        "该报名还没有收款记录，无法开具收据",
    ),
    # issue 15: partner perks and vouchers
    "points_redeem": ("perk: {what}", "积分兑换：{what}"),
    "points_redeem_cancel": ("perk cancelled, points back: {what}", "取消兑换，积分退回：{what}"),
    "perk_out_of_stock": ("{perk} is out of stock", "「{perk}」已兑完"),
    "points_short": (
        "not enough points: {balance} available, {points} needed",
        "积分不足：现有 {balance}，需要 {points}",
    ),
    "perk_inactive": ("{perk} is not offered at the moment", "「{perk}」暂未开放兑换"),
    "perk_not_yet": ("{perk} can be redeemed from {day}", "「{perk}」从 {day} 起可兑换"),
    "perk_over": ("{perk} could be redeemed until {day}", "「{perk}」的兑换已于 {day} 截止"),
    "perk_tier": (
        "{perk} is for {tier} members and above (this member: {have})",
        "「{perk}」仅限 {tier} 及以上会员（该会员：{have}）",
    ),
    "perk_limit": (
        "{perk} can be redeemed at most {n} time(s) per person",
        "「{perk}」每人最多兑换 {n} 次",
    ),
    "voucher_invalid": ("not a valid voucher: {reason}", "不是有效的权益券：{reason}"),
    "voucher_consumed": (
        "this voucher was already used at the partner: it cannot be cancelled",
        "该权益券已在商家核销，不能取消",
    ),
    "voucher_already_cancelled": ("this voucher is already cancelled", "该权益券已取消"),
    "partner_ambiguous": (
        "several partners are called {name}: use the partner's id",
        "有多个名为「{name}」的合作商家：请使用编号",
    ),
    "perk_ambiguous": (
        "several perks are called {name}: use the perk's id",
        "有多个名为「{name}」的权益：请使用编号",
    ),
    "stock_below_issued": (
        "cannot be lower than the {issued} vouchers already issued",
        "不能少于已发出的 {issued} 张券",
    ),
    # issue 16: PDFs (badges, ticket sheets)
    "bad_label_size": (
        "{value!r} is not a label size: use a preset (90x55, 62x29, 62x100, 89x36, 101x54, "
        "102x59) or width x height in mm, 20–300",
        "{value!r} 不是有效的标签尺寸：请用预设尺寸（90x55、62x29、62x100、89x36、101x54、"
        "102x59）或 宽x高（毫米，20–300）",
    ),
    "nothing_to_print": ("the event has nobody to print a badge for", "该活动没有可打印胸牌的人"),
    "pdf_font_missing": (
        "the PDF font {path} is missing: reinstall Paddock",
        "缺少 PDF 字体 {path}：请重新安装 Paddock",
    ),
    # ---- issue 18 (personal data: consent, erasure, a person's copy, retention, packs)
    "person_erased": (
        "this person's personal data was erased; create a new person instead",
        "该客户的个人信息已被删除；请新建客户",
    ),
    "erase_reason_needed": (
        "give a reason for the erasure (e.g. 'customer asked on 2026-05-01')",
        "请填写删除原因（例如“客户于 2026-05-01 要求删除”）",
    ),
    "erase_already": ("this person was already erased on {at}", "该客户已于 {at} 删除"),
    "retention_months_bad": (
        "the retention period must be a whole number of months from 1 to 240",
        "保留期限必须是 1 到 240 之间的整数（月）",
    ),
    "pack_encrypted": (
        "this pack is encrypted: give its passphrase",
        "此活动包已加密：请提供其密码",
    ),
    "pack_wrong_passphrase": (
        "{file}: wrong passphrase (or not a Paddock pack); nothing was opened",
        "{file}：密码错误（或不是 Paddock 活动包）；未打开任何内容",
    ),
    "pack_passphrase_short": (
        "the pack passphrase must have at least {min} characters",
        "活动包密码至少需要 {min} 个字符",
    ),
    "pack_passphrase_needed": (
        "packs are encrypted: choose a passphrase (--passphrase P or PADDOCK_PASSPHRASE)",
        "活动包会加密：请设定密码（--passphrase P 或 PADDOCK_PASSPHRASE）",
    ),
    "sqlcipher_missing": (
        "encrypted packs need the sqlcipher3 package (pip install sqlcipher3)",
        "加密活动包需要 sqlcipher3 组件（pip install sqlcipher3）",
    ),
    "bad_xlsx_type": ("must end in .xlsx", "文件名必须以 .xlsx 结尾"),
    "import_consent_unclear": (
        "not a yes or no (同意/不同意, 是/否): no consent recorded",
        "不是明确的同意或不同意（同意/不同意、是/否）：未记录授权",
    ),
    "person_lookup_ambiguous": (
        "give a person's ID or mobile number: {text} matches nobody",
        "请提供客户编号或手机号：{text} 未找到任何客户",
    ),
}

# What each permission lets a person do, as the tail of "may not …" (roles.Permission).
PERMISSION_WORDS: dict[str, tuple[str, str]] = {
    "check_in": ("check people in", "办理签到"),
    "walk_in": ("register walk-ins", "登记现场报名"),
    "look_up_people": ("look up people", "查询客户"),
    "edit_people": ("change people's records", "修改客户资料"),
    "plan_events": ("plan events", "策划活动"),
    "register": ("register people for events", "为活动报名"),
    "invitations": ("work on invitation call lists", "处理邀约名单"),
    "imports": ("import files", "导入文件"),
    "points": ("change points", "调整积分"),
    "settings": ("change settings", "修改设置"),
    "export_pii": ("export personal data", "导出个人信息"),
    "exports": ("export files", "导出文件"),
    "staff": ("manage staff accounts", "管理员工账号"),
    "merges": ("merge people or HQ data", "合并客户或总部数据"),
    "backups": ("make or restore backups", "备份或恢复数据"),
    "audit": ("view the audit log", "查看操作日志"),
    "reports": ("view reports", "查看报表"),
    "approve": ("approve or decline registrations", "审核报名"),
    # issue 15
    "payments": ("record payments and refunds", "登记收款和退款"),
    "vouchers": ("redeem or verify perk vouchers", "兑换或核销权益券"),
    "perks": ("manage partners and perks", "管理合作商家和权益"),
    # issue 18 (personal data)
    "erase_people": ("erase people's personal data", "删除客户个人信息"),
}

# issue 15: member tiers in a message (perk_tier); the UI has its own labels (ui/labels.py)
TIER_WORDS: dict[str, tuple[str, str]] = {
    "none": ("no tier", "无等级"),
    "silver": ("Silver", "银卡"),
    "gold": ("Gold", "金卡"),
    "platinum": ("Platinum", "白金卡"),
}


# A question's type in a message or the desk's CLI line; the UI has its own labels
QUESTION_TYPE_WORDS: dict[str, tuple[str, str]] = {
    "text": ("text", "文本"),
    "number": ("number", "数字"),
    "yes_no": ("yes_no", "是 / 否"),
    "choice": ("choice", "单选"),
    "multi": ("multi", "多选"),
    "date": ("date", "日期"),
}

# An event's status in a message (not_editable, signup_event_refused, …); the UI has its own
# labels (ui/labels.py EVENT_STATUSES) with the same Chinese words
EVENT_STATUS_WORDS: dict[str, tuple[str, str]] = {
    "draft": ("draft", "草稿"),
    "published": ("published", "已发布"),
    "closed": ("closed", "已截止"),
    "completed": ("completed", "已完成"),
    "cancelled": ("cancelled", "已取消"),
    "deleted": ("deleted", "已删除"),
}


class Word(str):
    """A stored key (a tier, a status…) that is said in the reader's language inside a
    message; still the key itself for str() and JSON."""

    words: ClassVar[dict[str, tuple[str, str]]] = {}

    def localized(self, lang: str | None = None) -> str:
        en, zh = self.words.get(str(self), (str(self), str(self)))
        return zh if (lang or current_language()) == "zh" else en


class TierWord(Word):
    """A member tier key (silver, gold…)."""

    words = TIER_WORDS


class EventStatusWord(Word):
    """An event status key (draft, published…)."""

    words = EVENT_STATUS_WORDS


class QuestionTypeWord(Word):
    """A question type key (text, choice…)."""

    words = QUESTION_TYPE_WORDS


ROLE_WORDS: dict[str, tuple[str, str]] = {
    "front_desk": ("front desk", "前台"),
    "coordinator": ("coordinator", "活动专员"),
    "admin": ("admin", "管理员"),
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
    "phone2": ("Second phone", "备用电话"),
    "mapping": ("mapping", "列对应"),
    "description": ("Description", "说明"),
    "wechat": ("WeChat", "微信"),
    "email": ("Email", "邮箱"),
    "stage": ("Stage", "阶段"),
    "butler_id": ("Butler", "管家"),
    "referred_by_id": ("Referred by", "推荐人"),
    "birthday": ("Birthday", "生日"),
    "tags": ("Tags", "标签"),
    "vin": ("VIN", "车架号"),
    "model": ("Model", "车型"),
    "purchase_date": ("Purchase date", "购车日期"),
    "consent_marketing": ("Marketing consent", "营销授权"),
    "role": ("Role", "角色"),
    "reason": ("Reason", "原因"),
    "delta": ("Points", "积分"),
    "club": ("Club", "车友会"),
    "tiers": ("Tier thresholds", "等级门槛"),
    "joined_on": ("Joined", "入会日期"),
    "party_size": ("Party size", "人数"),
    "interest_model": ("Model of interest", "意向车型"),
    "plate": ("Plate", "车牌"),
    "passengers": ("Passengers", "同车人数"),
    "source": ("Source", "来源"),
    "butler": ("Butler", "管家"),
    "notes": ("Notes", "备注"),
    "vehicle": ("Vehicle", "车辆"),
    "person": ("Person", "人员"),
    "pin": ("PIN or password", "密码"),
    "since": ("From", "起始日期"),
    "until": ("Until", "截止日期"),
    # issue 13: the columns an import report names
    "join": ("Join time", "入会时间"),
    "leave": ("Leave time", "离会时间"),
    "duration": ("Duration", "时长"),
    "party": ("Party size", "报名人数"),
    "companions": ("Companions", "同行人数"),
    "submitted": ("Submit time", "提交时间"),
    "payment": ("Payment", "支付状态"),
    "rating": ("Rating", "评分"),
    "nps": ("NPS", "推荐度"),
    "comment": ("Comment", "意见"),
    "date_to": ("To (--to)", "截止日期（--to）"),  # issue 17: hq rollup
    # issue 14
    "key": ("Key", "代码"),
    "choices": ("Options", "选项"),
    "at_desk": ("Asked", "提问时机"),
    "answer": ("Answer", "答案"),
    "stock": ("Stock", "库存"),
    "rule": ("Rule", "规则"),
    "cost": ("Cost", "单价"),
    "gift": ("Gift", "礼品"),
    # issue 15
    "amount": ("Amount", "金额"),
    "split": ("Split", "分摊方式"),
    "subsidy": ("Dealer subsidy", "经销商补贴"),
    "label": ("Name", "名称"),  # a question's wording (issue 14), a cost item (issue 15)
    "method": ("Method", "支付方式"),
    "reference": ("Reference", "交易单号"),
    "note": ("Note", "备注"),
    "taken_by": ("Taken by", "经手人"),
    "contact": ("Contact", "联系方式"),
    "city": ("City", "城市"),
    "points": ("Points", "积分"),
    "tier": ("Tier", "会员等级"),
    "per_person_limit": ("Per-person limit", "每人限兑"),
    "valid_from": ("Valid from", "开始日期"),
    "valid_until": ("Valid until", "截止日期"),
    "by": ("Verified by", "核销人"),
    "out": ("Output file", "输出文件"),
    # issue 16
    "size": ("Label size", "标签尺寸"),
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


THINGS: dict[str, tuple[str, str]] = {
    "event": ("event", "活动"),
    "person": ("person", "客户"),
    "registration": ("registration", "报名"),
    "club": ("club", "车友会"),
    "staff": ("staff member", "员工"),
    "template": ("template", "模板"),
    "invitation": ("invitation", "邀约"),
    "vehicle": ("vehicle", "车辆"),
    "file": ("file", "文件"),
    "attendance row": ("attendance row", "参会记录"),
    "ticket": ("ticket", "门票"),
    "question": ("question", "问题"),
    "gift": ("gift", "礼品"),
    # issue 15
    "cost item": ("cost item", "费用项目"),
    "payment": ("payment", "收款记录"),
    "partner": ("partner", "合作商家"),
    "perk": ("perk", "权益"),
    "voucher": ("voucher", "权益券"),
}


def thing(what: str, lang: str | None = None) -> str:
    """The name of a kind of record (for 'not found' messages)."""
    lang = lang or current_language()
    en, zh = THINGS.get(what, (what, what))
    return zh if lang == "zh" else en


def field_label(field: str, lang: str | None = None) -> str:
    lang = lang or current_language()
    en, zh = FIELD_LABELS.get(field, (field, field))
    return zh if lang == "zh" else en
