"""Report labels in English and Chinese: the report files, the CLI and the screens share
them. Kept apart from report_export so that printing a report does not import openpyxl."""

from __future__ import annotations

from typing import Any

EVENT_KPI_ROWS = (
    "registered",
    "attended",
    "attendance_rate",
    "no_shows",
    "still_to_come",
    "walk_ins",
    "new_prospects",
    "existing_owners",
    "club_members",
    "referrals",
    "new_members",
    "points_awarded",
    "avg_rating",
    "nps",
    "feedback_count",
    "cancelled",
    "waitlisted",
    "cost_per_attendee",
)


def event_kpi_rows(data: dict[str, Any]) -> tuple[str, ...]:
    """The summary's rows: approval counts only for an event that had applications."""
    extra = ("pending", "declined") if data.get("pending") or data.get("declined") else ()
    return EVENT_KPI_ROWS + extra


COMMUNITY_ROWS = (
    "events",
    "cancelled_events",
    "registered",
    "attended",
    "attendance_rate",
    "walk_ins",
    "referrals",
    "unique_attendees",
    "repeat_attendees",
    "converted",
)

L: dict[str, tuple[str, str]] = {
    "event_report": ("Event report", "活动报告"),
    "community_report": ("Community report", "车主社群报告"),
    "summary": ("Summary", "概览"),
    "arrivals": ("Arrivals", "到场曲线"),
    "arrival_curve": ("Check-ins per 10 minutes", "每 10 分钟签到人数"),
    "by_source": ("By source", "按来源"),
    "by_butler": ("By butler", "按管家"),
    "feedback": ("Feedback", "反馈"),
    "months": ("Months", "月度"),
    "types": ("Event types", "活动类型"),
    "leaderboard": ("Super users", "超级用户"),
    "clubs": ("Clubs", "车友会"),
    "butlers": ("Butlers", "管家"),
    "converted": ("Converted", "转化"),
    "funnel": ("Funnel: invited → registered → attended", "漏斗：邀约 → 报名 → 到场"),
    "monthly_trend": ("Attendance per month", "每月到场趋势"),
    "source_split": ("Attended by source", "到场来源分布"),
    "events_by_type": ("Events by type", "按类型的活动数"),
    "butler_funnel": ("Butlers: invited → registered → attended", "管家：邀约 → 报名 → 到场"),
    "metric": ("Metric", "指标"),
    "value": ("Value", "数值"),
    "time": ("Time", "时间"),
    "check_ins": ("Check-ins", "签到"),
    "source": ("Source", "来源"),
    "butler": ("Butler", "管家"),
    "invited": ("Invited", "邀约"),
    "called": ("Called", "已致电"),
    "registered": ("Registered", "报名"),
    "attended": ("Attended", "到场"),
    "attendance_rate": ("Attendance rate", "到场率"),
    "came_registered": ("Registered and came", "报名且到场"),
    "no_shows": ("No-shows", "未到场"),
    "still_to_come": ("Still to come", "尚未到场"),
    "walk_ins": ("Walk-ins", "现场登记"),
    "new_prospects": ("New prospects", "新潜客"),
    "existing_owners": ("Existing owners", "老车主"),
    "club_members": ("Club members", "车友会会员"),
    "referrals": ("Referrals", "转介绍"),
    "new_members": ("New members", "新会员"),
    "points_awarded": ("Points awarded", "发放积分"),
    "avg_rating": ("Average rating (1–5)", "平均评分（1–5）"),
    "nps": ("NPS", "净推荐值 NPS"),
    "feedback_count": ("Feedback answers", "反馈份数"),
    "cancelled": ("Cancelled", "已取消"),
    "waitlisted": ("Waitlisted", "候补"),
    "cost_per_attendee": ("Cost per attendee (¥)", "人均成本（元）"),
    "budget": ("Budget (¥)", "预算（元）"),
    "events": ("Events", "活动数"),
    "cancelled_events": ("Cancelled events", "取消的活动"),
    "unique_attendees": ("Different people who came", "到场人数（去重）"),
    "repeat_attendees": ("People at 2+ events", "参加 2 场以上的人"),
    "month": ("Month", "月份"),
    "type": ("Type", "类型"),
    "name": ("Name", "姓名"),
    "kol": ("KOL", "KOL"),
    "events_attended": ("Events attended", "参加活动"),
    "referrals_attended": ("Referrals who came", "转介绍到场"),
    "members": ("Members", "会员数"),
    "stage": ("Stage", "阶段"),
    "first_attended_at": ("First came", "首次到场"),
    "stage_changed_at": ("Stage changed", "阶段变更"),
    "comment": ("Comment", "意见"),
    "rating": ("Rating", "评分"),
    "when": ("When", "时间"),
    "period": ("Period", "期间"),
    "no_data": ("No registrations yet — nothing to chart.", "暂无报名数据，无法生成图表。"),
    "no_events": ("No events in this period.", "该期间没有活动。"),
    "yes": ("yes", "是"),
    "page_of": ("Page {n} of {m}", "第 {n} 页 / 共 {m} 页"),
    "generated": ("Generated", "生成时间"),
    "campaign_code": ("HQ campaign", "总部活动编号"),
    # event types and registration sources
    "open_day": ("Open day", "开放日"),
    "parts_tour": ("Parts tour", "零件中心参观"),
    "model_day": ("Model day", "车型日"),
    "care_class": ("Care class", "养护课堂"),
    "club_drive": ("Club drive", "车友会自驾"),
    "member_day": ("Member day", "会员日"),
    "city_meetup": ("City meetup", "城市聚会"),
    "other": ("Other", "其他"),
    "on_site": ("On site", "现场"),
    "online": ("Online", "线上"),
    "hybrid": ("Hybrid", "线上线下结合"),
    # the CLI's event card (paddock event show) and Today lines
    "event_id": ("id", "编号"),
    "event_when": ("when", "时间"),
    "venue": ("venue", "地点"),
    "online_link": ("link", "线上链接"),
    "capacity": ("capacity", "名额"),
    "points_award": ("points", "积分"),
    "approval": ("approval", "报名审核"),
    "approval_required": ("required", "需审核"),
    "session": ("session", "场次"),
    "birthday": ("birthday", "生日"),
    "purchase_anniversary": ("purchase anniversary", "购车周年"),
    "walk_in": ("Walk-in", "现场登记"),
    "phone_invite": ("Phone invitation", "电话邀约"),
    "online_form": ("Online form", "线上报名"),
    "hq_list": ("HQ list", "总部名单"),
    "referral": ("Referral", "转介绍"),
    "club": ("Club", "车友会"),
    "prospect": ("Prospect", "潜客"),
    "owner": ("Owner", "车主"),
    "member": ("Member", "会员"),
    # issue 14: questions, approval, gifts
    "answers": ("Answers", "问卷答案"),
    "question": ("Question", "问题"),
    "option": ("Answer", "选项"),
    "count": ("People", "人数"),
    "answered": ("Answered", "已回答"),
    "unanswered": ("Not answered", "未回答"),
    "mean": ("Average", "平均"),
    "no": ("no", "否"),
    "gifts": ("Gifts", "礼品"),
    "gift": ("Gift", "礼品"),
    "stock": ("Stock", "库存"),
    "handed": ("Handed", "已发放"),
    "left": ("Left", "剩余"),
    "unit_cost": ("Cost per item (¥)", "单价（元）"),
    "gift_cost": ("Gift cost (¥)", "礼品成本（元）"),
    "gifts_handed": ("Gifts handed", "已发礼品"),
    "pending": ("Awaiting approval", "待审核"),
    "declined": ("Declined", "未通过"),
    # receipts (io/pdf/receipt.py, issue 16)
    "receipt": ("Receipt", "收据"),
    "refund": ("Refund receipt", "退款收据"),
    "receipt_no": ("No.", "编号"),
    "receipt_date": ("Date", "日期"),
    "payer": ("Received from", "付款人"),
    "paid_for": ("For", "事由"),
    "pay_method": ("Payment method", "付款方式"),
    "transaction": ("Transaction", "交易单号"),
    "received_by": ("Received by", "经办人"),
    # a refund receipt: the money goes to the person, by a refund method
    "refund_payee": ("Refunded to", "收款人"),
    "refund_method": ("Refund method", "退款方式"),
    "refunded_by": ("Refunded by", "经办人"),
    "line_item": ("Item", "项目"),
    "quantity": ("Qty", "数量"),
    "unit_price": ("Unit price", "单价"),
    "line_amount": ("Amount", "金额"),
    "receipt_total": ("Total", "合计"),
    "paid_before": ("Paid before", "此前已付"),
    "paid_now": ("This payment", "本次收款"),
    "refunded": ("Refunded", "本次退款"),
    "balance_due": ("Balance due", "尚欠金额"),
    # the event report's shared costs (issue 15), in its .xlsx and .pdf
    "money": ("Shared costs (AA)", "费用分摊"),
    "money_collected": ("Collected (¥)", "已收款（元）"),
    "money_spent": ("Spent (¥)", "总支出（元）"),
    "money_subsidy": ("Dealer subsidy (¥)", "经销商补贴（元）"),
    "money_balance": ("Balance (¥)", "结余（元）"),
    "money_owed": ("Owed by participants (¥)", "参与者应付（元）"),
    "money_outstanding": ("Outstanding (¥)", "待收（元）"),
    "money_refund_due": ("To refund (¥)", "待退款（元）"),
    "money_cost_per_attendee": ("Cost per attendee (¥)", "人均费用（元）"),
    "money_subsidy_per_attendee": ("Subsidy per attendee (¥)", "人均补贴（元）"),
}


def label(key: str, lang: str) -> str:
    en, zh = L.get(key, (key, key))
    return zh if lang == "zh" else en


def answer_rows(counts: Any, lang: str) -> list[tuple[str, int]]:
    """(option as read, people) of one question's counts: yes/no in the reader's words."""
    return [(label(o.option, lang) if counts.type == "yes_no" else o.option, o.count)
            for o in counts.options]  # fmt: skip


MONEY_ROWS = ("collected", "spent", "subsidy", "balance", "owed", "outstanding", "refund_due",
              "cost_per_attendee", "subsidy_per_attendee")  # fmt: skip


def money_rows(money: Any, lang: str) -> list[tuple[str, int | None]]:
    """(label, cents) of an event report's shared-cost figures (services/fees.EventMoney),
    in the order the report shows them."""
    return [(label(f"money_{k}", lang), getattr(money, k)) for k in MONEY_ROWS]
