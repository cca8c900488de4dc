<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>AdjustPointsDialog</name>
    <message>
        <source>Adjust points</source>
        <translation>调整积分</translation>
    </message>
    <message>
        <source>Balance now</source>
        <translation>当前余额</translation>
    </message>
    <message>
        <source>Change (+/−)</source>
        <translation>变动（+/−）</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>required, e.g. 老带新奖励 / goodwill for late delivery</source>
        <translation>必填，例如：老带新奖励 / 延迟交车补偿</translation>
    </message>
</context>
<context>
    <name>AnswersForm</name>
    <message>
        <source>a number, e.g. 2</source>
        <translation>数字，例如 2</translation>
    </message>
</context>
<context>
    <name>ApprovalBar</name>
    <message>
        <source>Approve</source>
        <translation>通过</translation>
    </message>
    <message>
        <source>Give the selected applicants a seat and a ticket</source>
        <translation>为选中的申请人分配名额并发放门票</translation>
    </message>
    <message>
        <source>Decline…</source>
        <translation>不通过…</translation>
    </message>
    <message>
        <source>Select applications awaiting approval first.</source>
        <translation>请先选择待审核的报名。</translation>
    </message>
    <message>
        <source>Say why they are declined (the reason is kept).</source>
        <translation>请填写不通过的原因（原因会保留）。</translation>
    </message>
    <message>
        <source>Not enough seats</source>
        <translation>名额不足</translation>
    </message>
    <message>
        <source>The selection needs {need} seats; {free} are free.</source>
        <translation>所选报名需要 {need} 个名额，目前空余 {free} 个。</translation>
    </message>
    <message>
        <source>Seat them all (over capacity)</source>
        <translation>全部通过（超出名额）</translation>
    </message>
    <message>
        <source>Waitlist the rest</source>
        <translation>其余进入候补</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Decline</source>
        <translation>不通过</translation>
    </message>
    <message>
        <source>Reason (kept with the record)</source>
        <translation>原因（随记录保留）</translation>
    </message>
    <message>
        <source>{n} approved with a ticket</source>
        <translation>{n} 人已通过并发票</translation>
    </message>
    <message>
        <source>{n} approved onto the waitlist (no seat free)</source>
        <translation>{n} 人已通过，进入候补（名额已满）</translation>
    </message>
    <message>
        <source>{n} declined</source>
        <translation>{n} 人未通过</translation>
    </message>
    <message>
        <source>{n} skipped</source>
        <translation>{n} 人跳过</translation>
    </message>
</context>
<context>
    <name>ArrivalCurveCard</name>
    <message>
        <source>Arrival curve (check-ins per 10 minutes)</source>
        <translation>到场曲线（每 10 分钟签到人数）</translation>
    </message>
    <message>
        <source>From</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Check-ins</source>
        <translation>签到人数</translation>
    </message>
    <message>
        <source>No check-ins yet — the arrival curve fills in as people arrive.</source>
        <translation>还没有人签到——有人到场后，到场曲线会逐步显示。</translation>
    </message>
</context>
<context>
    <name>AssignDialog</name>
    <message>
        <source>Assign to butler</source>
        <translation>分配给管家</translation>
    </message>
    <message>
        <source>No event: make them this butler&apos;s people</source>
        <translation>不选活动：设为该管家名下客户</translation>
    </message>
    <message>
        <source>Call list of %1</source>
        <translation>%1 的邀约名单</translation>
    </message>
    <message>
        <source>Note for the butler (optional)</source>
        <translation>给管家的备注（可选）</translation>
    </message>
    <message>
        <source>%1. With an event, each gets a line on the butler&apos;s call list for it; without one, the butler becomes their butler.</source>
        <translation>%1。选了活动：每人加入该管家这场活动的邀约名单；不选活动：该管家成为他们的专属管家。</translation>
    </message>
    <message numerus="yes">
        <source>Selected: %n</source>
        <translation>
            <numerusform>已选 %n 人</numerusform>
        </translation>
    </message>
    <message>
        <source>Butler</source>
        <translation>管家</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>活动</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>No active butlers yet: add staff in Settings first.</source>
        <translation>还没有在岗的管家：请先在“设置”中添加员工。</translation>
    </message>
</context>
<context>
    <name>Attendees</name>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>手机号</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Seats</source>
        <translation>座位数</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Ticket</source>
        <translation>门票</translation>
    </message>
    <message>
        <source>Registered</source>
        <translation>报名时间</translation>
    </message>
    <message>
        <source>Owes</source>
        <translation>应缴</translation>
    </message>
    <message>
        <source>People · plate</source>
        <translation>人数 · 车牌</translation>
    </message>
    <message>
        <source>refund %1</source>
        <translation>应退 %1</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>欠 %1 / 共 %2</translation>
    </message>
    <message>
        <source>paid</source>
        <translation>已缴清</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <source>All sources</source>
        <translation>全部来源</translation>
    </message>
    <message>
        <source>Search name or phone</source>
        <translation>搜索姓名或手机号</translation>
    </message>
    <message>
        <source>Answers…</source>
        <translation>答案…</translation>
    </message>
    <message>
        <source>Import sign-ups…</source>
        <translation>导入线上报名…</translation>
    </message>
    <message>
        <source>Register…</source>
        <translation>报名…</translation>
    </message>
    <message>
        <source>Cancel registration…</source>
        <translation>取消报名…</translation>
    </message>
    <message>
        <source>Reissue ticket</source>
        <translation>重新出票</translation>
    </message>
    <message>
        <source>Ticket…</source>
        <translation>门票…</translation>
    </message>
    <message>
        <source>Print tickets and badges…</source>
        <translation>打印门票和胸牌…</translation>
    </message>
    <message>
        <source>cars</source>
        <translation>辆车</translation>
    </message>
    <message>
        <source>seats</source>
        <translation>个座位</translation>
    </message>
    <message>
        <source>{used} / {cap} {unit} used · {waiting} on the waitlist · {n} registrations</source>
        <translation>已用 {used} / {cap} {unit} · 候补 {waiting} 人 · 报名 {n} 人</translation>
    </message>
    <message>
        <source>{n} awaiting approval</source>
        <translation>{n} 人待审核</translation>
    </message>
    <message>
        <source>{name} is on the waitlist (position {n})</source>
        <translation>{name} 已进入候补（第 {n} 位）</translation>
    </message>
    <message>
        <source>{name} registered</source>
        <translation>{name} 报名成功</translation>
    </message>
    <message>
        <source>Cancel registration</source>
        <translation>取消报名</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>{name}&apos;s registration is cancelled.</source>
        <translation>{name} 的报名已取消。</translation>
    </message>
    <message>
        <source>Promoted from the waitlist: {names}</source>
        <translation>候补转正：{names}</translation>
    </message>
    <message>
        <source>Paid %1: refund it in the Fees tab.</source>
        <translation>已缴 %1：请在“费用”标签中退款。</translation>
    </message>
    <message>
        <source>New ticket {code}; the old one no longer works</source>
        <translation>新门票 {code}；旧门票已作废</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>出现问题</translation>
    </message>
    <message>
        <source>Any answers</source>
        <translation>全部答案</translation>
    </message>
    <message>
        <source>Attendees — {title}</source>
        <translation>参加人员 — {title}</translation>
    </message>
    <message>
        <source>Attendees</source>
        <translation>报名名单</translation>
    </message>
    <message>
        <source>Fees (AA)</source>
        <translation>费用（AA）</translation>
    </message>
</context>
<context>
    <name>AuditModel</name>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Staff</source>
        <translation>员工</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>(system)</source>
        <translation>（系统）</translation>
    </message>
</context>
<context>
    <name>AuditPage</name>
    <message>
        <source>Audit log</source>
        <translation>操作日志</translation>
    </message>
    <message>
        <source>Staff name</source>
        <translation>员工姓名</translation>
    </message>
    <message>
        <source>Search actions and records</source>
        <translation>搜索操作或对象</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>From</source>
        <translation>起始日期</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Only admins can see the audit log.</source>
        <translation>只有管理员可以查看操作日志。</translation>
    </message>
    <message>
        <source>All actions</source>
        <translation>全部操作</translation>
    </message>
    <message numerus="yes">
        <source>%n entries</source>
        <translation>
            <numerusform>共 %n 条记录</numerusform>
        </translation>
    </message>
    <message>
        <source>Export the audit log</source>
        <translation>导出操作日志</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx);;CSV (*.csv)</source>
        <translation>Excel 工作簿 (*.xlsx);;CSV 文件 (*.csv)</translation>
    </message>
    <message numerus="yes">
        <source>%n entries written to %1</source>
        <translation>
            <numerusform>已将 %n 条记录导出到 %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>BadgeSizes</name>
    <message>
        <source>90 × 55 mm — badge card</source>
        <translation>90 × 55 毫米 — 胸牌卡纸</translation>
    </message>
    <message>
        <source>62 × 29 mm — Brother DK-11209</source>
        <translation>62 × 29 毫米 — 兄弟 DK-11209</translation>
    </message>
    <message>
        <source>62 × 100 mm — Brother DK-11202</source>
        <translation>62 × 100 毫米 — 兄弟 DK-11202</translation>
    </message>
    <message>
        <source>89 × 36 mm — DYMO 99012</source>
        <translation>89 × 36 毫米 — DYMO 99012</translation>
    </message>
    <message>
        <source>101 × 54 mm — DYMO 99014</source>
        <translation>101 × 54 毫米 — DYMO 99014</translation>
    </message>
    <message>
        <source>102 × 59 mm — DYMO name badge 30857</source>
        <translation>102 × 59 毫米 — DYMO 胸牌 30857</translation>
    </message>
</context>
<context>
    <name>BulkAttendanceDialog</name>
    <message>
        <source>Attendance from the sign-in sheet — %1</source>
        <translation>按签到表录入到场 — %1</translation>
    </message>
    <message>
        <source>Filter by name or phone (↓ to the list, Space ticks)</source>
        <translation>按姓名或手机号筛选（↓ 进入列表，空格勾选）</translation>
    </message>
    <message>
        <source>Mark attended (Ctrl+Enter)</source>
        <translation>标记为已到场（Ctrl+Enter）</translation>
    </message>
    <message>
        <source>already checked in</source>
        <translation>已签到</translation>
    </message>
    <message numerus="yes">
        <source>%n ticked</source>
        <translation>
            <numerusform>已勾选 %n 人</numerusform>
        </translation>
    </message>
    <message>
        <source>Marked attended: %1. Already checked in: %2.</source>
        <translation>已标记到场：%1。此前已签到：%2。</translation>
    </message>
    <message>
        <source>Not marked: %1</source>
        <translation>未标记：%1</translation>
    </message>
</context>
<context>
    <name>CallLists</name>
    <message>
        <source>To call</source>
        <translation>待致电</translation>
    </message>
    <message>
        <source>No answer</source>
        <translation>未接通</translation>
    </message>
    <message>
        <source>Invited</source>
        <translation>已邀约</translation>
    </message>
    <message>
        <source>Declined</source>
        <translation>已婉拒</translation>
    </message>
    <message>
        <source>Registered</source>
        <translation>已报名</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>手机号</translation>
    </message>
    <message>
        <source>Butler</source>
        <translation>管家</translation>
    </message>
    <message>
        <source>Call</source>
        <translation>致电</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Registration</source>
        <translation>报名</translation>
    </message>
    <message>
        <source>Any attendance</source>
        <translation>不限参加情况</translation>
    </message>
    <message>
        <source>Attended in the last N months</source>
        <translation>最近 N 个月参加过</translation>
    </message>
    <message>
        <source>Not attended in the last N months</source>
        <translation>最近 N 个月未参加</translation>
    </message>
    <message>
        <source>Never attended</source>
        <translation>从未参加</translation>
    </message>
    <message>
        <source>Unassigned</source>
        <translation>未分配</translation>
    </message>
    <message>
        <source>Note for this call</source>
        <translation>本次通话备注</translation>
    </message>
    <message>
        <source>Audience</source>
        <translation>邀约对象</translation>
    </message>
    <message>
        <source>Any tier</source>
        <translation>不限等级</translation>
    </message>
    <message>
        <source>Vehicle models, comma separated</source>
        <translation>车型，用逗号分隔</translation>
    </message>
    <message>
        <source>Tags, comma separated</source>
        <translation>标签，用逗号分隔</translation>
    </message>
    <message>
        <source>Purchased between</source>
        <translation>购车日期介于</translation>
    </message>
    <message>
        <source> months</source>
        <translation> 个月</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>预览</translation>
    </message>
    <message>
        <source>Build call lists</source>
        <translation>生成致电名单</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <source>Tier</source>
        <translation>等级</translation>
    </message>
    <message>
        <source>Vehicle model</source>
        <translation>车型</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Attendance</source>
        <translation>参加情况</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>活动</translation>
    </message>
    <message>
        <source>List</source>
        <translation>名单</translation>
    </message>
    <message>
        <source>All butlers</source>
        <translation>全部管家</translation>
    </message>
    <message>
        <source>Any butler</source>
        <translation>不限管家</translation>
    </message>
    <message>
        <source>People who match: {count}</source>
        <translation>符合条件：{count} 人</translation>
    </message>
    <message>
        <source> ({count} more left out: no marketing consent)</source>
        <translation>（另有 {count} 人未同意营销联系，已排除）</translation>
    </message>
    <message>
        <source>{added} added to the call lists ({already} already there or registered)</source>
        <translation>已加入致电名单 {added} 人（{already} 人已在名单中或已报名）</translation>
    </message>
    <message>
        <source>No published event to invite people to.</source>
        <translation>没有可邀约的已发布活动。</translation>
    </message>
    <message>
        <source>registered {n}</source>
        <translation>已报名 {n}</translation>
    </message>
    <message>
        <source>No call lists yet.</source>
        <translation>尚无致电名单。</translation>
    </message>
    <message>
        <source>Awaiting approval ({n}): {names}</source>
        <translation>待审核（{n}）：{names}</translation>
    </message>
</context>
<context>
    <name>CareClassSection</name>
    <message>
        <source>Care class</source>
        <translation>养护课堂</translation>
    </message>
    <message>
        <source>Session start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Session end</source>
        <translation>结束</translation>
    </message>
    <message>
        <source>Session topic</source>
        <translation>本节主题</translation>
    </message>
    <message>
        <source>Add session</source>
        <translation>添加课时</translation>
    </message>
    <message>
        <source>Remove session</source>
        <translation>删除课时</translation>
    </message>
    <message>
        <source>Instructor</source>
        <translation>讲师</translation>
    </message>
    <message>
        <source>Topic</source>
        <translation>主题</translation>
    </message>
    <message>
        <source>Sessions</source>
        <translation>课时</translation>
    </message>
</context>
<context>
    <name>ChartCard</name>
    <message>
        <source>Show numbers</source>
        <translation>显示数据</translation>
    </message>
    <message>
        <source>Switch between the chart and its numbers</source>
        <translation>在图表与数据表之间切换</translation>
    </message>
    <message>
        <source>Show chart</source>
        <translation>显示图表</translation>
    </message>
</context>
<context>
    <name>CheckinPage</name>
    <message>
        <source>Check-in</source>
        <translation>签到</translation>
    </message>
    <message>
        <source>Tick the event(s) this desk admits today — several at once is fine — then start the desk.</source>
        <translation>勾选本签到台今天接待的活动（可多选），然后开始签到。</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Play a sound for each result</source>
        <translation>每次扫码播放提示音</translation>
    </message>
    <message>
        <source>Print a badge for each accepted guest</source>
        <translation>签到成功时打印胸牌</translation>
    </message>
    <message>
        <source>(no printer installed)</source>
        <translation>（未安装打印机）</translation>
    </message>
    <message>
        <source>Set the same label size in the printer&apos;s own settings (its driver).</source>
        <translation>请在打印机自身的设置（驱动程序）中选择相同的标签尺寸。</translation>
    </message>
    <message>
        <source>Test your scanner…</source>
        <translation>测试扫码枪…</translation>
    </message>
    <message>
        <source>Start desk</source>
        <translation>开始签到</translation>
    </message>
    <message>
        <source>Ctrl+Enter</source>
        <translation>快捷键：Ctrl+Enter</translation>
    </message>
    <message>
        <source>Enter sign-in sheet…</source>
        <translation>录入签到表…</translation>
    </message>
    <message>
        <source>Import online attendance…</source>
        <translation>导入线上参会记录…</translation>
    </message>
    <message>
        <source>Today&apos;s events</source>
        <translation>今天的活动</translation>
    </message>
    <message>
        <source>This desk (remembered on this computer)</source>
        <translation>本签到台（本机记住）</translation>
    </message>
    <message>
        <source>Desk name</source>
        <translation>签到台名称</translation>
    </message>
    <message>
        <source>Staff</source>
        <translation>工作人员</translation>
    </message>
    <message>
        <source>Badge printer</source>
        <translation>胸牌打印机</translation>
    </message>
    <message>
        <source>Badge label size</source>
        <translation>胸牌标签尺寸</translation>
    </message>
    <message>
        <source>Scanner</source>
        <translation>扫码枪</translation>
    </message>
    <message>
        <source>After the event</source>
        <translation>活动结束后</translation>
    </message>
    <message>
        <source>(not named)</source>
        <translation>（未命名）</translation>
    </message>
    <message>
        <source>check-in open</source>
        <translation>签到进行中</translation>
    </message>
    <message>
        <source>check-in not open yet</source>
        <translation>尚未开始签到</translation>
    </message>
    <message>
        <source>No published event today.</source>
        <translation>今天没有已发布的活动。</translation>
    </message>
    <message>
        <source>An on-site event has no online participants to import.</source>
        <translation>现场活动没有可导入的线上参会记录。</translation>
    </message>
    <message>
        <source>keys at most %1 ms apart · a code without Enter ends after %2 ms</source>
        <translation>按键间隔不超过 %1 毫秒 · 无回车的条码在静止 %2 毫秒后结束</translation>
    </message>
</context>
<context>
    <name>ClubDialog</name>
    <message>
        <source>Edit club</source>
        <translation>编辑车友会</translation>
    </message>
    <message>
        <source>New club</source>
        <translation>新建车友会</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Model focus</source>
        <translation>主打车型</translation>
    </message>
    <message>
        <source>City</source>
        <translation>城市</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>说明</translation>
    </message>
</context>
<context>
    <name>ClubDriveSection</name>
    <message>
        <source>Club drive</source>
        <translation>车友会自驾</translation>
    </message>
    <message>
        <source>e.g. G60 Songjiang service area</source>
        <translation>例如：G60 松江服务区</translation>
    </message>
    <message>
        <source>Next stop, then Add</source>
        <translation>输入下一站，然后点“添加”</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Up</source>
        <translation>上移</translation>
    </message>
    <message>
        <source>Down</source>
        <translation>下移</translation>
    </message>
    <message>
        <source>No limit</source>
        <translation>不限</translation>
    </message>
    <message>
        <source>Meeting point</source>
        <translation>集合地点</translation>
    </message>
    <message>
        <source>Route stops (in order)</source>
        <translation>途经站点（按顺序）</translation>
    </message>
    <message>
        <source>Departure</source>
        <translation>出发时间</translation>
    </message>
    <message>
        <source>Max cars</source>
        <translation>最多车辆数</translation>
    </message>
</context>
<context>
    <name>ClubsView</name>
    <message>
        <source>Club</source>
        <translation>车友会</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>车型</translation>
    </message>
    <message>
        <source>City</source>
        <translation>城市</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>成员</translation>
    </message>
    <message>
        <source>New club…</source>
        <translation>新建车友会…</translation>
    </message>
    <message>
        <source>Edit club…</source>
        <translation>编辑车友会…</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>手机号</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Joined</source>
        <translation>加入时间</translation>
    </message>
    <message>
        <source>Tier</source>
        <translation>等级</translation>
    </message>
    <message>
        <source>Club events attended</source>
        <translation>参加的车友会活动</translation>
    </message>
    <message>
        <source>Add member…</source>
        <translation>添加成员…</translation>
    </message>
    <message>
        <source>Change role</source>
        <translation>更改角色</translation>
    </message>
    <message>
        <source>Remove from club</source>
        <translation>移出车友会</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>活动</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Members registered</source>
        <translation>成员报名数</translation>
    </message>
    <message>
        <source>Members attended</source>
        <translation>成员到场数</translation>
    </message>
    <message>
        <source>Attended (all)</source>
        <translation>到场（全部）</translation>
    </message>
    <message>
        <source>Activity</source>
        <translation>活动记录</translation>
    </message>
    <message>
        <source>No clubs yet. Create the first owners&apos; club with “New club…”.</source>
        <translation>还没有车友会。点击“新建车友会…”创建第一个车友会。</translation>
    </message>
    <message>
        <source>%1 members · leaders: %2</source>
        <translation>%1 名成员 · 会长：%2</translation>
    </message>
</context>
<context>
    <name>CommunityReportView</name>
    <message>
        <source>Last 12 months</source>
        <translation>近 12 个月</translation>
    </message>
    <message>
        <source>This month</source>
        <translation>本月</translation>
    </message>
    <message>
        <source>Last 3 months</source>
        <translation>近 3 个月</translation>
    </message>
    <message>
        <source>This year</source>
        <translation>今年</translation>
    </message>
    <message>
        <source>Last year</source>
        <translation>去年</translation>
    </message>
    <message>
        <source>Custom dates</source>
        <translation>自定义日期</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>查看</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
    <message>
        <source>Could not export: %1</source>
        <translation>导出失败：%1</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>时间段</translation>
    </message>
    <message>
        <source>Events by type</source>
        <translation>各类型活动</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Events</source>
        <translation>活动场次</translation>
    </message>
    <message>
        <source>No events in this period.</source>
        <translation>该时间段内没有活动。</translation>
    </message>
    <message>
        <source>Repeat attendance</source>
        <translation>重复参加</translation>
    </message>
    <message>
        <source>Events attended</source>
        <translation>参加场次</translation>
    </message>
    <message>
        <source>People</source>
        <translation>人数</translation>
    </message>
    <message>
        <source>Nobody attended an event in this period yet.</source>
        <translation>该时间段内还没有人参加活动。</translation>
    </message>
    <message>
        <source>Registered</source>
        <translation>已报名</translation>
    </message>
    <message>
        <source>Attended</source>
        <translation>已到场</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>KOL</source>
        <translation>KOL</translation>
    </message>
    <message>
        <source>Clubs</source>
        <translation>车友会</translation>
    </message>
    <message>
        <source>Referrals</source>
        <translation>转介绍</translation>
    </message>
    <message>
        <source>Referrals who came</source>
        <translation>转介绍到场</translation>
    </message>
    <message>
        <source>No referrals and no KOLs in this period.</source>
        <translation>该时间段内没有转介绍，也没有 KOL。</translation>
    </message>
    <message>
        <source>Club</source>
        <translation>车友会</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>成员数</translation>
    </message>
    <message>
        <source>Attendances</source>
        <translation>到场人次</translation>
    </message>
    <message>
        <source>Different people</source>
        <translation>到场人数（去重）</translation>
    </message>
    <message>
        <source>No club events in this period.</source>
        <translation>该时间段内没有车友会活动。</translation>
    </message>
    <message>
        <source>Butler</source>
        <translation>管家</translation>
    </message>
    <message>
        <source>Invited</source>
        <translation>已邀约</translation>
    </message>
    <message>
        <source>Called</source>
        <translation>已致电</translation>
    </message>
    <message>
        <source>Rate</source>
        <translation>到场率</translation>
    </message>
    <message>
        <source>No call lists or butler registrations in this period.</source>
        <translation>该时间段内没有邀约名单，也没有管家经手的报名。</translation>
    </message>
    <message>
        <source>Now</source>
        <translation>当前阶段</translation>
    </message>
    <message>
        <source>First attended</source>
        <translation>首次到场</translation>
    </message>
    <message>
        <source>Stage changed</source>
        <translation>阶段变更</translation>
    </message>
    <message>
        <source>No prospect who came in this period has become an owner yet.</source>
        <translation>该时间段内到场的潜客还没有人成为车主。</translation>
    </message>
    <message>
        <source>Super-users: top referrers and KOLs</source>
        <translation>超级用户：转介绍达人与 KOL</translation>
    </message>
    <message>
        <source>Club activity</source>
        <translation>车友会活跃度</translation>
    </message>
    <message>
        <source>Butler performance (invited → called → registered → attended)</source>
        <translation>管家业绩（邀约 → 致电 → 报名 → 到场）</translation>
    </message>
    <message>
        <source>Prospects who attended and later became owners</source>
        <translation>到场后成为车主的潜客</translation>
    </message>
    <message>
        <source>Events of the period that have started by now (not cancelled)</source>
        <translation>本时间段内已开始的活动（不含已取消）</translation>
    </message>
    <message>
        <source>Sum of the events&apos; registered people</source>
        <translation>各场活动报名人数之和</translation>
    </message>
    <message>
        <source>Sum of the events&apos; attendees, walk-ins included</source>
        <translation>各场活动到场人数之和，含现场报名</translation>
    </message>
    <message>
        <source>Attendance rate</source>
        <translation>到场率</translation>
    </message>
    <message>
        <source>Registered people who came ÷ registered</source>
        <translation>报名后到场人数 ÷ 报名人数</translation>
    </message>
    <message>
        <source>Walk-ins</source>
        <translation>现场报名</translation>
    </message>
    <message>
        <source>People who registered at the door</source>
        <translation>在现场登记报名的人</translation>
    </message>
    <message>
        <source>People who attended at least one event</source>
        <translation>至少参加过一场活动的人</translation>
    </message>
    <message>
        <source>Came back</source>
        <translation>回头客</translation>
    </message>
    <message>
        <source>People at 2 or more events in the period</source>
        <translation>时间段内参加 2 场及以上活动的人</translation>
    </message>
    <message>
        <source>Prospects → owners</source>
        <translation>潜客 → 车主</translation>
    </message>
    <message>
        <source>Prospects who attended, then became owners or members</source>
        <translation>到场后成为车主或会员的潜客</translation>
    </message>
    <message>
        <source>Registrations that name who referred them</source>
        <translation>注明转介绍人的报名</translation>
    </message>
    <message>
        <source>Cancelled events</source>
        <translation>已取消活动</translation>
    </message>
    <message>
        <source>Events of the period that were cancelled</source>
        <translation>时间段内被取消的活动</translation>
    </message>
    <message>
        <source>The end date is before the start date.</source>
        <translation>结束日期早于开始日期。</translation>
    </message>
    <message>
        <source>Counting…</source>
        <translation>正在统计…</translation>
    </message>
    <message>
        <source>Community report %1 – %2</source>
        <translation>社群报表 %1 – %2</translation>
    </message>
    <message numerus="yes">
        <source>Only events that have started by now are counted. %n event(s) of this period still to come are left out.</source>
        <translation>
            <numerusform>只统计截至目前已开始的活动。本时间段内尚未开始的 %n 场活动未计入。</numerusform>
        </translation>
    </message>
    <message>
        <source>Only events that have started by now are counted.</source>
        <translation>只统计截至目前已开始的活动。</translation>
    </message>
    <message>
        <source>%1 of attendees</source>
        <translation>占到场人数的 %1</translation>
    </message>
    <message>
        <source>Attended (registered)</source>
        <translation>已到场（报名者）</translation>
    </message>
    <message>
        <source>1 event</source>
        <translation>1 场</translation>
    </message>
    <message>
        <source>2 events</source>
        <translation>2 场</translation>
    </message>
    <message>
        <source>3 or more events</source>
        <translation>3 场及以上</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
</context>
<context>
    <name>ConsentDialog</name>
    <message>
        <source>Record marketing consent</source>
        <translation>记录营销授权</translation>
    </message>
    <message>
        <source>%1 agrees to be contacted about events and offers.</source>
        <translation>%1 同意接收活动和优惠信息。</translation>
    </message>
    <message>
        <source>Signed a paper form</source>
        <translation>签署了纸质表格</translation>
    </message>
    <message>
        <source>Said so to staff (phone or in person)</source>
        <translation>当面或电话告知员工</translation>
    </message>
    <message>
        <source>Ticked it on an online form</source>
        <translation>在线上表单中勾选</translation>
    </message>
    <message>
        <source>At the front desk</source>
        <translation>在前台</translation>
    </message>
    <message>
        <source>e.g. form no. 12, 2026-03-07</source>
        <translation>例如：第 12 号表格，2026-03-07</translation>
    </message>
    <message>
        <source>How</source>
        <translation>方式</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>凭证</translation>
    </message>
</context>
<context>
    <name>CopyDialog</name>
    <message>
        <source>Person&apos;s copy</source>
        <translation>个人信息副本</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Language of the copy</source>
        <translation>副本语言</translation>
    </message>
    <message>
        <source>Give the file to the person only: it holds their mobile, plates and VINs.</source>
        <translation>此文件只可交给本人：其中包含手机号、车牌和车架号。</translation>
    </message>
</context>
<context>
    <name>CountBarsCard</name>
    <message>
        <source>Answer</source>
        <translation>答案</translation>
    </message>
    <message>
        <source>People</source>
        <translation>人数</translation>
    </message>
    <message>
        <source>Nobody has answered yet.</source>
        <translation>还没有人回答。</translation>
    </message>
</context>
<context>
    <name>CountersWidget</name>
    <message>
        <source>Expected</source>
        <translation>应到</translation>
    </message>
    <message>
        <source>People who registered ahead and hold a place</source>
        <translation>提前报名且占有名额的人</translation>
    </message>
    <message>
        <source>Arrived</source>
        <translation>已到</translation>
    </message>
    <message>
        <source>Everyone who came, walk-ins included</source>
        <translation>所有到场的人，含现场报名</translation>
    </message>
    <message>
        <source>of whom walk-ins</source>
        <translation>其中现场报名</translation>
    </message>
    <message>
        <source>Arrived people who registered at the door</source>
        <translation>到场者中在现场报名的人</translation>
    </message>
    <message>
        <source>Still to come</source>
        <translation>未到</translation>
    </message>
    <message>
        <source>Expected people who have not arrived yet</source>
        <translation>应到但尚未到场的人</translation>
    </message>
    <message>
        <source>Still out</source>
        <translation>尚未返回</translation>
    </message>
</context>
<context>
    <name>DateTimeField</name>
    <message>
        <source>Set a date and time</source>
        <translation>设置日期和时间</translation>
    </message>
</context>
<context>
    <name>DeskExtras</name>
    <message>
        <source>Check-in not finished</source>
        <translation>签到未完成</translation>
    </message>
    <message>
        <source>The question was not answered; nothing was written. Scan again to restart.</source>
        <translation>问题未回答，未记录任何内容。请重新扫码。</translation>
    </message>
    <message>
        <source>Checking in…</source>
        <translation>正在签到…</translation>
    </message>
    <message>
        <source>type the answer, then Enter</source>
        <translation>输入答案后按回车</translation>
    </message>
    <message>
        <source>Y = %1   ·   N = %2</source>
        <translation>按 Y = %1   ·   按 N = %2</translation>
    </message>
    <message>
        <source>Press the numbers to tick, then Enter.</source>
        <translation>按数字键勾选，然后按回车。</translation>
    </message>
    <message>
        <source>Enter skips this question.</source>
        <translation>按回车跳过此问题。</translation>
    </message>
    <message>
        <source>Esc: do not check in.</source>
        <translation>按 Esc：不签到。</translation>
    </message>
    <message>
        <source>%1 more question(s) after this one.</source>
        <translation>之后还有 %1 个问题。</translation>
    </message>
    <message>
        <source>No gift left: %1</source>
        <translation>礼品已发完：%1</translation>
    </message>
    <message>
        <source>Hand over: %1 × %2</source>
        <translation>请发放：%1 × %2</translation>
    </message>
    <message>
        <source>(only %1 left after this)</source>
        <translation>（发放后仅剩 %1 份）</translation>
    </message>
    <message>
        <source>(%1 left after this)</source>
        <translation>（发放后剩余 %1 份）</translation>
    </message>
    <message>
        <source>Press G when handed.</source>
        <translation>发放后请按 G。</translation>
    </message>
    <message>
        <source>Handing over…</source>
        <translation>正在登记发放…</translation>
    </message>
    <message>
        <source>✓ %1 × %2 handed (%3 left)</source>
        <translation>✓ 已发放 %1 × %2（剩余 %3）</translation>
    </message>
    <message>
        <source>%1 was already handed</source>
        <translation>%1 已发放过</translation>
    </message>
    <message>
        <source>Not checked in: no gift</source>
        <translation>尚未签到：不发放礼品</translation>
    </message>
    <message>
        <source>Ask a coordinator to approve.</source>
        <translation>请联系活动专员审核。</translation>
    </message>
    <message>
        <source>Press P to approve and admit.</source>
        <translation>按 P 审核通过并入场。</translation>
    </message>
    <message>
        <source>No seats free</source>
        <translation>名额已满</translation>
    </message>
    <message>
        <source>The event is full. Approve and admit anyway?</source>
        <translation>活动名额已满。仍要审核通过并入场吗？</translation>
    </message>
</context>
<context>
    <name>DeskSearch</name>
    <message>
        <source>Name, phone, plate or code (F3)</source>
        <translation>姓名、手机号、车牌或短码（F3）</translation>
    </message>
    <message>
        <source>Search results — Enter checks in</source>
        <translation>搜索结果 — 按回车签到</translation>
    </message>
    <message>
        <source>Still out — Enter checks out</source>
        <translation>尚未返回 — 按回车签退</translation>
    </message>
    <message>
        <source>checked in</source>
        <translation>已签到</translation>
    </message>
    <message>
        <source>checked out</source>
        <translation>已签退</translation>
    </message>
</context>
<context>
    <name>DeskView</name>
    <message>
        <source>Check-in desk %1</source>
        <translation>签到台 %1</translation>
    </message>
    <message>
        <source>Desk %1</source>
        <translation>签到台 %1</translation>
    </message>
    <message>
        <source>Walk-in (F2)</source>
        <translation>现场报名（F2）</translation>
    </message>
    <message>
        <source>Undo last check-in (Ctrl+Z)</source>
        <translation>撤销上一次签到（Ctrl+Z）</translation>
    </message>
    <message>
        <source>Undo (Ctrl+Z)</source>
        <translation>撤销（Ctrl+Z）</translation>
    </message>
    <message>
        <source>Check-out mode (F4)</source>
        <translation>签退模式（F4）</translation>
    </message>
    <message>
        <source>Check-out (F4)</source>
        <translation>签退（F4）</translation>
    </message>
    <message>
        <source>Camera (F6)</source>
        <translation>摄像头（F6）</translation>
    </message>
    <message>
        <source>Leave desk (Esc)</source>
        <translation>离开签到台（Esc）</translation>
    </message>
    <message>
        <source>Leave (Esc)</source>
        <translation>离开（Esc）</translation>
    </message>
    <message>
        <source>No more marketing (F7)</source>
        <translation>不再营销（F7）</translation>
    </message>
    <message>
        <source>No marketing (F7)</source>
        <translation>不再营销（F7）</translation>
    </message>
    <message>
        <source>Scan again</source>
        <translation>请重新扫码</translation>
    </message>
    <message>
        <source>That scan went into the Chinese input method (it typed “%1”). The desk is listening again: scan the ticket once more.</source>
        <translation>刚才的扫码被中文输入法截获了（输入成了“%1”）。签到台已恢复扫码：请再扫一次票。</translation>
    </message>
    <message>
        <source>Leave the desk</source>
        <translation>离开签到台</translation>
    </message>
    <message>
        <source>Leave the check-in desk?</source>
        <translation>离开签到台吗？</translation>
    </message>
    <message>
        <source>Not done</source>
        <translation>未完成</translation>
    </message>
    <message>
        <source>%1 no longer wants marketing calls or messages?</source>
        <translation>%1 不再希望接收营销电话或信息？</translation>
    </message>
    <message>
        <source>No more marketing</source>
        <translation>不再营销</translation>
    </message>
    <message>
        <source>Marketing consent withdrawn for %1.</source>
        <translation>已撤回 %1 的营销授权。</translation>
    </message>
    <message>
        <source>%1 had not agreed to marketing: they stay off every call list.</source>
        <translation>%1 本来就未同意营销联系：不会出现在任何邀约名单上。</translation>
    </message>
    <message>
        <source>Check-in is not open now. Check %1 in anyway?</source>
        <translation>现在不在签到时间内。仍然为 %1 签到吗？</translation>
    </message>
    <message>
        <source>Override the check-in window</source>
        <translation>忽略签到时间限制</translation>
    </message>
    <message>
        <source>Nothing to undo</source>
        <translation>没有可撤销的操作</translation>
    </message>
    <message>
        <source>Take back from the guest: %1</source>
        <translation>请向客人收回礼品：%1</translation>
    </message>
    <message>
        <source>Undo %1&apos;s check-in?

%2
The gifts go back to stock.</source>
        <translation>撤销 %1 的签到？

%2
礼品将退回库存。</translation>
    </message>
    <message>
        <source>Undo check-in</source>
        <translation>撤销签到</translation>
    </message>
    <message>
        <source>Check-in undone</source>
        <translation>签到已撤销</translation>
    </message>
    <message>
        <source>%1 is no longer counted as arrived.</source>
        <translation>%1 不再计为已到场。</translation>
    </message>
    <message>
        <source>Check-out mode — scan returning cars</source>
        <translation>签退模式 — 扫描返回的车辆</translation>
    </message>
    <message>
        <source>CHECK-OUT</source>
        <translation>签退</translation>
    </message>
    <message>
        <source>CHECK-IN</source>
        <translation>签到</translation>
    </message>
</context>
<context>
    <name>DuplicatesDialog</name>
    <message>
        <source>Find duplicates</source>
        <translation>查找重复客户</translation>
    </message>
    <message>
        <source>Looking for people who are probably the same person…</source>
        <translation>正在查找可能是同一人的客户…</translation>
    </message>
    <message>
        <source>Person A</source>
        <translation>客户 A</translation>
    </message>
    <message>
        <source>Person B</source>
        <translation>客户 B</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>相似度</translation>
    </message>
    <message>
        <source>Compare and merge…</source>
        <translation>对比并合并…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message numerus="yes">
        <source>%n likely pairs. Compare two people side by side before merging.</source>
        <translation>
            <numerusform>发现 %n 对疑似重复。合并前请先并排对比。</numerusform>
        </translation>
    </message>
    <message>
        <source>No likely duplicates found.</source>
        <translation>没有发现疑似重复。</translation>
    </message>
</context>
<context>
    <name>EraseDialog</name>
    <message>
        <source>Erase personal data</source>
        <translation>删除个人信息</translation>
    </message>
    <message>
        <source>Removed: name, mobile, WeChat, e-mail, birthday, notes, tags, plates and VINs, form answers, feedback comments, call notes — also from the audit log.
Kept, without personal data: registrations, check-ins, points and referrals, so past reports show the same figures.
HQ is told in the next HQ workbook. Backups older than today still hold the data until they are rotated away (see docs/privacy.md).</source>
        <translation>删除：姓名、手机号、微信、邮箱、生日、备注、标签、车牌和车架号、表单回答、反馈评价、致电备注——操作日志中的也一并删除。
保留（不含个人信息）：报名、签到、积分和推荐记录，因此以往报表数字不变。
下一份总部报表会通知总部。今天之前的备份仍含这些数据，直到轮换删除（见 docs/privacy.md）。</translation>
    </message>
    <message>
        <source>e.g. asked by phone on 2026-05-01</source>
        <translation>例如：2026-05-01 电话要求</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Erase…</source>
        <translation>删除…</translation>
    </message>
</context>
<context>
    <name>ErrorDialog</name>
    <message>
        <source>Your last change may not have been saved. Fix the cause above, then try again.</source>
        <translation>您刚才的更改可能没有保存。请先解决上面提到的问题，然后重试。</translation>
    </message>
    <message>
        <source>Paddock ran into an unexpected problem and could not finish what you asked.</source>
        <translation>Paddock 遇到了意外问题，未能完成您的操作。</translation>
    </message>
    <message>
        <source>Your data saved before this moment is safe. Try again; if it happens again, restart Paddock and send the log file to your IT contact.</source>
        <translation>此前已保存的数据是安全的。请重试；如果再次出现，请重启 Paddock，并把日志文件发给您的 IT 联系人。</translation>
    </message>
    <message>
        <source>(not available)</source>
        <translation>（不可用）</translation>
    </message>
    <message>
        <source>Log file: %1</source>
        <translation>日志文件：%1</translation>
    </message>
    <message>
        <source>%1 — something went wrong</source>
        <translation>%1 — 出现问题</translation>
    </message>
</context>
<context>
    <name>EventEditor</name>
    <message>
        <source>Edit event</source>
        <translation>编辑活动</translation>
    </message>
    <message>
        <source>New event</source>
        <translation>新建活动</translation>
    </message>
    <message>
        <source>e.g. Winter care class: tyres and batteries</source>
        <translation>例如：冬季养护课堂：轮胎与电池</translation>
    </message>
    <message>
        <source>No limit</source>
        <translation>不限</translation>
    </message>
    <message>
        <source>Put people on a waitlist when full</source>
        <translation>满员后进入候补名单</translation>
    </message>
    <message>
        <source>e.g. HQ-2026-MD11</source>
        <translation>例如 HQ-2026-MD11</translation>
    </message>
    <message>
        <source>e.g. 12000 (yuan)</source>
        <translation>例如 12000（元）</translation>
    </message>
    <message>
        <source>Not counted</source>
        <translation>不计算</translation>
    </message>
    <message>
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <source>Invite-only: each registration waits for approval</source>
        <translation>邀请制：每个报名需审核通过</translation>
    </message>
    <message>
        <source>Registrations arrive pending (no seat, no ticket); approving them in the attendee tab gives the seats, so you pick who comes.</source>
        <translation>报名先进入待审核（不占名额、不发门票）；在报名名单中审核通过后才分配名额，由您决定谁来参加。</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>活动</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>形式</translation>
    </message>
    <message>
        <source>Starts</source>
        <translation>开始时间</translation>
    </message>
    <message>
        <source>Ends</source>
        <translation>结束时间</translation>
    </message>
    <message>
        <source>Venue</source>
        <translation>地点</translation>
    </message>
    <message>
        <source>Online link</source>
        <translation>线上链接</translation>
    </message>
    <message>
        <source>Counts as attended after</source>
        <translation>在线满多少分钟算到场</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>Registration and budget</source>
        <translation>报名与预算</translation>
    </message>
    <message>
        <source>Capacity</source>
        <translation>名额</translation>
    </message>
    <message>
        <source>Registration opens</source>
        <translation>报名开始</translation>
    </message>
    <message>
        <source>Registration closes</source>
        <translation>报名截止</translation>
    </message>
    <message>
        <source>Points for attending</source>
        <translation>到场积分</translation>
    </message>
    <message>
        <source>HQ campaign code</source>
        <translation>总部活动编码</translation>
    </message>
    <message>
        <source>Budget</source>
        <translation>预算</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Please fix the fields marked in red; nothing has been saved yet.</source>
        <translation>请修改标红的字段；目前尚未保存任何内容。</translation>
    </message>
</context>
<context>
    <name>EventExtras</name>
    <message>
        <source>Add…</source>
        <translation>添加…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Question</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>题型</translation>
    </message>
    <message>
        <source>Options</source>
        <translation>选项</translation>
    </message>
    <message>
        <source>Required</source>
        <translation>必答</translation>
    </message>
    <message>
        <source>Asked</source>
        <translation>提问时机</translation>
    </message>
    <message>
        <source>Questions</source>
        <translation>报名问题</translation>
    </message>
    <message>
        <source>No questions. Add what you need to know: 午餐需要吗, 衣服尺码, 驾照已查验 (asked at the desk before the check-in completes)…</source>
        <translation>暂无问题。添加需要了解的信息：午餐需要吗、衣服尺码、驾照已查验（在签到台完成签到前提问）……</translation>
    </message>
    <message>
        <source>Up</source>
        <translation>上移</translation>
    </message>
    <message>
        <source>Down</source>
        <translation>下移</translation>
    </message>
    <message>
        <source>sign-up</source>
        <translation>报名时</translation>
    </message>
    <message>
        <source>desk</source>
        <translation>签到时</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>Another question already has this key.</source>
        <translation>已有问题使用此代码。</translation>
    </message>
    <message>
        <source>Gift</source>
        <translation>礼品</translation>
    </message>
    <message>
        <source>Stock</source>
        <translation>库存</translation>
    </message>
    <message>
        <source>Handed</source>
        <translation>已发放</translation>
    </message>
    <message>
        <source>Left</source>
        <translation>剩余</translation>
    </message>
    <message>
        <source>Who gets one</source>
        <translation>发放规则</translation>
    </message>
    <message>
        <source>Cost per item</source>
        <translation>单价</translation>
    </message>
    <message>
        <source>Gifts at the door</source>
        <translation>到店礼品</translation>
    </message>
    <message>
        <source>No gifts. 到店礼 / 伴手礼 / 签到礼: the desk says which to hand over and counts the stock.</source>
        <translation>暂无礼品。到店礼 / 伴手礼 / 签到礼：签到台会提示发放哪份礼品并自动计算库存。</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>确定</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Edit question</source>
        <translation>编辑问题</translation>
    </message>
    <message>
        <source>e.g. 午餐需要吗 / Lunch?</source>
        <translation>例如：午餐需要吗</translation>
    </message>
    <message>
        <source>short name for scripts, e.g. lunch</source>
        <translation>供脚本使用的简称，例如 lunch</translation>
    </message>
    <message>
        <source>options, separated by commas: S,M,L</source>
        <translation>选项，用逗号分隔：S,M,L</translation>
    </message>
    <message>
        <source>Ask at sign-up (register dialog, online forms)</source>
        <translation>报名时提问（报名窗口、线上表单）</translation>
    </message>
    <message>
        <source>Ask at the desk before the check-in completes</source>
        <translation>在签到台完成签到前提问</translation>
    </message>
    <message>
        <source>Edit gift</source>
        <translation>编辑礼品</translation>
    </message>
    <message>
        <source>e.g. 签到礼 · 保温杯</source>
        <translation>例如：签到礼 · 保温杯</translation>
    </message>
    <message>
        <source>e.g. 25 (yuan per item)</source>
        <translation>例如 25（元/份）</translation>
    </message>
    <message>
        <source>Tier</source>
        <translation>会员等级</translation>
    </message>
    <message>
        <source>First arrivals</source>
        <translation>前 N 位到场</translation>
    </message>
</context>
<context>
    <name>EventReportView</name>
    <message>
        <source>Not invited by a butler</source>
        <translation>非管家邀约</translation>
    </message>
    <message>
        <source>No date yet</source>
        <translation>尚未定日期</translation>
    </message>
    <message>
        <source>The event to report on (latest first)</source>
        <translation>要查看报表的活动（最新的在前）</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>活动</translation>
    </message>
    <message>
        <source>Shared costs (AA)</source>
        <translation>AA 分摊费用</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Registered by source, and walk-ins</source>
        <translation>报名来源与现场报名</translation>
    </message>
    <message>
        <source>People</source>
        <translation>人数</translation>
    </message>
    <message>
        <source>No registrations yet — the split shows where people heard of the event.</source>
        <translation>还没有报名——这里会显示大家从哪里得知活动。</translation>
    </message>
    <message>
        <source>Registered</source>
        <translation>已报名</translation>
    </message>
    <message>
        <source>Attended</source>
        <translation>已到场</translation>
    </message>
    <message>
        <source>Rate</source>
        <translation>到场率</translation>
    </message>
    <message>
        <source>No registrations yet.</source>
        <translation>还没有报名。</translation>
    </message>
    <message>
        <source>Butler</source>
        <translation>管家</translation>
    </message>
    <message>
        <source>Invited</source>
        <translation>已邀约</translation>
    </message>
    <message>
        <source>Nobody was invited or registered by a butler.</source>
        <translation>没有管家邀约或经手的报名。</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Rating</source>
        <translation>评分</translation>
    </message>
    <message>
        <source>NPS</source>
        <translation>NPS</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>意见</translation>
    </message>
    <message>
        <source>No comments yet — the desk&apos;s check-out form and survey imports add them.</source>
        <translation>还没有意见——签退时的快速反馈和导入的问卷会显示在这里。</translation>
    </message>
    <message>
        <source>By source</source>
        <translation>按来源</translation>
    </message>
    <message>
        <source>By butler (invited → registered → attended)</source>
        <translation>按管家（邀约 → 报名 → 到场）</translation>
    </message>
    <message>
        <source>Feedback comments</source>
        <translation>反馈意见</translation>
    </message>
    <message>
        <source>No events yet. Plan one on the Events page; its report appears here.</source>
        <translation>还没有活动。请在“活动”页创建，报表会显示在这里。</translation>
    </message>
    <message>
        <source>People with a confirmed registration (walk-ins not counted)</source>
        <translation>报名已确认的人数（不含现场报名）</translation>
    </message>
    <message>
        <source>People who came: checked in, or online long enough; walk-ins included</source>
        <translation>到场人数：已签到或线上观看达到时长，含现场报名</translation>
    </message>
    <message>
        <source>Attendance rate</source>
        <translation>到场率</translation>
    </message>
    <message>
        <source>Registered people who came ÷ registered</source>
        <translation>报名后到场人数 ÷ 报名人数</translation>
    </message>
    <message>
        <source>No-shows</source>
        <translation>爽约</translation>
    </message>
    <message>
        <source>Registered people who did not come, once the event is over</source>
        <translation>活动结束后，报名但未到场的人</translation>
    </message>
    <message>
        <source>Walk-ins</source>
        <translation>现场报名</translation>
    </message>
    <message>
        <source>People who registered at the door</source>
        <translation>在现场登记报名的人</translation>
    </message>
    <message>
        <source>New prospects</source>
        <translation>新潜客</translation>
    </message>
    <message>
        <source>First event attended, and a prospect when they came</source>
        <translation>首次参加活动且到场时为潜客</translation>
    </message>
    <message>
        <source>Existing owners</source>
        <translation>老车主</translation>
    </message>
    <message>
        <source>Owners or members before the event started</source>
        <translation>活动开始前已是车主或会员</translation>
    </message>
    <message>
        <source>Club members</source>
        <translation>车友会成员</translation>
    </message>
    <message>
        <source>Attendees in a club before the event started</source>
        <translation>活动开始前已加入车友会的到场者</translation>
    </message>
    <message>
        <source>Referrals</source>
        <translation>转介绍</translation>
    </message>
    <message>
        <source>Registrations that name who referred them</source>
        <translation>注明转介绍人的报名</translation>
    </message>
    <message>
        <source>New members</source>
        <translation>新会员</translation>
    </message>
    <message>
        <source>Attendees who became members within 30 days</source>
        <translation>到场后 30 天内成为会员的人</translation>
    </message>
    <message>
        <source>Points awarded</source>
        <translation>发放积分</translation>
    </message>
    <message>
        <source>Net points booked for this event&apos;s registrations</source>
        <translation>本活动报名记录的积分净额</translation>
    </message>
    <message>
        <source>Average rating</source>
        <translation>平均评分</translation>
    </message>
    <message>
        <source>Mean of the 1–5 ratings</source>
        <translation>1–5 分评分的平均值</translation>
    </message>
    <message>
        <source>% promoters (9–10) − % detractors (0–6)</source>
        <translation>推荐者（9–10）占比 − 贬损者（0–6）占比</translation>
    </message>
    <message>
        <source>Cost per attendee</source>
        <translation>人均成本</translation>
    </message>
    <message>
        <source>(Budget + gifts handed) ÷ attended</source>
        <translation>（预算 + 已发礼品）÷ 到场人数</translation>
    </message>
    <message>
        <source>Collected</source>
        <translation>已收</translation>
    </message>
    <message>
        <source>Payments minus refunds</source>
        <translation>收款减去退款</translation>
    </message>
    <message>
        <source>Spent</source>
        <translation>支出</translation>
    </message>
    <message>
        <source>What the cost items come to</source>
        <translation>各费用项目合计</translation>
    </message>
    <message>
        <source>Dealer subsidy</source>
        <translation>经销商补贴</translation>
    </message>
    <message>
        <source>The dealer&apos;s part of the costs</source>
        <translation>费用中由经销商承担的部分</translation>
    </message>
    <message>
        <source>Balance</source>
        <translation>结余</translation>
    </message>
    <message>
        <source>Collected − spent</source>
        <translation>已收 − 支出</translation>
    </message>
    <message>
        <source>Spent ÷ attended</source>
        <translation>支出 ÷ 到场人数</translation>
    </message>
    <message>
        <source>Spent per attendee</source>
        <translation>人均支出</translation>
    </message>
    <message>
        <source>Still to collect</source>
        <translation>待收</translation>
    </message>
    <message>
        <source>What participants still owe</source>
        <translation>参加者尚欠的金额</translation>
    </message>
    <message>
        <source>%1 per attendee</source>
        <translation>人均 %1</translation>
    </message>
    <message>
        <source>nobody attended yet</source>
        <translation>尚无人到场</translation>
    </message>
    <message>
        <source>%1 to refund</source>
        <translation>应退 %1</translation>
    </message>
    <message>
        <source>Budget %1</source>
        <translation>预算 %1</translation>
    </message>
    <message>
        <source>%1 awaiting approval, %2 declined</source>
        <translation>%1 人待审核，%2 人未通过</translation>
    </message>
    <message>
        <source>Nobody has registered or been invited yet.</source>
        <translation>还没有人报名或被邀约。</translation>
    </message>
    <message>
        <source>Attended (registered)</source>
        <translation>已到场（报名者）</translation>
    </message>
    <message>
        <source>%1 registered + %2 walk-ins = %3 people</source>
        <translation>已报名 %1 人 + 现场报名 %2 人 = 共 %3 人</translation>
    </message>
    <message>
        <source>%1 registered</source>
        <translation>已报名 %1 人</translation>
    </message>
    <message>
        <source>Anonymous</source>
        <translation>匿名</translation>
    </message>
    <message>
        <source>%1 seats</source>
        <translation>%1 个座位</translation>
    </message>
    <message>
        <source>+%1 waitlisted</source>
        <translation>另有 %1 人候补</translation>
    </message>
    <message>
        <source>%1 of %2 registered came</source>
        <translation>已报名 %2 人中到场 %1 人</translation>
    </message>
    <message>
        <source>%1 still to come</source>
        <translation>还有 %1 人未到</translation>
    </message>
    <message>
        <source>%1 answers</source>
        <translation>%1 份反馈</translation>
    </message>
    <message>
        <source>no feedback yet</source>
        <translation>暂无反馈</translation>
    </message>
    <message>
        <source>incl. gifts %1</source>
        <translation>含礼品 %1</translation>
    </message>
    <message>
        <source>no budget set</source>
        <translation>未设预算</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
    <message>
        <source>Could not export: %1</source>
        <translation>导出失败：%1</translation>
    </message>
</context>
<context>
    <name>EventsModel</name>
    <message>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>形式</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Starts</source>
        <translation>开始时间</translation>
    </message>
    <message>
        <source>Venue</source>
        <translation>地点</translation>
    </message>
    <message>
        <source>Capacity</source>
        <translation>名额</translation>
    </message>
    <message>
        <source>Confirmed</source>
        <translation>已确认报名</translation>
    </message>
    <message>
        <source>Registrations holding a seat (registered or attended, walk-ins included); the waitlist in brackets. Red: no seat left.</source>
        <translation>占有名额的报名（已报名或已到场，含现场报名）；括号内为候补人数。红色：名额已满。</translation>
    </message>
    <message>
        <source>%1 registered ahead, %2 walk-ins</source>
        <translation>提前报名 %1 人，现场报名 %2 人</translation>
    </message>
    <message>
        <source>%1 on the waitlist</source>
        <translation>候补 %1 人</translation>
    </message>
    <message>
        <source>%1 of %2 places taken</source>
        <translation>已占名额 %1 / %2</translation>
    </message>
    <message>
        <source>%1 (+%2 waitlisted)</source>
        <translation>%1（+%2 候补）</translation>
    </message>
</context>
<context>
    <name>EventsPage</name>
    <message>
        <source>Events</source>
        <translation>活动</translation>
    </message>
    <message>
        <source>Search title, venue or campaign code…</source>
        <translation>搜索标题、地点或活动编码…</translation>
    </message>
    <message>
        <source>All types</source>
        <translation>全部类型</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <source>To</source>
        <translation>到</translation>
    </message>
    <message>
        <source>New event</source>
        <translation>新建活动</translation>
    </message>
    <message>
        <source>New from template</source>
        <translation>从模板新建</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Save as template</source>
        <translation>存为模板</translation>
    </message>
    <message>
        <source>Attendees…</source>
        <translation>参加人员…</translation>
    </message>
    <message>
        <source>Publish</source>
        <translation>发布</translation>
    </message>
    <message>
        <source>Close registration</source>
        <translation>截止报名</translation>
    </message>
    <message>
        <source>Complete</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>Cancel event</source>
        <translation>取消活动</translation>
    </message>
    <message>
        <source>Delete draft</source>
        <translation>删除草稿</translation>
    </message>
    <message>
        <source>No events yet — click New event to plan your first one.</source>
        <translation>还没有活动 — 点击“新建活动”策划第一场吧。</translation>
    </message>
    <message>
        <source>No events match these filters.</source>
        <translation>没有符合筛选条件的活动。</translation>
    </message>
    <message>
        <source>Reopen registration</source>
        <translation>重新开放报名</translation>
    </message>
    <message>
        <source>Saved “%1”.</source>
        <translation>已保存“%1”。</translation>
    </message>
    <message>
        <source>When should the copy start? All its times move with it.</source>
        <translation>副本什么时候开始？所有时间会随之平移。</translation>
    </message>
    <message>
        <source>Copied as a new draft.</source>
        <translation>已复制为新草稿。</translation>
    </message>
    <message>
        <source>Template name:</source>
        <translation>模板名称：</translation>
    </message>
    <message>
        <source>Template saved.</source>
        <translation>模板已保存。</translation>
    </message>
    <message>
        <source>No templates yet. Select an event and click Save as template first.</source>
        <translation>还没有模板。请先选中一个活动，点击“存为模板”。</translation>
    </message>
    <message>
        <source>Template:</source>
        <translation>模板：</translation>
    </message>
    <message>
        <source>When does the new event start?</source>
        <translation>新活动什么时候开始？</translation>
    </message>
    <message>
        <source>Cancel “%1”? This cannot be undone.</source>
        <translation>取消“%1”？此操作不能撤销。</translation>
    </message>
    <message>
        <source>Status changed to %1.</source>
        <translation>状态已改为%1。</translation>
    </message>
    <message>
        <source>Reason (told to registrants):</source>
        <translation>取消原因（将告知报名者）：</translation>
    </message>
    <message>
        <source>Delete the draft “%1”?</source>
        <translation>删除草稿“%1”？</translation>
    </message>
    <message>
        <source>Draft deleted.</source>
        <translation>草稿已删除。</translation>
    </message>
</context>
<context>
    <name>ExportBar</name>
    <message>
        <source>Export .xlsx…</source>
        <translation>导出 .xlsx…</translation>
    </message>
    <message>
        <source>The numbers and native Excel charts, for HQ and the team</source>
        <translation>数据和原生 Excel 图表，供总部和团队使用</translation>
    </message>
    <message>
        <source>Export PDF…</source>
        <translation>导出 PDF…</translation>
    </message>
    <message>
        <source>A printable report for the manager&apos;s meeting</source>
        <translation>可打印的报表，供经理例会使用</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>PDF (*.pdf)</source>
        <translation>PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Export report</source>
        <translation>导出报表</translation>
    </message>
    <message>
        <source>Writing %1…</source>
        <translation>正在写入 %1…</translation>
    </message>
</context>
<context>
    <name>FeeDialogs</name>
    <message>
        <source>Cost item</source>
        <translation>费用项目</translation>
    </message>
    <message>
        <source>Change cost item</source>
        <translation>修改费用项目</translation>
    </message>
    <message>
        <source>Fuel, tolls, lunch, hotel, insurance…</source>
        <translation>油费、过路费、午餐、酒店、保险…</translation>
    </message>
    <message>
        <source>The amount is a price per person / car / family</source>
        <translation>金额为每人 / 每车 / 每户的单价</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>Amount (¥)</source>
        <translation>金额（元）</translation>
    </message>
    <message>
        <source>Shared</source>
        <translation>分摊方式</translation>
    </message>
    <message>
        <source>Dealer subsidy (¥)</source>
        <translation>经销商补贴（元）</translation>
    </message>
    <message>
        <source>Subsidy per unit: each one pays the price minus it.</source>
        <translation>按单位补贴：每人/车/户支付单价减去补贴。</translation>
    </message>
    <message>
        <source>Subsidy of the total: the rest is shared, extra fen to the earliest.</source>
        <translation>从总额中补贴：余额分摊，除不尽的分由最早报名者承担。</translation>
    </message>
    <message>
        <source>Refund to %1</source>
        <translation>退款给 %1</translation>
    </message>
    <message>
        <source>Payment from %1</source>
        <translation>%1 缴费</translation>
    </message>
    <message>
        <source>Transfer number (optional)</source>
        <translation>转账单号（可选）</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>支付方式</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>交易单号</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Record refund</source>
        <translation>登记退款</translation>
    </message>
    <message>
        <source>Record payment</source>
        <translation>登记收款</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
</context>
<context>
    <name>FeedbackForm</name>
    <message>
        <source>Quick feedback</source>
        <translation>快速反馈</translation>
    </message>
    <message>
        <source>Thank you for coming, %1! How was the event?</source>
        <translation>%1，感谢您的光临！这次活动您觉得怎么样？</translation>
    </message>
    <message>
        <source>How was the event?</source>
        <translation>这次活动您觉得怎么样？</translation>
    </message>
    <message>
        <source>Anything we should know? (optional)</source>
        <translation>还有什么想告诉我们的吗？（可选）</translation>
    </message>
    <message>
        <source>Save (Enter)</source>
        <translation>保存（回车）</translation>
    </message>
    <message>
        <source>Skip (Esc)</source>
        <translation>跳过（Esc）</translation>
    </message>
    <message>
        <source>Rating (keys 1–5): 1 = poor, 5 = excellent</source>
        <translation>评分（按 1–5 键）：1 = 很差，5 = 非常好</translation>
    </message>
    <message>
        <source>How likely are you to recommend us to a friend? (keys 0–9, 1 0 = 10)</source>
        <translation>您有多大可能向朋友推荐我们？（按 0–9 键，先按 1 再按 0 = 10）</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>意见</translation>
    </message>
    <message>
        <source>Pick a rating or an NPS answer first (or Esc to skip).</source>
        <translation>请先选择评分或推荐度（或按 Esc 跳过）。</translation>
    </message>
</context>
<context>
    <name>Fees</name>
    <message>
        <source>Item</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>each</source>
        <translation>/单位</translation>
    </message>
    <message>
        <source>Shared</source>
        <translation>分摊方式</translation>
    </message>
    <message>
        <source>Units</source>
        <translation>份数</translation>
    </message>
    <message>
        <source>Dealer subsidy</source>
        <translation>经销商补贴</translation>
    </message>
    <message>
        <source>Participants pay</source>
        <translation>参加者承担</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Car</source>
        <translation>车辆</translation>
    </message>
    <message>
        <source>People</source>
        <translation>人数</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Owes</source>
        <translation>应缴</translation>
    </message>
    <message>
        <source>Paid</source>
        <translation>已缴</translation>
    </message>
    <message>
        <source>Outstanding</source>
        <translation>尚欠</translation>
    </message>
    <message>
        <source>Refund due</source>
        <translation>应退</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>人员</translation>
    </message>
    <message>
        <source>Receipt</source>
        <translation>收据编号</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>voided</source>
        <translation>已作废</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>方式</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>单号 / 备注</translation>
    </message>
    <message>
        <source>Taken by</source>
        <translation>经手人</translation>
    </message>
    <message>
        <source>Add cost…</source>
        <translation>添加费用…</translation>
    </message>
    <message>
        <source>Change…</source>
        <translation>修改…</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Record payment…</source>
        <translation>登记收款…</translation>
    </message>
    <message>
        <source>Refund…</source>
        <translation>退款…</translation>
    </message>
    <message>
        <source>Receipt…</source>
        <translation>收据…</translation>
    </message>
    <message>
        <source>Void (recorded by mistake)…</source>
        <translation>作废（登记错误）…</translation>
    </message>
    <message>
        <source>Record all refunds</source>
        <translation>全部登记退款</translation>
    </message>
    <message>
        <source>Copy who still owes</source>
        <translation>复制欠款名单</translation>
    </message>
    <message>
        <source>A list to paste into the drive&apos;s WeChat group</source>
        <translation>可粘贴到自驾微信群的名单</translation>
    </message>
    <message>
        <source>Who owes what</source>
        <translation>应缴明细</translation>
    </message>
    <message>
        <source>Outstanding by car</source>
        <translation>按车辆统计欠款</translation>
    </message>
    <message>
        <source>Payments</source>
        <translation>收付记录</translation>
    </message>
    <message>
        <source>Refunds</source>
        <translation>退款</translation>
    </message>
    <message>
        <source>Costs and how they are shared</source>
        <translation>费用及分摊方式</translation>
    </message>
    <message>
        <source>Outstanding by car (%1)</source>
        <translation>按车辆统计欠款（%1）</translation>
    </message>
    <message>
        <source>Refunds (%1)</source>
        <translation>退款（%1）</translation>
    </message>
    <message>
        <source>No costs yet. Add what the participants share (fuel, tolls, lunch, hotel…).</source>
        <translation>还没有费用。请添加参加者分摊的费用（油费、过路费、午餐、酒店…）。</translation>
    </message>
    <message>
        <source>Costs %1</source>
        <translation>费用 %1</translation>
    </message>
    <message>
        <source>dealer subsidy %1</source>
        <translation>经销商补贴 %1</translation>
    </message>
    <message>
        <source>participants owe %1</source>
        <translation>参加者应缴 %1</translation>
    </message>
    <message>
        <source>paid %1</source>
        <translation>已缴 %1</translation>
    </message>
    <message>
        <source>outstanding %1</source>
        <translation>尚欠 %1</translation>
    </message>
    <message>
        <source>to refund %1</source>
        <translation>应退 %1</translation>
    </message>
    <message>
        <source>The event is cancelled: refund what was paid.</source>
        <translation>活动已取消：请退还已缴费用。</translation>
    </message>
    <message>
        <source>Saved: %1</source>
        <translation>已保存：%1</translation>
    </message>
    <message>
        <source>Removed: %1</source>
        <translation>已删除：%1</translation>
    </message>
    <message>
        <source>Select a person in the list first.</source>
        <translation>请先在名单中选择一人。</translation>
    </message>
    <message>
        <source>Receipt %1: %2 from %3.</source>
        <translation>收据 %1：收到 %3 %2。</translation>
    </message>
    <message>
        <source>Receipt %1: %2 to %3.</source>
        <translation>收据 %1：退给 %3 %2。</translation>
    </message>
    <message>
        <source>Save receipt</source>
        <translation>保存收据</translation>
    </message>
    <message>
        <source>PDF (*.pdf);;PNG for WeChat (*.png)</source>
        <translation>PDF (*.pdf);;微信图片 PNG (*.png)</translation>
    </message>
    <message>
        <source>Receipt %1 saved to %2</source>
        <translation>收据 %1 已保存到 %2</translation>
    </message>
    <message>
        <source>Select the payment recorded by mistake in Payments.</source>
        <translation>请在“收付记录”中选择登记错误的那一笔。</translation>
    </message>
    <message>
        <source>Void %1</source>
        <translation>作废 %1</translation>
    </message>
    <message>
        <source>Voided; a correction was recorded.</source>
        <translation>已作废，并记录了一笔更正。</translation>
    </message>
    <message>
        <source>%1 — still to pay:</source>
        <translation>%1 —— 尚未缴费：</translation>
    </message>
    <message>
        <source>Everyone has paid.</source>
        <translation>大家都已缴清。</translation>
    </message>
    <message>
        <source>Copied: paste it into the WeChat group.</source>
        <translation>已复制，可粘贴到微信群。</translation>
    </message>
    <message>
        <source>%1 refunds recorded.</source>
        <translation>已登记 %1 笔退款。</translation>
    </message>
</context>
<context>
    <name>FileDialogs</name>
    <message>
        <source>Folder</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>%1 file</source>
        <translation>%1 文件</translation>
    </message>
</context>
<context>
    <name>FollowupView</name>
    <message>
        <source>No-shows</source>
        <translation>爽约</translation>
    </message>
    <message>
        <source>Walk-ins who asked for a test drive</source>
        <translation>想试驾的现场到访者</translation>
    </message>
    <message>
        <source>Prospects who attended</source>
        <translation>到场的潜客</translation>
    </message>
    <message>
        <source>Owners not seen for N months</source>
        <translation>N 个月未到场的车主</translation>
    </message>
    <message>
        <source>People who answered a question so</source>
        <translation>按报名问题答案筛选</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>手机号</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <source>Tier</source>
        <translation>等级</translation>
    </message>
    <message>
        <source>Butler</source>
        <translation>管家</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>活动</translation>
    </message>
    <message>
        <source>When</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Interested in</source>
        <translation>意向车型</translation>
    </message>
    <message>
        <source>No butler</source>
        <translation>无管家</translation>
    </message>
    <message>
        <source>Events of the last 30 days</source>
        <translation>近 30 天的活动</translation>
    </message>
    <message>
        <source> months</source>
        <translation> 个月</translation>
    </message>
    <message>
        <source>Not seen for</source>
        <translation>未到场</translation>
    </message>
    <message>
        <source>question key=answer, e.g. test_drive=yes</source>
        <translation>问题代码=答案，例如 test_drive=是</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>查看</translation>
    </message>
    <message>
        <source>List</source>
        <translation>名单</translation>
    </message>
    <message>
        <source>Select all</source>
        <translation>全选</translation>
    </message>
    <message>
        <source>Assign to butler…</source>
        <translation>分配给管家…</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Type the question&apos;s key and the answer: test_drive=yes</source>
        <translation>请输入问题代码和答案：test_drive=是</translation>
    </message>
    <message>
        <source>%1 more left out: no marketing consent.</source>
        <translation>另有 %1 人未同意营销联系，已排除。</translation>
    </message>
    <message>
        <source>The whole list to .xlsx or .csv</source>
        <translation>将整份名单导出为 .xlsx 或 .csv</translation>
    </message>
    <message numerus="yes">
        <source>People on this list: %n</source>
        <translation>
            <numerusform>名单人数：%n</numerusform>
        </translation>
    </message>
    <message>
        <source>(the first %1 — narrow it down by event)</source>
        <translation>（仅前 %1 人——请按活动缩小范围）</translation>
    </message>
    <message>
        <source>No no-shows: everybody registered came (or no event is over).</source>
        <translation>没有爽约：报名的人都来了（或还没有活动结束）。</translation>
    </message>
    <message>
        <source>No walk-in asked for a test drive.</source>
        <translation>没有现场到访者要求试驾。</translation>
    </message>
    <message>
        <source>No prospect attended (or all of them became owners).</source>
        <translation>没有潜客到场（或都已成为车主）。</translation>
    </message>
    <message>
        <source>Every owner came to an event in this period.</source>
        <translation>所有车主在这段时间内都参加过活动。</translation>
    </message>
    <message numerus="yes">
        <source>Assign %n to butler…</source>
        <translation>
            <numerusform>将 %n 人分配给管家…</numerusform>
        </translation>
    </message>
    <message>
        <source>Names and phone numbers: only an admin may export this list</source>
        <translation>名单含姓名和手机号：只有管理员可以导出</translation>
    </message>
    <message>
        <source>Call list: %1 added, %2 moved to this butler, %3 unchanged.</source>
        <translation>邀约名单：新增 %1 人，转给该管家 %2 人，%3 人不变。</translation>
    </message>
    <message>
        <source>Butler set: %2 people changed, %3 already had this butler.</source>
        <translation>已设置管家：%2 人变更，%3 人原本就是该管家。</translation>
    </message>
    <message>
        <source>Export list</source>
        <translation>导出名单</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx);;CSV, UTF-8 (*.csv)</source>
        <translation>Excel 工作簿 (*.xlsx);;CSV，UTF-8 (*.csv)</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
</context>
<context>
    <name>FunnelCard</name>
    <message>
        <source>Funnel</source>
        <translation>转化漏斗</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>环节</translation>
    </message>
    <message>
        <source>People</source>
        <translation>人数</translation>
    </message>
    <message>
        <source>% of first step</source>
        <translation>占第一步 %</translation>
    </message>
    <message>
        <source>Nobody invited or registered yet — the funnel fills in as calls are made.</source>
        <translation>还没有邀约或报名——开始打电话邀约后，漏斗会逐步显示。</translation>
    </message>
</context>
<context>
    <name>ImportBuckets</name>
    <message>
        <source>Rows read</source>
        <translation>读取行数</translation>
    </message>
    <message>
        <source>New</source>
        <translation>新建</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>更新</translation>
    </message>
    <message>
        <source>Unchanged</source>
        <translation>无变化</translation>
    </message>
    <message>
        <source>Repeats of an earlier row</source>
        <translation>与前面某行重复</translation>
    </message>
    <message>
        <source>More cars of a person above</source>
        <translation>同一客户的其他车辆</translation>
    </message>
    <message>
        <source>Kept, not registered</source>
        <translation>已保留客户，未报名</translation>
    </message>
    <message>
        <source>Rejoins</source>
        <translation>重新入会</translation>
    </message>
    <message>
        <source>Staff, left out</source>
        <translation>员工（已排除）</translation>
    </message>
    <message>
        <source>Registered, never came</source>
        <translation>已报名未参加</translation>
    </message>
    <message>
        <source>Empty answer sheets</source>
        <translation>空白问卷</translation>
    </message>
    <message>
        <source>Conflicts (yours kept)</source>
        <translation>冲突（保留本店值）</translation>
    </message>
    <message>
        <source>Skipped</source>
        <translation>跳过</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>拒绝</translation>
    </message>
    <message>
        <source>Values left out (warnings)</source>
        <translation>未导入的值（警告）</translation>
    </message>
    <message>
        <source>row %1 repeats row %2</source>
        <translation>第 %1 行与第 %2 行重复</translation>
    </message>
    <message>
        <source>row %1 adds to row %2</source>
        <translation>第 %1 行补充第 %2 行</translation>
    </message>
    <message>
        <source> … and %1 more</source>
        <translation> ……另有 %1 条</translation>
    </message>
    <message>
        <source>; </source>
        <translation>；</translation>
    </message>
</context>
<context>
    <name>ImportWizard</name>
    <message>
        <source>Import people</source>
        <translation>导入客户</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>上一步</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>下一步</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Choose an .xlsx, .xls or .csv file</source>
        <translation>选择 .xlsx、.xls 或 .csv 文件</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Bring in owners and prospects from a DMS/CRM export or any sheet. Excel (.xlsx, .xls) and CSV (UTF-8 or GBK) are read; a title row above the header, blank rows and a totals row are skipped. You will see the column mapping and a dry run before anything is saved.</source>
        <translation>从 DMS/CRM 导出文件或任意表格导入车主和潜客。支持 Excel（.xlsx、.xls）和 CSV（UTF-8 或 GBK）；表头上方的标题行、空行和合计行会被跳过。保存前您会看到列对应关系和试运行结果。</translation>
    </message>
    <message>
        <source>1. Choose the file</source>
        <translation>1. 选择文件</translation>
    </message>
    <message>
        <source>Cancel import</source>
        <translation>取消导入</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>行</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Column</source>
        <translation>列</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Export rejected rows as CSV…</source>
        <translation>将被拒绝的行导出为 CSV…</translation>
    </message>
    <message>
        <source>Rejected (nothing identifies a person):</source>
        <translation>拒绝的行（无法识别是哪位客户）：</translation>
    </message>
    <message>
        <source>Imported, with a value left out:</source>
        <translation>已导入，但有值未导入：</translation>
    </message>
    <message>
        <source>Dry run</source>
        <translation>试运行</translation>
    </message>
    <message>
        <source>Finish</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>Choose a file to import</source>
        <translation>选择要导入的文件</translation>
    </message>
    <message>
        <source>Spreadsheets (*.xlsx *.xls *.csv);;All files (*)</source>
        <translation>表格文件 (*.xlsx *.xls *.csv);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Choose the column with the name, the phone or the VIN.</source>
        <translation>请选择姓名、手机号或车架号所在的列。</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Mobile phone</source>
        <translation>手机号</translation>
    </message>
    <message>
        <source>Second phone</source>
        <translation>备用电话</translation>
    </message>
    <message>
        <source>WeChat ID</source>
        <translation>微信号</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>邮箱</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>客户阶段</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>VIN</source>
        <translation>车架号（VIN）</translation>
    </message>
    <message>
        <source>Plate</source>
        <translation>车牌</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>车型</translation>
    </message>
    <message>
        <source>Purchase date</source>
        <translation>购车日期</translation>
    </message>
    <message>
        <source>Birthday</source>
        <translation>生日</translation>
    </message>
    <message>
        <source>Sales consultant / butler</source>
        <translation>销售顾问 / 管家</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Marketing consent (yes/no)</source>
        <translation>营销授权（是/否）</translation>
    </message>
    <message>
        <source>Checking every row (dry run, nothing is saved)…</source>
        <translation>正在检查每一行（试运行，不会保存）…</translation>
    </message>
    <message>
        <source>Importing… nothing is saved until the last row is done.</source>
        <translation>正在导入… 最后一行完成前不会保存任何内容。</translation>
    </message>
    <message>
        <source>Cancelling… nothing will be saved.</source>
        <translation>正在取消… 不会保存任何内容。</translation>
    </message>
    <message>
        <source>Import cancelled</source>
        <translation>导入已取消</translation>
    </message>
    <message>
        <source>Nothing was changed.</source>
        <translation>没有任何改动。</translation>
    </message>
    <message>
        <source>The import stopped</source>
        <translation>导入已停止</translation>
    </message>
    <message>
        <source>3. Dry run: what the import would do</source>
        <translation>3. 试运行：导入将会做什么</translation>
    </message>
    <message>
        <source>Imported</source>
        <translation>已导入</translation>
    </message>
    <message>
        <source>Vehicles added: %1</source>
        <translation>新增车辆：%1</translation>
    </message>
    <message>
        <source>New staff added as butlers: %1</source>
        <translation>新增为管家的员工：%1</translation>
    </message>
    <message>
        <source>Nothing has been saved yet. Press Import to save.</source>
        <translation>尚未保存任何内容。点击“导入”保存。</translation>
    </message>
    <message>
        <source>Save rejected rows</source>
        <translation>保存被拒绝的行</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
</context>
<context>
    <name>JoinClubDialog</name>
    <message>
        <source>Add member</source>
        <translation>添加成员</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Joined on</source>
        <translation>加入日期</translation>
    </message>
    <message>
        <source>Pick a person from the list.</source>
        <translation>请从列表中选择一位客户。</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <source>Open day</source>
        <translation>开放日</translation>
    </message>
    <message>
        <source>Parts-centre tour</source>
        <translation>零件中心参观</translation>
    </message>
    <message>
        <source>Model day</source>
        <translation>车型日</translation>
    </message>
    <message>
        <source>Care class</source>
        <translation>养护课堂</translation>
    </message>
    <message>
        <source>Club drive</source>
        <translation>车友会自驾</translation>
    </message>
    <message>
        <source>Member day</source>
        <translation>会员日</translation>
    </message>
    <message>
        <source>City owners&apos; meetup</source>
        <translation>城市车主见面会</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>Draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <source>Published</source>
        <translation>已发布</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>已截止</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>On site</source>
        <translation>现场</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>线上</translation>
    </message>
    <message>
        <source>Hybrid</source>
        <translation>线上线下结合</translation>
    </message>
    <message>
        <source>Registered</source>
        <translation>已报名</translation>
    </message>
    <message>
        <source>Waitlisted</source>
        <translation>候补中</translation>
    </message>
    <message>
        <source>Registration cancelled</source>
        <translation>报名已取消</translation>
    </message>
    <message>
        <source>Attended</source>
        <translation>已到场</translation>
    </message>
    <message>
        <source>No-show</source>
        <translation>未到场</translation>
    </message>
    <message>
        <source>Awaiting approval</source>
        <translation>待审核</translation>
    </message>
    <message>
        <source>Declined</source>
        <translation>未通过</translation>
    </message>
    <message>
        <source>Welcome — checked in</source>
        <translation>欢迎光临 — 签到成功</translation>
    </message>
    <message>
        <source>Already checked in</source>
        <translation>已签到过</translation>
    </message>
    <message>
        <source>Unknown ticket</source>
        <translation>未知门票</translation>
    </message>
    <message>
        <source>Invalid ticket (typo or forged)</source>
        <translation>无效门票（输错或伪造）</translation>
    </message>
    <message>
        <source>Ticket for another event</source>
        <translation>其他活动的门票</translation>
    </message>
    <message>
        <source>Ticket revoked (reissued)</source>
        <translation>门票已作废（已补发）</translation>
    </message>
    <message>
        <source>On the waitlist</source>
        <translation>在候补名单中</translation>
    </message>
    <message>
        <source>Check-in not open now</source>
        <translation>现在不在签到时间内</translation>
    </message>
    <message>
        <source>Answer the desk question</source>
        <translation>请回答签到问题</translation>
    </message>
    <message>
        <source>Application declined</source>
        <translation>报名未通过审核</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>文本</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>数字</translation>
    </message>
    <message>
        <source>Yes / no</source>
        <translation>是 / 否</translation>
    </message>
    <message>
        <source>One choice</source>
        <translation>单选</translation>
    </message>
    <message>
        <source>Several choices</source>
        <translation>多选</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>One per registration (a family gets one)</source>
        <translation>每个报名一份（一家一份）</translation>
    </message>
    <message>
        <source>One per person of the party</source>
        <translation>同行每人一份</translation>
    </message>
    <message>
        <source>Members of a tier and above</source>
        <translation>指定等级及以上会员</translation>
    </message>
    <message>
        <source>The first N arrivals</source>
        <translation>前 N 位到场</translation>
    </message>
    <message>
        <source>People who referred someone</source>
        <translation>推荐过他人的客户</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Prospect</source>
        <translation>潜客</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>车主</translation>
    </message>
    <message>
        <source>Member</source>
        <translation>会员</translation>
    </message>
    <message>
        <source>No tier</source>
        <translation>无等级</translation>
    </message>
    <message>
        <source>Silver</source>
        <translation>银卡</translation>
    </message>
    <message>
        <source>Gold</source>
        <translation>金卡</translation>
    </message>
    <message>
        <source>Platinum</source>
        <translation>白金卡</translation>
    </message>
    <message>
        <source>Club member</source>
        <translation>车友会成员</translation>
    </message>
    <message>
        <source>Leader</source>
        <translation>会长</translation>
    </message>
    <message>
        <source>KOL</source>
        <translation>KOL</translation>
    </message>
    <message>
        <source>Walk-in</source>
        <translation>现场报名</translation>
    </message>
    <message>
        <source>Phone invitation</source>
        <translation>电话邀约</translation>
    </message>
    <message>
        <source>Online form</source>
        <translation>线上报名</translation>
    </message>
    <message>
        <source>HQ list</source>
        <translation>总部名单</translation>
    </message>
    <message>
        <source>Referral</source>
        <translation>转介绍</translation>
    </message>
    <message>
        <source>Club</source>
        <translation>车友会</translation>
    </message>
    <message>
        <source>Imported list</source>
        <translation>名单导入</translation>
    </message>
    <message>
        <source>Showroom visit</source>
        <translation>展厅到访</translation>
    </message>
    <message>
        <source>DMS list</source>
        <translation>DMS 名单</translation>
    </message>
    <message>
        <source>WeChat</source>
        <translation>微信</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>Per person</source>
        <translation>按人</translation>
    </message>
    <message>
        <source>Per car</source>
        <translation>按车</translation>
    </message>
    <message>
        <source>Per family</source>
        <translation>按户</translation>
    </message>
    <message>
        <source>Fixed fee per registration</source>
        <translation>每份报名固定费用</translation>
    </message>
    <message>
        <source>Cash</source>
        <translation>现金</translation>
    </message>
    <message>
        <source>WeChat transfer</source>
        <translation>微信转账</translation>
    </message>
    <message>
        <source>Alipay</source>
        <translation>支付宝</translation>
    </message>
    <message>
        <source>Bank transfer</source>
        <translation>银行转账</translation>
    </message>
    <message>
        <source>Payment</source>
        <translation>收款</translation>
    </message>
    <message>
        <source>Refund</source>
        <translation>退款</translation>
    </message>
    <message>
        <source>Correction</source>
        <translation>更正</translation>
    </message>
    <message>
        <source>Valid</source>
        <translation>有效</translation>
    </message>
    <message>
        <source>Already used</source>
        <translation>已核销</translation>
    </message>
    <message>
        <source>Expired</source>
        <translation>已过期</translation>
    </message>
    <message>
        <source>Cancelled (points refunded)</source>
        <translation>已取消（积分已退回）</translation>
    </message>
    <message>
        <source>Invalid (typo or forged)</source>
        <translation>无效（输错或伪造）</translation>
    </message>
    <message>
        <source>Unknown voucher</source>
        <translation>未知的权益券</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Today</source>
        <translation>今日</translation>
    </message>
    <message>
        <source>Today&apos;s and this week&apos;s events with live counts, call lists behind schedule and owners to invite will appear here.</source>
        <translation>今天和本周的活动及实时人数、落后于进度的邀约名单、待邀请的车主将显示在这里。</translation>
    </message>
    <message>
        <source>Events</source>
        <translation>活动</translation>
    </message>
    <message>
        <source>Plan events here.</source>
        <translation>在这里策划活动。</translation>
    </message>
    <message>
        <source>Call lists</source>
        <translation>邀约名单</translation>
    </message>
    <message>
        <source>Butlers&apos; invitation call lists per event.</source>
        <translation>按活动查看各管家的邀约名单。</translation>
    </message>
    <message>
        <source>People</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Owners, prospects and members (one record per person), their vehicles, clubs and points will be managed here.</source>
        <translation>车主、潜客和会员（每人一条档案）以及他们的车辆、车友会和积分将在这里管理。</translation>
    </message>
    <message>
        <source>Check-in</source>
        <translation>签到</translation>
    </message>
    <message>
        <source>The front-desk check-in screen (QR scanner, camera, walk-ins) will open here.</source>
        <translation>前台签到界面（扫码枪、摄像头、现场报名）将在这里打开。</translation>
    </message>
    <message>
        <source>Reports</source>
        <translation>报表</translation>
    </message>
    <message>
        <source>Event and community reports with charts and exports will appear here.</source>
        <translation>活动和社群报表（含图表与导出）将显示在这里。</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>同步</translation>
    </message>
    <message>
        <source>HQ exports, campaign packs and offline event packs will be handled here.</source>
        <translation>总部导出、活动包和离线活动包将在这里处理。</translation>
    </message>
    <message>
        <source>Audit log</source>
        <translation>操作日志</translation>
    </message>
    <message>
        <source>Who changed what and when (admins).</source>
        <translation>谁在何时修改了什么（仅限管理员）。</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Dealer profile, language and desk settings.</source>
        <translation>经销商资料、语言和签到台设置。</translation>
    </message>
    <message>
        <source>Perks</source>
        <translation>积分权益</translation>
    </message>
    <message>
        <source>Partner perks redeemed with points, and vouchers.</source>
        <translation>异业合作权益：积分兑换与核销。</translation>
    </message>
    <message>
        <source>Opening the database…</source>
        <translation>正在打开数据库…</translation>
    </message>
    <message>
        <source>Database: %1</source>
        <translation>数据库：%1</translation>
    </message>
</context>
<context>
    <name>MappingStep</name>
    <message>
        <source>Sheet:</source>
        <translation>工作表：</translation>
    </message>
    <message>
        <source>Column in the file</source>
        <translation>文件中的列</translation>
    </message>
    <message>
        <source>Import as</source>
        <translation>导入为</translation>
    </message>
    <message>
        <source>First values</source>
        <translation>前几个值</translation>
    </message>
    <message>
        <source>2. Check the columns</source>
        <translation>2. 检查列对应</translation>
    </message>
    <message>
        <source>Do not import</source>
        <translation>不导入</translation>
    </message>
    <message>
        <source>sheet “%1”, </source>
        <translation>工作表“%1”，</translation>
    </message>
    <message>
        <source>%1header on row %2 · %3 data rows: %4 people, %5 more cars of a person above, %6 repeated in the file, %7 rejected, %8 values left out. The mapping was guessed from the headers; fix any column that is wrong (the rows below update).</source>
        <translation>%1表头在第 %2 行 · 共 %3 行数据：%4 位客户，%5 行为同一客户的其他车辆，%6 行在文件中重复，%7 行拒绝，%8 个值未导入。列对应关系是根据表头猜测的；如有不对请修改（下方各行会随之更新）。</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>行</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>检查</translation>
    </message>
    <message>
        <source>same as row %1</source>
        <translation>与第 %1 行相同</translation>
    </message>
    <message>
        <source>another car of row %1</source>
        <translation>第 %1 行客户的另一辆车</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>可导入</translation>
    </message>
</context>
<context>
    <name>MergeDialog</name>
    <message>
        <source>Merge two people</source>
        <translation>合并两位客户</translation>
    </message>
    <message>
        <source>Keep:</source>
        <translation>保留：</translation>
    </message>
    <message>
        <source>Merge</source>
        <translation>合并</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>手机号</translation>
    </message>
    <message>
        <source>WeChat</source>
        <translation>微信</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>邮箱</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>客户阶段</translation>
    </message>
    <message>
        <source>Tier / points</source>
        <translation>等级 / 积分</translation>
    </message>
    <message>
        <source>Butler</source>
        <translation>管家</translation>
    </message>
    <message>
        <source>Vehicles</source>
        <translation>车辆</translation>
    </message>
    <message>
        <source>Clubs</source>
        <translation>车友会</translation>
    </message>
    <message>
        <source>Events attended</source>
        <translation>参加过的活动</translation>
    </message>
    <message>
        <source>Referrals made</source>
        <translation>推荐过的人</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>创建日期</translation>
    </message>
    <message>
        <source>What moves from %1 to %2:</source>
        <translation>从 %1 转移到 %2 的内容：</translation>
    </message>
    <message>
        <source>• vehicles: %1</source>
        <translation>• 车辆：%1</translation>
    </message>
    <message>
        <source>• club memberships: %1</source>
        <translation>• 车友会成员身份：%1</translation>
    </message>
    <message>
        <source>• points ledger rows: %1 (balance %2)</source>
        <translation>• 积分流水：%1 条（余额 %2）</translation>
    </message>
    <message>
        <source>• events attended: %1</source>
        <translation>• 参加过的活动：%1</translation>
    </message>
    <message>
        <source>• referrals made: %1</source>
        <translation>• 推荐记录：%1</translation>
    </message>
    <message>
        <source>• every registration, invitation and feedback. Empty fields of %1 are filled from %2; %2 is then hidden. “Undo last merge” can reverse it.</source>
        <translation>• 所有报名、邀约和反馈。%1 的空白字段由 %2 补齐；之后 %2 会被隐藏。“撤销上次合并”可以还原。</translation>
    </message>
    <message>
        <source>Merge undone: %1 is a separate person again.</source>
        <translation>已撤销合并：%1 重新成为独立客户。</translation>
    </message>
    <message>
        <source>Merged %1 into %2 (%3 linked rows moved).</source>
        <translation>已将 %1 合并到 %2（转移了 %3 条关联记录）。</translation>
    </message>
    <message>
        <source>Undo last merge</source>
        <translation>撤销上次合并</translation>
    </message>
    <message>
        <source>Undo the most recent merge? The merged-away person comes back with their phone, vehicles, registrations and points.</source>
        <translation>撤销最近一次合并？被合并的客户会连同手机号、车辆、报名和积分一起恢复。</translation>
    </message>
</context>
<context>
    <name>MonthlyTrendCard</name>
    <message>
        <source>Monthly trend</source>
        <translation>月度趋势</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>月份</translation>
    </message>
    <message>
        <source>Events</source>
        <translation>活动场次</translation>
    </message>
    <message>
        <source>Attended</source>
        <translation>已到场</translation>
    </message>
    <message>
        <source>No events in this period — the trend appears once events have taken place.</source>
        <translation>该时间段内没有活动——活动举办后会显示趋势。</translation>
    </message>
</context>
<context>
    <name>OnlineAttendanceDialog</name>
    <message>
        <source>Online attendance — %1</source>
        <translation>线上参会记录 — %1</translation>
    </message>
    <message>
        <source>Choose the participants export of the meeting or live stream (Zoom, 腾讯会议 参会成员明细, 钉钉, 微信视频号). Registrants who stayed long enough are marked attended; you can import the same file again.</source>
        <translation>请选择会议或直播导出的参会人员文件（Zoom、腾讯会议 参会成员明细、钉钉、微信视频号）。在线时长达标的报名者会标记为已参加；同一文件可以再次导入。</translation>
    </message>
    <message>
        <source>Choose an .xlsx, .xls, .csv or .txt export</source>
        <translation>选择 .xlsx、.xls、.csv 或 .txt 导出文件</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>Import anyway</source>
        <translation>仍然导入</translation>
    </message>
    <message>
        <source>Participants export</source>
        <translation>参会人员导出文件</translation>
    </message>
    <message>
        <source>Choose the file first.</source>
        <translation>请先选择文件。</translation>
    </message>
    <message>
        <source>Importing…</source>
        <translation>正在导入…</translation>
    </message>
    <message>
        <source>Staff, left out: %1  ·  %2</source>
        <translation>员工，已排除：%1  ·  %2</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 分钟</translation>
    </message>
    <message>
        <source>Row %1: %2</source>
        <translation>第 %1 行：%2</translation>
    </message>
    <message>
        <source>%1 participants (%6 staff left out): %2 matched to registrations, %3 attended for at least %4 min, %5 not matched (listed below with the reason).</source>
        <translation>%1 位参会者（已排除员工 %6 位）：%2 位对上报名，%3 位参会至少 %4 分钟，%5 位未对上（原因见下方列表）。</translation>
    </message>
</context>
<context>
    <name>PackReportDialog</name>
    <message>
        <source>Event pack imported</source>
        <translation>活动包已导入</translation>
    </message>
    <message>
        <source>%1: %2 scans added, %3 new check-ins, %4 walk-ins. Created %5, updated %6, unchanged %7, matched to existing %8.</source>
        <translation>%1：新增 %2 条扫码记录、%3 个新签到、%4 位现场登记。新建 %5，更新 %6，未变 %7，匹配到已有记录 %8。</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Kept (earliest)</source>
        <translation>保留（最早）</translation>
    </message>
    <message>
        <source>Also let in</source>
        <translation>另一处也已放行</translation>
    </message>
    <message>
        <source>Points not added</source>
        <translation>未重复发放的积分</translation>
    </message>
    <message>
        <source>Table</source>
        <translation>数据表</translation>
    </message>
    <message>
        <source>Fields</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>Here</source>
        <translation>本库</translation>
    </message>
    <message>
        <source>In the pack</source>
        <translation>活动包中</translation>
    </message>
    <message>
        <source>Kept</source>
        <translation>保留</translation>
    </message>
    <message>
        <source>this database (newer)</source>
        <translation>本库（较新）</translation>
    </message>
    <message>
        <source>the pack (newer)</source>
        <translation>活动包（较新）</translation>
    </message>
    <message>
        <source>Double entries: let in at both places (%1)</source>
        <translation>重复入场：两处都已放行（%1）</translation>
    </message>
    <message>
        <source>Changed at both places (%1)</source>
        <translation>两处都有修改（%1）</translation>
    </message>
    <message>
        <source>Not imported: %1</source>
        <translation>未导入：%1</translation>
    </message>
    <message>
        <source>No double entries and no conflicts.</source>
        <translation>没有重复入场，也没有冲突。</translation>
    </message>
    <message>
        <source>Details (JSON)</source>
        <translation>详细信息（JSON）</translation>
    </message>
</context>
<context>
    <name>PassphraseDialog</name>
    <message>
        <source>Passphrase</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Again</source>
        <translation>再次输入</translation>
    </message>
    <message>
        <source>At least %1 characters.</source>
        <translation>至少 %1 个字符。</translation>
    </message>
    <message>
        <source>The two passphrases differ.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
    <message>
        <source>Encrypt the pack</source>
        <translation>加密活动包</translation>
    </message>
    <message>
        <source>The pack holds guests&apos; names, mobiles and plates. Choose a passphrase: the laptop asks for it to open the pack, and a lost pack reveals nothing without it. Tell it to the coordinator in person, not on the same USB stick.</source>
        <translation>活动包含有来宾的姓名、手机号和车牌。请设定密码：笔记本电脑打开活动包时需要输入；活动包丢失时，没有密码无法读取任何内容。请当面告诉活动专员，不要写在同一个 U 盘上。</translation>
    </message>
    <message>
        <source>Encrypted event pack</source>
        <translation>已加密的活动包</translation>
    </message>
    <message>
        <source>%1 is encrypted. Type its passphrase to open it.</source>
        <translation>%1 已加密。请输入密码打开。</translation>
    </message>
</context>
<context>
    <name>PeopleBrowser</name>
    <message>
        <source>Search name, phone (any format or last 4 digits), plate or VIN</source>
        <translation>搜索姓名、手机号（任意格式或后 4 位）、车牌或车架号</translation>
    </message>
    <message>
        <source>All stages</source>
        <translation>全部阶段</translation>
    </message>
    <message>
        <source>All tiers</source>
        <translation>全部等级</translation>
    </message>
    <message>
        <source>All clubs</source>
        <translation>全部车友会</translation>
    </message>
    <message>
        <source>All butlers</source>
        <translation>全部管家</translation>
    </message>
    <message>
        <source>All tags</source>
        <translation>全部标签</translation>
    </message>
    <message>
        <source>New person…</source>
        <translation>新建客户…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
    <message>
        <source>Add vehicle…</source>
        <translation>添加车辆…</translation>
    </message>
    <message>
        <source>Adjust points…</source>
        <translation>调整积分…</translation>
    </message>
    <message>
        <source>Find duplicates / merge…</source>
        <translation>查找重复 / 合并…</translation>
    </message>
    <message>
        <source>Undo last merge</source>
        <translation>撤销上次合并</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>导入…</translation>
    </message>
    <message>
        <source>Retention review…</source>
        <translation>保留期限审查…</translation>
    </message>
    <message>
        <source>Prospects with no activity for a long time</source>
        <translation>长期没有任何活动的潜客</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>正在搜索…</translation>
    </message>
    <message>
        <source>No people yet.
Add someone with “New person…” or bring in your DMS/CRM list with “Import…”.</source>
        <translation>还没有客户。
点击“新建客户…”添加，或用“导入…”导入 DMS/CRM 名单。</translation>
    </message>
    <message>
        <source>Nobody matches this search or these filters.</source>
        <translation>没有符合搜索或筛选条件的客户。</translation>
    </message>
    <message numerus="yes">
        <source>%n people</source>
        <translation>
            <numerusform>%n 位客户</numerusform>
        </translation>
    </message>
    <message>
        <source>Counting…</source>
        <translation>正在统计…</translation>
    </message>
</context>
<context>
    <name>PeopleModel</name>
    <message>
        <source>no phone</source>
        <translation>无手机号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>手机号</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>客户阶段</translation>
    </message>
    <message>
        <source>Tier</source>
        <translation>等级</translation>
    </message>
    <message>
        <source>Points</source>
        <translation>积分</translation>
    </message>
    <message>
        <source>Butler</source>
        <translation>管家</translation>
    </message>
    <message>
        <source>Vehicles</source>
        <translation>车辆</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Unreachable: no mobile number on file</source>
        <translation>无法联系：没有登记手机号</translation>
    </message>
</context>
<context>
    <name>PeoplePage</name>
    <message>
        <source>People</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Clubs</source>
        <translation>车友会</translation>
    </message>
    <message>
        <source>People and clubs</source>
        <translation>客户与车友会</translation>
    </message>
</context>
<context>
    <name>PerkDialogs</name>
    <message>
        <source>New partner</source>
        <translation>新建合作商家</translation>
    </message>
    <message>
        <source>Car wash, hotel, coffee…</source>
        <translation>洗车、酒店、咖啡…</translation>
    </message>
    <message>
        <source>Contact person and phone / WeChat</source>
        <translation>联系人及电话 / 微信</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Contact</source>
        <translation>联系方式</translation>
    </message>
    <message>
        <source>City</source>
        <translation>城市</translation>
    </message>
    <message>
        <source>New perk</source>
        <translation>新建权益</translation>
    </message>
    <message>
        <source>Change perk</source>
        <translation>修改权益</translation>
    </message>
    <message>
        <source>Everyone</source>
        <translation>所有会员</translation>
    </message>
    <message>
        <source>No limit</source>
        <translation>不限</translation>
    </message>
    <message>
        <source>Valid until</source>
        <translation>截止日期</translation>
    </message>
    <message>
        <source>Offered now</source>
        <translation>上架兑换</translation>
    </message>
    <message>
        <source>Partner</source>
        <translation>合作商家</translation>
    </message>
    <message>
        <source>Perk</source>
        <translation>权益</translation>
    </message>
    <message>
        <source>Points</source>
        <translation>所需积分</translation>
    </message>
    <message>
        <source>Stock</source>
        <translation>库存</translation>
    </message>
    <message>
        <source>Members of</source>
        <translation>会员等级</translation>
    </message>
    <message>
        <source>Per person at most</source>
        <translation>每人最多兑换</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>Redeem a perk for a member</source>
        <translation>为会员兑换权益</translation>
    </message>
    <message>
        <source>%1 points</source>
        <translation>%1 积分</translation>
    </message>
    <message>
        <source>Copy card (paste into WeChat)</source>
        <translation>复制券图（粘贴到微信）</translation>
    </message>
    <message>
        <source>Save PNG…</source>
        <translation>保存图片…</translation>
    </message>
    <message>
        <source>Member</source>
        <translation>会员</translation>
    </message>
    <message>
        <source>Redeem</source>
        <translation>兑换</translation>
    </message>
    <message>
        <source>Voucher %1 issued: %2 points spent, %3 left.</source>
        <translation>已发券 %1：扣除 %2 积分，剩余 %3。</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Save voucher</source>
        <translation>保存权益券</translation>
    </message>
</context>
<context>
    <name>Perks</name>
    <message>
        <source>Partner</source>
        <translation>合作商家</translation>
    </message>
    <message>
        <source>Perk</source>
        <translation>权益</translation>
    </message>
    <message>
        <source>Points</source>
        <translation>积分</translation>
    </message>
    <message>
        <source>Left</source>
        <translation>剩余 / 库存</translation>
    </message>
    <message>
        <source>Members of</source>
        <translation>会员等级</translation>
    </message>
    <message>
        <source>everyone</source>
        <translation>所有会员</translation>
    </message>
    <message>
        <source>Per person</source>
        <translation>每人限兑</translation>
    </message>
    <message>
        <source>Valid until</source>
        <translation>截止日期</translation>
    </message>
    <message>
        <source>Offered</source>
        <translation>上架</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Redeemed</source>
        <translation>已兑换</translation>
    </message>
    <message>
        <source>Used at the partner</source>
        <translation>商家已核销</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>Points spent</source>
        <translation>消耗积分</translation>
    </message>
    <message>
        <source>Stock left</source>
        <translation>剩余库存</translation>
    </message>
    <message>
        <source>Scan the voucher&apos;s QR, or type its code</source>
        <translation>扫描权益券二维码，或输入核销码</translation>
    </message>
    <message>
        <source>Verified by (the partner&apos;s staff)</source>
        <translation>核销人（商家员工）</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>查验</translation>
    </message>
    <message>
        <source>Use it now</source>
        <translation>立即核销</translation>
    </message>
    <message>
        <source>Cancel voucher (points back)</source>
        <translation>取消权益券（退回积分）</translation>
    </message>
    <message>
        <source>Ready — scan a voucher</source>
        <translation>请扫描权益券</translation>
    </message>
    <message>
        <source>Valid — now used. Hand over the perk.</source>
        <translation>有效，已核销。请提供权益。</translation>
    </message>
    <message>
        <source>Valid until %1</source>
        <translation>有效期至 %1</translation>
    </message>
    <message>
        <source>Used %1 by %2</source>
        <translation>%1 由 %2 核销</translation>
    </message>
    <message>
        <source>A genuine code, but not in this database.</source>
        <translation>真实的券码，但不在本数据库中。</translation>
    </message>
    <message>
        <source>Do not honour it: typo or forged code.</source>
        <translation>请勿兑现：券码输错或被伪造。</translation>
    </message>
    <message>
        <source>Partner perks</source>
        <translation>积分权益</translation>
    </message>
    <message>
        <source>No perks yet. Add a partner (car wash, hotel, coffee…), then its perks.</source>
        <translation>还没有权益。请先添加合作商家（洗车、酒店、咖啡…），再添加其权益。</translation>
    </message>
    <message>
        <source>Add partner…</source>
        <translation>添加商家…</translation>
    </message>
    <message>
        <source>Add perk…</source>
        <translation>添加权益…</translation>
    </message>
    <message>
        <source>Change perk…</source>
        <translation>修改权益…</translation>
    </message>
    <message>
        <source>Redeem for a member…</source>
        <translation>为会员兑换…</translation>
    </message>
    <message>
        <source>Perks</source>
        <translation>权益</translation>
    </message>
    <message>
        <source>Redeem voucher</source>
        <translation>核销权益券</translation>
    </message>
    <message>
        <source>Redemptions</source>
        <translation>兑换统计</translation>
    </message>
    <message>
        <source>%1 redeemed · %2 points spent · %3 items left</source>
        <translation>已兑换 %1 · 消耗 %2 积分 · 剩余 %3 件</translation>
    </message>
    <message>
        <source>Partner added.</source>
        <translation>已添加商家。</translation>
    </message>
    <message>
        <source>Perk saved.</source>
        <translation>权益已保存。</translation>
    </message>
    <message>
        <source>Voucher issued.</source>
        <translation>已发券。</translation>
    </message>
</context>
<context>
    <name>PersonDetailPane</name>
    <message>
        <source>Select a person to see their vehicles, clubs and points.</source>
        <translation>选择一位客户，查看其车辆、车友会和积分。</translation>
    </message>
    <message>
        <source>Personal data erased on %1. This anonymous record keeps past figures.</source>
        <translation>个人信息已于 %1 删除。此匿名记录用于保持以往统计数字。</translation>
    </message>
    <message>
        <source>Vehicles</source>
        <translation>车辆</translation>
    </message>
    <message>
        <source>Clubs</source>
        <translation>车友会</translation>
    </message>
    <message>
        <source>Points history</source>
        <translation>积分记录</translation>
    </message>
    <message>
        <source>Perk vouchers</source>
        <translation>权益券</translation>
    </message>
    <message>
        <source>Events attended</source>
        <translation>参加过的活动</translation>
    </message>
    <message>
        <source>Referrals made</source>
        <translation>推荐过的人</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>%1 points</source>
        <translation>%1 积分</translation>
    </message>
    <message>
        <source>No mobile number — unreachable</source>
        <translation>没有手机号 — 无法联系</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>手机号</translation>
    </message>
    <message>
        <source>WeChat</source>
        <translation>微信</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>邮箱</translation>
    </message>
    <message>
        <source>Butler</source>
        <translation>管家</translation>
    </message>
    <message>
        <source>Referred by</source>
        <translation>推荐人</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Marketing contact</source>
        <translation>营销联系</translation>
    </message>
    <message>
        <source>Photos</source>
        <translation>照片使用</translation>
    </message>
    <message>
        <source>Contact and consents</source>
        <translation>联系方式与授权</translation>
    </message>
    <message>
        <source>marketing</source>
        <translation>营销</translation>
    </message>
    <message>
        <source>photos</source>
        <translation>肖像</translation>
    </message>
    <message>
        <source>given</source>
        <translation>同意</translation>
    </message>
    <message>
        <source>withdrawn</source>
        <translation>撤回</translation>
    </message>
    <message>
        <source>online form</source>
        <translation>线上表单</translation>
    </message>
    <message>
        <source>front desk</source>
        <translation>前台</translation>
    </message>
    <message>
        <source>imported list</source>
        <translation>名单导入</translation>
    </message>
    <message>
        <source>paper form</source>
        <translation>纸质表格</translation>
    </message>
    <message>
        <source>staff</source>
        <translation>员工</translation>
    </message>
    <message>
        <source>command line</source>
        <translation>命令行</translation>
    </message>
    <message>
        <source>not recorded</source>
        <translation>未记录</translation>
    </message>
    <message>
        <source>not given</source>
        <translation>未授权</translation>
    </message>
    <message>
        <source>given %1</source>
        <translation>%1 授权</translation>
    </message>
    <message>
        <source>no plate</source>
        <translation>无车牌</translation>
    </message>
    <message>
        <source>No vehicles on file.</source>
        <translation>没有登记车辆。</translation>
    </message>
    <message>
        <source>since %1</source>
        <translation>%1 加入</translation>
    </message>
    <message>
        <source>Not in any club.</source>
        <translation>未加入任何车友会。</translation>
    </message>
    <message>
        <source>No points yet.</source>
        <translation>还没有积分。</translation>
    </message>
    <message>
        <source>until %1</source>
        <translation>至 %1</translation>
    </message>
    <message>
        <source>No vouchers.</source>
        <translation>没有权益券。</translation>
    </message>
    <message>
        <source>No events attended yet.</source>
        <translation>还没有参加过活动。</translation>
    </message>
    <message>
        <source>Has not referred anyone yet.</source>
        <translation>还没有推荐过别人。</translation>
    </message>
</context>
<context>
    <name>PersonDialog</name>
    <message>
        <source>Edit person</source>
        <translation>编辑客户</translation>
    </message>
    <message>
        <source>New person</source>
        <translation>新建客户</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Mobile phone</source>
        <translation>手机号</translation>
    </message>
    <message>
        <source>e.g. 138 0013 8000 or +86 138-0013-8000</source>
        <translation>例如 138 0013 8000 或 +86 138-0013-8000</translation>
    </message>
    <message>
        <source>WeChat ID</source>
        <translation>微信号</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>邮箱</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>客户阶段</translation>
    </message>
    <message>
        <source>Butler</source>
        <translation>管家</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>Referred by</source>
        <translation>推荐人</translation>
    </message>
    <message>
        <source>Agrees to marketing contact</source>
        <translation>同意接收营销联系</translation>
    </message>
    <message>
        <source>Agrees to photos being used</source>
        <translation>同意使用照片</translation>
    </message>
    <message>
        <source>Consents</source>
        <translation>授权</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>comma separated, e.g. VIP, 试驾意向</source>
        <translation>用逗号分隔，例如 VIP, 试驾意向</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
</context>
<context>
    <name>PersonPicker</name>
    <message>
        <source>Type a name or phone…</source>
        <translation>输入姓名或手机号…</translation>
    </message>
</context>
<context>
    <name>PrintSheetsDialog</name>
    <message>
        <source>Print tickets and badges</source>
        <translation>打印门票和胸牌</translation>
    </message>
    <message>
        <source>Tickets</source>
        <translation>门票</translation>
    </message>
    <message>
        <source>Name badges</source>
        <translation>胸牌</translation>
    </message>
    <message>
        <source>A6, one ticket a page</source>
        <translation>A6，每页一张门票</translation>
    </message>
    <message>
        <source>A5, one ticket a page</source>
        <translation>A5，每页一张门票</translation>
    </message>
    <message>
        <source>A4, 4 tickets a sheet with cut marks</source>
        <translation>A4，每页 4 张，带裁切标记</translation>
    </message>
    <message>
        <source>A4, 8 tickets a sheet with cut marks</source>
        <translation>A4，每页 8 张，带裁切标记</translation>
    </message>
    <message>
        <source>Save PDF…</source>
        <translation>保存 PDF…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Print</source>
        <translation>打印内容</translation>
    </message>
    <message>
        <source>Sheet</source>
        <translation>版式</translation>
    </message>
    <message>
        <source>Label size</source>
        <translation>标签尺寸</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Save PDF</source>
        <translation>保存 PDF</translation>
    </message>
    <message>
        <source>Writing %1…</source>
        <translation>正在写入 %1…</translation>
    </message>
    <message numerus="yes">
        <source>%n ticket(s) saved to %1</source>
        <translation>
            <numerusform>已保存 %n 张门票到 %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n badge(s) saved to %1</source>
        <translation>
            <numerusform>已保存 %n 个胸牌到 %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Cancelled: no file was written.</source>
        <translation>已取消：没有写入文件。</translation>
    </message>
</context>
<context>
    <name>PrivacyBar</name>
    <message>
        <source>Person&apos;s copy…</source>
        <translation>个人信息副本…</translation>
    </message>
    <message>
        <source>Everything held about this person in one workbook (PIPL Art. 45)</source>
        <translation>将该客户的全部个人信息导出为一个工作簿（《个人信息保护法》第四十五条）</translation>
    </message>
    <message>
        <source>Erase personal data…</source>
        <translation>删除个人信息…</translation>
    </message>
    <message>
        <source>Withdraw marketing consent…</source>
        <translation>撤回营销授权…</translation>
    </message>
    <message>
        <source>Record consent…</source>
        <translation>记录授权…</translation>
    </message>
    <message>
        <source>Only an admin may erase a person</source>
        <translation>只有管理员可以删除客户个人信息</translation>
    </message>
    <message>
        <source>%1 no longer wants marketing calls or messages.

They will be left out of every call list and follow-up list from now on.</source>
        <translation>%1 不再希望接收营销电话或信息。

从现在起，所有邀约名单和回访名单都会排除此人。</translation>
    </message>
    <message>
        <source>Withdraw marketing consent</source>
        <translation>撤回营销授权</translation>
    </message>
    <message>
        <source>Marketing consent recorded.</source>
        <translation>已记录营销授权。</translation>
    </message>
    <message>
        <source>Marketing consent withdrawn: left out of call lists from now on.</source>
        <translation>已撤回营销授权：今后不会出现在邀约名单中。</translation>
    </message>
    <message>
        <source>Copy written to %1</source>
        <translation>副本已保存到 %1</translation>
    </message>
    <message>
        <source>Really erase %1? This cannot be undone.

Name, mobile, WeChat, e-mail, plates, VINs, notes and answers are removed now; the next HQ workbook tells HQ to remove them too.</source>
        <translation>确定删除 %1 的个人信息吗？此操作无法撤销。

姓名、手机号、微信、邮箱、车牌、车架号、备注和回答将立即删除；下一份总部报表会通知总部一并删除。</translation>
    </message>
    <message>
        <source>Erase personal data — second confirmation</source>
        <translation>删除个人信息——第二次确认</translation>
    </message>
    <message>
        <source>Personal data erased; an anonymous record %1 keeps past figures.</source>
        <translation>个人信息已删除；匿名记录 %1 保持以往统计数字。</translation>
    </message>
</context>
<context>
    <name>QFileDialog</name>
    <message>
        <source>&amp;Look in:</source>
        <translation>查找范围(&amp;L)：</translation>
    </message>
    <message>
        <source>Files of &amp;type:</source>
        <translation>文件类型(&amp;T)：</translation>
    </message>
</context>
<context>
    <name>RegisterDialog</name>
    <message>
        <source>Register</source>
        <translation>报名</translation>
    </message>
    <message>
        <source>Name or phone — find someone, or a new phone</source>
        <translation>姓名或手机号 — 查找已有人员，或输入新手机号</translation>
    </message>
    <message>
        <source>Name (new person)</source>
        <translation>姓名（新客户）</translation>
    </message>
    <message>
        <source>Driver agreed to the drive rules</source>
        <translation>车主已同意自驾活动须知</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>人员</translation>
    </message>
    <message>
        <source>New person&apos;s name</source>
        <translation>新客户姓名</translation>
    </message>
    <message>
        <source>Plate</source>
        <translation>车牌</translation>
    </message>
    <message>
        <source>Passengers</source>
        <translation>同车人数</translation>
    </message>
    <message>
        <source>Seats (with guests)</source>
        <translation>人数（含同行）</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>This event is invite-only: the registration waits for approval (no seat, no ticket until approved).</source>
        <translation>本活动为邀请制：报名需等待审核（审核通过前不占名额、不发门票）。</translation>
    </message>
    <message>
        <source>Answers — {name}</source>
        <translation>答案 — {name}</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Ticket</source>
        <translation>门票</translation>
    </message>
    <message>
        <source>Copy image</source>
        <translation>复制图片</translation>
    </message>
    <message>
        <source>Save PNG…</source>
        <translation>保存 PNG…</translation>
    </message>
    <message>
        <source>Save PDF…</source>
        <translation>保存 PDF…</translation>
    </message>
    <message>
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <source>Save ticket</source>
        <translation>保存门票</translation>
    </message>
</context>
<context>
    <name>ReportExtras</name>
    <message>
        <source>Answers to the event&apos;s questions</source>
        <translation>报名问题的答案</translation>
    </message>
    <message>
        <source>Gifts at the door</source>
        <translation>到店礼品</translation>
    </message>
    <message>
        <source>Gift</source>
        <translation>礼品</translation>
    </message>
    <message>
        <source>Stock</source>
        <translation>库存</translation>
    </message>
    <message>
        <source>Handed</source>
        <translation>已发放</translation>
    </message>
    <message>
        <source>Left</source>
        <translation>剩余</translation>
    </message>
    <message>
        <source>Cost per item</source>
        <translation>单价</translation>
    </message>
    <message>
        <source>Cost handed</source>
        <translation>已发放成本</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>%1: %2 answered, %3 not</source>
        <translation>%1：%2 人已回答，%3 人未回答</translation>
    </message>
    <message>
        <source>average %1 (from %2 to %3)</source>
        <translation>平均 %1（%2 至 %3）</translation>
    </message>
</context>
<context>
    <name>ReportTable</name>
    <message>
        <source>Nothing to show yet.</source>
        <translation>暂无数据。</translation>
    </message>
</context>
<context>
    <name>ReportsPage</name>
    <message>
        <source>Reports</source>
        <translation>报表</translation>
    </message>
    <message>
        <source>Event report</source>
        <translation>活动报表</translation>
    </message>
    <message>
        <source>Community report</source>
        <translation>社群报表</translation>
    </message>
    <message>
        <source>Follow-up lists</source>
        <translation>跟进名单</translation>
    </message>
</context>
<context>
    <name>ResultPanel</name>
    <message>
        <source>Admit from waitlist (Alt+A)</source>
        <translation>从候补转为入场（Alt+A）</translation>
    </message>
    <message>
        <source>Override and check in (Alt+O)</source>
        <translation>强制签到（Alt+O）</translation>
    </message>
    <message>
        <source>Ready — scan a ticket</source>
        <translation>就绪 — 请扫描门票</translation>
    </message>
    <message>
        <source>Or search by name, phone, plate or short code (F3).</source>
        <translation>或按姓名、手机号、车牌或短码搜索（F3）。</translation>
    </message>
    <message>
        <source>referred by %1</source>
        <translation>推荐人：%1</translation>
    </message>
    <message>
        <source>VIP</source>
        <translation>VIP</translation>
    </message>
    <message>
        <source>first visit</source>
        <translation>首次到店</translation>
    </message>
    <message>
        <source>walk-in</source>
        <translation>现场报名</translation>
    </message>
    <message>
        <source>outside the check-in window</source>
        <translation>不在签到时间内</translation>
    </message>
    <message>
        <source>Checked out — welcome back</source>
        <translation>已签退 — 欢迎回来</translation>
    </message>
    <message>
        <source>Already checked out</source>
        <translation>已签退过</translation>
    </message>
    <message>
        <source>Never checked in</source>
        <translation>从未签到</translation>
    </message>
    <message>
        <source>Checked out at %1.</source>
        <translation>%1 已签退。</translation>
    </message>
    <message>
        <source>Checked in at %1 for %2.</source>
        <translation>%1 签到，活动：%2。</translation>
    </message>
    <message>
        <source>Checked in at %1.</source>
        <translation>%1 签到成功。</translation>
    </message>
    <message>
        <source>Points +%1.</source>
        <translation>积分 +%1。</translation>
    </message>
    <message>
        <source>First checked in at %1 at desk %2.</source>
        <translation>首次签到：%1，%2 号台。</translation>
    </message>
    <message>
        <source>This ticket is for %1.</source>
        <translation>这张票属于「%1」。</translation>
    </message>
    <message>
        <source>another event</source>
        <translation>其他活动</translation>
    </message>
    <message>
        <source>Do not admit. Scan again, or search by name or phone.</source>
        <translation>请勿放行。请重新扫码，或按姓名、手机号搜索。</translation>
    </message>
    <message>
        <source>Seats are free: admit now?</source>
        <translation>现有空位：是否现在放行？</translation>
    </message>
    <message>
        <source>No seat is free right now; ask the coordinator.</source>
        <translation>目前没有空位，请联系活动负责人。</translation>
    </message>
    <message>
        <source>Answer the question below to finish the check-in.</source>
        <translation>请回答下方问题以完成签到。</translation>
    </message>
    <message>
        <source>Applied for this invite-only event; not approved yet.</source>
        <translation>已报名此邀请制活动，尚未审核通过。</translation>
    </message>
    <message>
        <source>The application was declined: %1</source>
        <translation>报名未通过审核：%1</translation>
    </message>
    <message>
        <source>party of %1</source>
        <translation>共 %1 人</translation>
    </message>
    <message>
        <source>Still to pay %1</source>
        <translation>还需缴纳 %1</translation>
    </message>
    <message>
        <source>A genuine ticket, but not in this desk&apos;s list. Search by name or phone.</source>
        <translation>门票是真的，但不在本签到台的名单中。请按姓名或手机号搜索。</translation>
    </message>
    <message>
        <source>This registration was cancelled. Register again as a walk-in if there is room.</source>
        <translation>该报名已取消。如有名额，可作为现场报名重新登记。</translation>
    </message>
    <message>
        <source>This ticket was replaced by a newer one. Ask for the latest ticket or search by name.</source>
        <translation>这张票已被新票取代。请出示最新门票，或按姓名搜索。</translation>
    </message>
    <message>
        <source>Check-in is open %1–%2. Override only if you are sure.</source>
        <translation>签到时间为 %1–%2。确认无误再强制签到。</translation>
    </message>
    <message>
        <source>This person never checked in, so cannot check out.</source>
        <translation>此人尚未签到，无法签退。</translation>
    </message>
</context>
<context>
    <name>RetentionDialog</name>
    <message>
        <source>Retention review</source>
        <translation>保留期限审查</translation>
    </message>
    <message>
        <source> months</source>
        <translation> 个月</translation>
    </message>
    <message>
        <source>Keep as the setting</source>
        <translation>保存为设置</translation>
    </message>
    <message>
        <source>Prospects with no activity for</source>
        <translation>无任何活动的潜客，期限</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Mobile</source>
        <translation>手机号</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Last activity</source>
        <translation>最近活动</translation>
    </message>
    <message>
        <source>Nobody is due: every prospect has had activity recently.</source>
        <translation>没有需要处理的潜客：每位潜客近期都有活动。</translation>
    </message>
    <message>
        <source>Anonymise everyone listed…</source>
        <translation>匿名化列表中的所有人…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>%1 prospect(s) had no registration, visit, call or consent change since %2.</source>
        <translation>自 %2 以来，有 %1 位潜客没有报名、到访、致电或授权变更。</translation>
    </message>
    <message>
        <source>(saved as the setting)</source>
        <translation>（已保存为设置）</translation>
    </message>
    <message>
        <source>Anonymise %1 prospect(s)? Their names, mobiles, plates and notes are removed; the anonymous records keep past figures.</source>
        <translation>匿名化 %1 位潜客？其姓名、手机号、车牌和备注将被删除；匿名记录保持以往统计数字。</translation>
    </message>
    <message>
        <source>Anonymise</source>
        <translation>匿名化</translation>
    </message>
    <message>
        <source>Anonymise — second confirmation</source>
        <translation>匿名化——第二次确认</translation>
    </message>
    <message>
        <source>This cannot be undone. Anonymise %1 prospect(s) now?</source>
        <translation>此操作无法撤销。现在匿名化 %1 位潜客吗？</translation>
    </message>
</context>
<context>
    <name>ScannerTestDialog</name>
    <message>
        <source>Test your scanner</source>
        <translation>测试扫码枪</translation>
    </message>
    <message>
        <source>Scan the code below with the scanner, the way you will scan tickets. This panel shows what the desk received and whether it counted as a scan.</source>
        <translation>请像平时扫票一样，用扫码枪扫描下面的二维码。此处会显示签到台收到了什么，以及是否算作一次扫码。</translation>
    </message>
    <message>
        <source>Waiting for a scan…</source>
        <translation>等待扫码…</translation>
    </message>
    <message>
        <source>Scan the code on the left with your scanner.</source>
        <translation>请用扫码枪扫描左侧的二维码。</translation>
    </message>
    <message>
        <source>What the desk received</source>
        <translation>签到台收到的内容</translation>
    </message>
    <message>
        <source>Restore defaults</source>
        <translation>恢复默认值</translation>
    </message>
    <message>
        <source>This desk&apos;s scanner timing</source>
        <translation>本签到台的扫码枪时间设置</translation>
    </message>
    <message>
        <source>Longest pause between a scanner&apos;s keys</source>
        <translation>扫码枪按键之间的最长间隔</translation>
    </message>
    <message>
        <source>Quiet that ends a code without Enter</source>
        <translation>无回车时，静止多久算一次扫码结束</translation>
    </message>
    <message>
        <source>Counted as a scan</source>
        <translation>已算作一次扫码</translation>
    </message>
    <message>
        <source>Not counted as a scan</source>
        <translation>未算作扫码</translation>
    </message>
    <message>
        <source>Enter</source>
        <translation>回车</translation>
    </message>
    <message>
        <source>Tab</source>
        <translation>Tab 键</translation>
    </message>
    <message>
        <source>a pause</source>
        <translation>停顿</translation>
    </message>
    <message>
        <source>%1 characters in %2 ms · pause between keys: average %3 ms, longest %4 ms · ended by: %5 · Shift and other modifier presses: %6 · keypad digits: %7</source>
        <translation>%2 毫秒内收到 %1 个字符 · 按键间隔：平均 %3 毫秒，最长 %4 毫秒 · 结束方式：%5 · Shift 等修饰键按下：%6 次 · 小键盘数字：%7 个</translation>
    </message>
    <message>
        <source>This scanner works at this desk.</source>
        <translation>这把扫码枪可以在本签到台使用。</translation>
    </message>
    <message>
        <source>It ends each code with Enter: the fastest setting.</source>
        <translation>每个条码以回车结尾：这是最快的设置。</translation>
    </message>
    <message>
        <source>It ends each code with Tab: that works too.</source>
        <translation>每个条码以 Tab 键结尾：同样可用。</translation>
    </message>
    <message>
        <source>It ends each code with Ctrl+J (line feed): that works too.</source>
        <translation>每个条码以 Ctrl+J（换行）结尾：同样可用。</translation>
    </message>
    <message>
        <source>It ends each code with Ctrl+M (carriage return): that works too.</source>
        <translation>每个条码以 Ctrl+M（回车符）结尾：同样可用。</translation>
    </message>
    <message>
        <source>It sends nothing after the code, so the desk waits %1 ms of quiet to know the code has ended. That works; an Enter (CR) suffix makes every scan a little faster (most scanner manuals have an “add Enter suffix” barcode).</source>
        <translation>扫码枪在条码后不发送任何结束键，签到台要等静止 %1 毫秒才知道条码已结束。这样可以使用；加上回车（CR）后缀每次扫码会更快一些（大多数扫码枪说明书里都有“添加回车后缀”的设置码）。</translation>
    </message>
    <message>
        <source>Its slowest key came %1 ms after the one before, close to this desk&apos;s limit of %2 ms. The limit is now %3 ms: save to keep it.</source>
        <translation>最慢的一次按键比前一次晚了 %1 毫秒，接近本签到台的上限 %2 毫秒。上限已改为 %3 毫秒：请保存以生效。</translation>
    </message>
    <message>
        <source>The keys came up to %1 ms apart, slower than this desk&apos;s limit of %2 ms, so the desk took them for typing. The limit is now %3 ms: scan again, then save.</source>
        <translation>按键间隔最长达 %1 毫秒，超过本签到台的上限 %2 毫秒，所以被当成了手工输入。上限已改为 %3 毫秒：请再扫一次，然后保存。</translation>
    </message>
    <message>
        <source>The keys came up to %1 ms apart — as slow as a person types, so the desk cannot tell them from typing. Set the scanner&apos;s character delay to its shortest (see its manual), or connect it by USB cable instead of Bluetooth.</source>
        <translation>按键间隔最长达 %1 毫秒——和人打字一样慢，签到台无法把它和手工输入区分开。请把扫码枪的字符间延时设为最短（见说明书），或改用 USB 线连接，不用蓝牙。</translation>
    </message>
    <message>
        <source>Only %1 characters arrived (a ticket has at least %2): scan the test code.</source>
        <translation>只收到 %1 个字符（门票至少有 %2 个）：请扫描测试二维码。</translation>
    </message>
    <message>
        <source>Letters arrived in lower case (Caps Lock is on, or the scanner is set to lower case): that works — tickets are read in any case.</source>
        <translation>字母是小写的（大写锁定已打开，或扫码枪设置为小写）：可以使用——门票不区分大小写。</translation>
    </message>
    <message>
        <source>Digits came from the numeric keypad (keypad emulation): that works.</source>
        <translation>数字来自小键盘（小键盘模拟模式）：可以使用。</translation>
    </message>
    <message>
        <source>Some characters came out different (“%1” where the code has “%2”): the scanner&apos;s keyboard language is not this computer&apos;s. Set the scanner to the US English keyboard (a barcode in its manual).</source>
        <translation>有些字符变了（条码里的“%2”变成了“%1”）：扫码枪的键盘语言与本电脑不一致。请把扫码枪设为美式英文键盘（说明书里有设置码）。</translation>
    </message>
    <message>
        <source>“%1” is not a character of a ticket: the scanner&apos;s keyboard language is not this computer&apos;s. Set the scanner to the US English keyboard (a barcode in its manual).</source>
        <translation>“%1”不是门票中的字符：扫码枪的键盘语言与本电脑不一致。请把扫码枪设为美式英文键盘（说明书里有设置码）。</translation>
    </message>
    <message>
        <source>“%1” is not a Paddock ticket: scan the test code or a ticket Paddock printed.</source>
        <translation>“%1”不是 Paddock 门票：请扫描测试二维码或 Paddock 打印的门票。</translation>
    </message>
    <message>
        <source>A Chinese input method took the keys (it typed “%1”). Switch it to English (usually Shift) before scanning here; the desk itself keeps it off while it waits for a scan.</source>
        <translation>中文输入法截获了按键（输入成了“%1”）。在这里扫码前请把输入法切换到英文（通常按 Shift）；签到台本身在等待扫码时会自动避开输入法。</translation>
    </message>
</context>
<context>
    <name>SessionGuard</name>
    <message>
        <source>Switch user</source>
        <translation>切换用户</translation>
    </message>
    <message>
        <source>Lock now</source>
        <translation>立即锁定</translation>
    </message>
    <message>
        <source>Kiosk mode (check-in only)</source>
        <translation>自助签到模式（仅限签到）</translation>
    </message>
    <message>
        <source>Kiosk</source>
        <translation>自助签到</translation>
    </message>
    <message>
        <source>Leave kiosk mode…</source>
        <translation>退出自助签到模式…</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Dealer profile</source>
        <translation>经销商资料</translation>
    </message>
    <message>
        <source>The dealer code cannot change (tickets and HQ files carry it).</source>
        <translation>经销商代码不能修改（门票和总部文件都带有它）。</translation>
    </message>
    <message>
        <source>Save profile</source>
        <translation>保存资料</translation>
    </message>
    <message>
        <source>Dealer code</source>
        <translation>经销商代码</translation>
    </message>
    <message>
        <source>Dealer name</source>
        <translation>经销商名称</translation>
    </message>
    <message>
        <source>City</source>
        <translation>城市</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>大区</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>A new language applies the next time Paddock starts.</source>
        <translation>新语言将在下次启动 Paddock 时生效。</translation>
    </message>
    <message>
        <source>About</source>
        <translation>关于</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>数据库</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>已保存。</translation>
    </message>
    <message>
        <source>Saved. Restart Paddock to switch the language.</source>
        <translation>已保存。重新启动 Paddock 后切换语言。</translation>
    </message>
</context>
<context>
    <name>SetupDialog</name>
    <message>
        <source>Welcome to Paddock</source>
        <translation>欢迎使用 Paddock</translation>
    </message>
    <message>
        <source>Set up this database for your dealership. The dealer code is the one HQ gave you; it is printed on tickets and HQ files and cannot change later.</source>
        <translation>为您的经销店设置此数据库。经销商代码由总部分配，会印在门票和总部文件上，设置后不能修改。</translation>
    </message>
    <message>
        <source>e.g. SH-0021</source>
        <translation>例如 SH-0021</translation>
    </message>
    <message>
        <source>e.g. Pudong Star Motors</source>
        <translation>例如：上海浦东星辰汽车</translation>
    </message>
    <message>
        <source>e.g. Shanghai</source>
        <translation>例如：上海</translation>
    </message>
    <message>
        <source>Fill with demo data (a month of events to try things out)</source>
        <translation>填入演示数据（一个月的活动，便于试用）</translation>
    </message>
    <message>
        <source>Dealer code</source>
        <translation>经销商代码</translation>
    </message>
    <message>
        <source>Dealer name</source>
        <translation>经销商名称</translation>
    </message>
    <message>
        <source>City</source>
        <translation>城市</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>The language applies the next time Paddock starts.</source>
        <translation>语言将在下次启动 Paddock 时生效。</translation>
    </message>
    <message>
        <source>Adding demo data…</source>
        <translation>正在添加演示数据…</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始使用</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
</context>
<context>
    <name>SignInPanel</name>
    <message>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Choose your name and enter your PIN.</source>
        <translation>请选择您的姓名并输入密码。</translation>
    </message>
    <message>
        <source>Locked</source>
        <translation>已锁定</translation>
    </message>
    <message>
        <source>This desk was idle. Enter the PIN again, or switch user.</source>
        <translation>本前台长时间无操作已锁定。请重新输入密码，或切换用户。</translation>
    </message>
    <message>
        <source>Unlock kiosk mode</source>
        <translation>解除自助签到模式</translation>
    </message>
    <message>
        <source>Kiosk mode allows check-in only. An admin PIN unlocks this desk.</source>
        <translation>自助签到模式下只能办理签到。需输入管理员密码解锁本前台。</translation>
    </message>
    <message>
        <source>PIN or password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
    <message>
        <source>Staff member</source>
        <translation>员工</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Switch user</source>
        <translation>切换用户</translation>
    </message>
</context>
<context>
    <name>SignupImportDialog</name>
    <message>
        <source>Import online sign-ups</source>
        <translation>导入线上报名</translation>
    </message>
    <message>
        <source>问卷星 / 金数据 / 腾讯问卷 export (.xlsx, .xls, .csv)</source>
        <translation>问卷星 / 金数据 / 腾讯问卷 导出文件（.xlsx、.xls、.csv）</translation>
    </message>
    <message>
        <source>Choose file…</source>
        <translation>选择文件…</translation>
    </message>
    <message>
        <source>Columns that would fill nothing yet — tick the ones to ask as questions:</source>
        <translation>以下列尚无对应字段或问题 — 勾选要作为报名问题的列：</translation>
    </message>
    <message>
        <source>Make them questions</source>
        <translation>设为报名问题</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Rows left out and answers that did not fit:</source>
        <translation>未导入的行和不符合问题的答案：</translation>
    </message>
    <message>
        <source>Choose a form export</source>
        <translation>选择表单导出文件</translation>
    </message>
    <message>
        <source>Reading the file…</source>
        <translation>正在读取文件…</translation>
    </message>
    <message>
        <source>Importing…</source>
        <translation>正在导入…</translation>
    </message>
    <message>
        <source>If imported:</source>
        <translation>导入后将：</translation>
    </message>
    <message>
        <source>Imported:</source>
        <translation>已导入：</translation>
    </message>
    <message>
        <source>%1 rows</source>
        <translation>%1 行</translation>
    </message>
    <message>
        <source>%1 new people</source>
        <translation>新客户 %1 人</translation>
    </message>
    <message>
        <source>%1 registered</source>
        <translation>报名成功 %1 人</translation>
    </message>
    <message>
        <source>%1 waitlisted</source>
        <translation>候补 %1 人</translation>
    </message>
    <message>
        <source>%1 awaiting approval</source>
        <translation>待审核 %1 人</translation>
    </message>
    <message>
        <source>%1 duplicates</source>
        <translation>重复 %1 行</translation>
    </message>
    <message>
        <source>%1 left out</source>
        <translation>未导入 %1 行</translation>
    </message>
    <message>
        <source>Questions answered by the file: %1</source>
        <translation>文件中回答的问题：%1</translation>
    </message>
    <message>
        <source>Row %1: %2</source>
        <translation>第 %1 行：%2</translation>
    </message>
</context>
<context>
    <name>SplitCard</name>
    <message>
        <source>Share</source>
        <translation>占比</translation>
    </message>
</context>
<context>
    <name>StartDateDialog</name>
    <message>
        <source>Start date</source>
        <translation>开始日期</translation>
    </message>
</context>
<context>
    <name>SyncPage</name>
    <message>
        <source>Sync</source>
        <translation>同步</translation>
    </message>
    <message>
        <source>Workbooks for HQ, HQ&apos;s campaign packs, and event packs for offline laptops. Every export and import is kept below with its report.</source>
        <translation>给总部的工作簿、总部的活动包，以及离线笔记本用的活动包。每次导出和导入都连同报告保存在下方。</translation>
    </message>
    <message>
        <source>Export for HQ</source>
        <translation>导出给总部</translation>
    </message>
    <message>
        <source>Campaign pack</source>
        <translation>总部活动包</translation>
    </message>
    <message>
        <source>Event packs</source>
        <translation>离线活动包</translation>
    </message>
    <message>
        <source>History</source>
        <translation>历史记录</translation>
    </message>
    <message>
        <source>New export</source>
        <translation>新建导出</translation>
    </message>
    <message>
        <source>Everything (full export)</source>
        <translation>全部数据（完整导出）</translation>
    </message>
    <message>
        <source>Only changes since the last export</source>
        <translation>仅导出上次导出后的变更</translation>
    </message>
    <message>
        <source>Full (names and phone numbers)</source>
        <translation>完整（姓名和手机号）</translation>
    </message>
    <message>
        <source>Masked (138****5678, 张*)</source>
        <translation>脱敏（138****5678，张*）</translation>
    </message>
    <message>
        <source>Hashed (masked + a keyed hash HQ can match)</source>
        <translation>哈希（脱敏 + 总部可匹配的密钥哈希）</translation>
    </message>
    <message>
        <source>Full PII: customers&apos; real names and phone numbers leave the dealership. Choose it only when HQ asks for it in writing, and send the file securely.</source>
        <translation>完整个人信息：客户的真实姓名和手机号将离开本店。仅在总部书面要求时选择，并通过安全渠道发送文件。</translation>
    </message>
    <message>
        <source>Load HQ hash key…</source>
        <translation>载入总部哈希密钥…</translation>
    </message>
    <message>
        <source>All scans (accepted and refused)</source>
        <translation>全部扫码（通过和未通过）</translation>
    </message>
    <message>
        <source>Accepted check-ins only</source>
        <translation>仅已通过的签到</translation>
    </message>
    <message>
        <source>Choose where to save the .xlsx</source>
        <translation>选择 .xlsx 的保存位置</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>What</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>Personal data</source>
        <translation>个人信息</translation>
    </message>
    <message>
        <source>Check-ins</source>
        <translation>签到</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Last exports</source>
        <translation>最近的导出</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Rows</source>
        <translation>行数</translation>
    </message>
    <message>
        <source>Save the HQ workbook</source>
        <translation>保存总部工作簿</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>HQ hash key file</source>
        <translation>总部哈希密钥文件</translation>
    </message>
    <message>
        <source>Key file (*.txt *.key);;All files (*)</source>
        <translation>密钥文件 (*.txt *.key);;所有文件 (*)</translation>
    </message>
    <message>
        <source>HQ hash key stored.</source>
        <translation>总部哈希密钥已保存。</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>正在导出…</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <source>Exported %1 rows to %2 (%3 s).</source>
        <translation>已导出 %1 行到 %2（%3 秒）。</translation>
    </message>
    <message>
        <source>Export cancelled; no file was written.</source>
        <translation>导出已取消；未写入文件。</translation>
    </message>
    <message>
        <source>HQ sends national campaigns (member day, model day…) as a workbook. Paddock first shows what would change; nothing is written until you apply. Events you edited here are never overwritten silently: they are listed as conflicts.</source>
        <translation>总部以工作簿形式下发全国活动（会员日、车型日…）。Paddock 先显示将要发生的变化；点击“应用”之前不会写入任何内容。本店修改过的活动绝不会被悄悄覆盖：它们会列为冲突。</translation>
    </message>
    <message>
        <source>No file chosen</source>
        <translation>尚未选择文件</translation>
    </message>
    <message>
        <source>Choose campaign pack…</source>
        <translation>选择总部活动包…</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>应用</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>行</translation>
    </message>
    <message>
        <source>Campaign code</source>
        <translation>活动编码</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>活动</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Changes and conflicts</source>
        <translation>变更与冲突</translation>
    </message>
    <message>
        <source>HQ campaign pack</source>
        <translation>总部活动包</translation>
    </message>
    <message>
        <source>Reading…</source>
        <translation>正在读取…</translation>
    </message>
    <message>
        <source>new</source>
        <translation>新建</translation>
    </message>
    <message>
        <source>updated</source>
        <translation>更新</translation>
    </message>
    <message>
        <source>unchanged</source>
        <translation>未变</translation>
    </message>
    <message>
        <source>conflict (kept yours)</source>
        <translation>冲突（保留本店的）</translation>
    </message>
    <message>
        <source>skipped</source>
        <translation>跳过</translation>
    </message>
    <message>
        <source>refused</source>
        <translation>拒绝</translation>
    </message>
    <message>
        <source>imported, a value left out</source>
        <translation>已导入，有值未导入</translation>
    </message>
    <message>
        <source>a repeat, not applied</source>
        <translation>重复行，未应用</translation>
    </message>
    <message>
        <source>%1: yours “%2” kept, HQ now “%3”</source>
        <translation>%1：保留本店的“%2”，总部现为“%3”</translation>
    </message>
    <message>
        <source>%1 new, %2 updated, %3 unchanged, %4 conflicts, %5 refused rows.</source>
        <translation>新建 %1，更新 %2，未变 %3，冲突 %4，拒绝 %5 行。</translation>
    </message>
    <message>
        <source>Rows without a campaign code are refused; the others can be applied.</source>
        <translation>没有活动编码的行被拒绝；其余的行可以应用。</translation>
    </message>
    <message>
        <source>Preview only — press Apply to import.</source>
        <translation>仅为预览——点击“应用”导入。</translation>
    </message>
    <message>
        <source>Imported.</source>
        <translation>已导入。</translation>
    </message>
    <message>
        <source>Take an event offline</source>
        <translation>把活动带到离线笔记本</translation>
    </message>
    <message>
        <source>The pack holds the event, its registrations, tickets and the people needed. On the laptop open it with: paddock --db FILE — the normal desk works offline.</source>
        <translation>活动包包含该活动、报名、门票和所需的人员信息。在笔记本上用 paddock --db 文件 打开——签到台照常离线工作。</translation>
    </message>
    <message>
        <source>Choose where to save the pack</source>
        <translation>选择活动包的保存位置</translation>
    </message>
    <message>
        <source>Export pack</source>
        <translation>导出活动包</translation>
    </message>
    <message>
        <source>Bring a laptop&apos;s pack back</source>
        <translation>导入笔记本带回的活动包</translation>
    </message>
    <message>
        <source>Scans and walk-ins merge into this database. Someone let in at both places keeps the earliest check-in and is listed as a double entry. Importing the same pack twice changes nothing; a pack damaged in copying is refused.</source>
        <translation>扫码和现场登记会合并到本数据库。两处都放行的人保留最早的签到，并列为重复入场。同一个活动包导入两次不会改变任何内容；复制时损坏的活动包会被拒绝。</translation>
    </message>
    <message>
        <source>Import pack…</source>
        <translation>导入活动包…</translation>
    </message>
    <message>
        <source>no date</source>
        <translation>无日期</translation>
    </message>
    <message>
        <source>Save the event pack</source>
        <translation>保存活动包</translation>
    </message>
    <message>
        <source>Event pack (*.pack)</source>
        <translation>活动包 (*.pack)</translation>
    </message>
    <message>
        <source>Choose an event first.</source>
        <translation>请先选择活动。</translation>
    </message>
    <message>
        <source>Writing the pack…</source>
        <translation>正在写入活动包…</translation>
    </message>
    <message>
        <source>Encrypted pack for “%1” written to %2 (%3 registrations, %4 people). On the laptop: paddock --db %2 (it asks for the passphrase)</source>
        <translation>“%1”的加密活动包已保存到 %2（%3 个报名，%4 人）。在笔记本电脑上：paddock --db %2（会要求输入密码）</translation>
    </message>
    <message>
        <source>Import an event pack</source>
        <translation>导入活动包</translation>
    </message>
    <message>
        <source>Event pack (*.pack);;All files (*)</source>
        <translation>活动包 (*.pack);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Checking and merging the pack…</source>
        <translation>正在检查并合并活动包…</translation>
    </message>
    <message>
        <source>Pack imported: %1 scans added, %2 double entries, %3 conflicts.</source>
        <translation>活动包已导入：新增 %1 条扫码记录，%2 个重复入场，%3 个冲突。</translation>
    </message>
    <message>
        <source>Double-click a line to see its full report.</source>
        <translation>双击一行查看完整报告。</translation>
    </message>
    <message>
        <source>Operation</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>摘要</translation>
    </message>
    <message>
        <source>HQ export</source>
        <translation>总部导出</translation>
    </message>
    <message>
        <source>Event pack export</source>
        <translation>活动包导出</translation>
    </message>
    <message>
        <source>Event pack import</source>
        <translation>活动包导入</translation>
    </message>
    <message>
        <source>Campaign pack import</source>
        <translation>总部活动包导入</translation>
    </message>
    <message>
        <source>full PII</source>
        <translation>完整信息</translation>
    </message>
    <message>
        <source>masked</source>
        <translation>脱敏</translation>
    </message>
    <message>
        <source>hashed</source>
        <translation>哈希</translation>
    </message>
    <message>
        <source>%1 rows, personal data %2</source>
        <translation>%1 行，个人信息：%2</translation>
    </message>
    <message>
        <source>%1: %2 registrations</source>
        <translation>%1：%2 条报名</translation>
    </message>
    <message>
        <source>%1: %2 scans added, %3 double entries, %4 conflicts</source>
        <translation>%1：新增 %2 条扫码，%3 个重复入场，%4 个冲突</translation>
    </message>
    <message>
        <source>%1 new, %2 updated, %3 unchanged</source>
        <translation>新建 %1，更新 %2，未变 %3</translation>
    </message>
    <message>
        <source>full</source>
        <translation>完整</translation>
    </message>
    <message>
        <source>since last</source>
        <translation>增量</translation>
    </message>
    <message>
        <source>Last export: %1</source>
        <translation>上次导出：%1</translation>
    </message>
    <message>
        <source>No export yet: the first one is always full.</source>
        <translation>尚未导出过：第一次总是完整导出。</translation>
    </message>
    <message>
        <source>Something went wrong: %1</source>
        <translation>出错了：%1</translation>
    </message>
</context>
<context>
    <name>TodayPage</name>
    <message>
        <source>Registered</source>
        <translation>已报名</translation>
    </message>
    <message>
        <source>People who registered ahead and hold a place</source>
        <translation>提前报名且占有名额的人</translation>
    </message>
    <message>
        <source>Arrived</source>
        <translation>已到</translation>
    </message>
    <message>
        <source>Everyone who came, walk-ins included</source>
        <translation>所有到场的人，含现场报名</translation>
    </message>
    <message>
        <source>of whom walk-ins</source>
        <translation>其中现场报名</translation>
    </message>
    <message>
        <source>Arrived people who registered at the door</source>
        <translation>到场者中在现场报名的人</translation>
    </message>
    <message>
        <source>%1 of %2 registered people have arrived</source>
        <translation>已报名 %2 人，已到 %1 人</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>今日</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Counts also refresh by themselves every 10 seconds</source>
        <translation>人数每 10 秒自动刷新</translation>
    </message>
    <message>
        <source>No events today. The coming week is below.</source>
        <translation>今天没有活动，下面是未来一周的安排。</translation>
    </message>
    <message>
        <source>Nothing planned for the next 7 days.</source>
        <translation>未来 7 天没有安排活动。</translation>
    </message>
    <message>
        <source>Registrations open</source>
        <translation>报名中</translation>
    </message>
    <message>
        <source>No published event is taking registrations.</source>
        <translation>目前没有已发布、正在报名的活动。</translation>
    </message>
    <message>
        <source>Call lists behind schedule</source>
        <translation>邀约进度落后</translation>
    </message>
    <message>
        <source>All call lists for the next days are done.</source>
        <translation>近几天活动的邀约名单都已打完。</translation>
    </message>
    <message>
        <source>Tier changes (last 7 days)</source>
        <translation>等级变动（近 7 天）</translation>
    </message>
    <message>
        <source>No member changed tier this week.</source>
        <translation>本周没有会员等级变动。</translation>
    </message>
    <message>
        <source>Birthdays and purchase anniversaries (next 14 days)</source>
        <translation>生日与购车纪念日（未来 14 天）</translation>
    </message>
    <message>
        <source>No owner birthdays or purchase anniversaries in the next 14 days.</source>
        <translation>未来 14 天没有车主生日或购车纪念日。</translation>
    </message>
    <message>
        <source>Awaiting approval</source>
        <translation>待审核报名</translation>
    </message>
    <message>
        <source>Today&apos;s events</source>
        <translation>今日活动</translation>
    </message>
    <message>
        <source>This week</source>
        <translation>本周</translation>
    </message>
    <message>
        <source>Nothing here yet. Plan and publish your first event on the Events page: its live counts, open registrations and call lists will show up here.</source>
        <translation>这里还是空的。请在“活动”页创建并发布第一场活动：实时人数、报名情况和邀约名单都会显示在这里。</translation>
    </message>
    <message>
        <source>Go to Events</source>
        <translation>前往活动</translation>
    </message>
    <message>
        <source>Could not load today&apos;s overview: %1</source>
        <translation>无法加载今日概览：%1</translation>
    </message>
    <message>
        <source>Updated %1</source>
        <translation>更新于 %1</translation>
    </message>
    <message>
        <source>%1 is now %2 (since %3)</source>
        <translation>%1 现为%2（%3 起）</translation>
    </message>
    <message>
        <source>%1 awaiting approval</source>
        <translation>%1 人待审核</translation>
    </message>
    <message>
        <source>%1 (%2): %3 awaiting approval, %4 approved</source>
        <translation>%1（%2）：%3 人待审核，已通过 %4</translation>
    </message>
    <message>
        <source>Double-click to decide in the attendee list</source>
        <translation>双击在报名名单中审核</translation>
    </message>
    <message>
        <source>%1 (%2) — %3 registered</source>
        <translation>%1（%2）— 已报名 %3</translation>
    </message>
    <message>
        <source>%1 (+%2 waitlisted)</source>
        <translation>%1（另有 %2 人候补）</translation>
    </message>
    <message>
        <source>Registration closes %1</source>
        <translation>报名截止 %1</translation>
    </message>
    <message>
        <source>Unassigned</source>
        <translation>未分配</translation>
    </message>
    <message>
        <source>%1: %2 of %3 still to call for %4 (%5)</source>
        <translation>%1：%4（%5）还有 %2/%3 人未致电</translation>
    </message>
    <message>
        <source>%1: birthday on %2</source>
        <translation>%1：%2 生日</translation>
    </message>
    <message>
        <source>1 year</source>
        <translation>1 周年</translation>
    </message>
    <message>
        <source>%1 years</source>
        <translation>%1 周年</translation>
    </message>
    <message>
        <source>%1: %2 with the %3 on %4</source>
        <translation>%1：%4 是购买%3 %2</translation>
    </message>
    <message>
        <source>car</source>
        <translation>爱车</translation>
    </message>
    <message>
        <source>invite to %1</source>
        <translation>可邀请参加 %1</translation>
    </message>
</context>
<context>
    <name>VehicleDialog</name>
    <message>
        <source>Add vehicle</source>
        <translation>添加车辆</translation>
    </message>
    <message>
        <source>VIN</source>
        <translation>车架号（VIN）</translation>
    </message>
    <message>
        <source>17 characters, e.g. LSVAU2180N2183294</source>
        <translation>17 位，例如 LSVAU2180N2183294</translation>
    </message>
    <message>
        <source>Plate</source>
        <translation>车牌</translation>
    </message>
    <message>
        <source>e.g. 沪A·D12345</source>
        <translation>例如 沪A·D12345</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>车型</translation>
    </message>
    <message>
        <source>Known</source>
        <translation>已知</translation>
    </message>
    <message>
        <source>Purchase date</source>
        <translation>购车日期</translation>
    </message>
</context>
<context>
    <name>WalkinDialog</name>
    <message>
        <source>prospect</source>
        <translation>潜客</translation>
    </message>
    <message>
        <source>owner</source>
        <translation>车主</translation>
    </message>
    <message>
        <source>member</source>
        <translation>会员</translation>
    </message>
    <message>
        <source>Walk-in</source>
        <translation>现场报名</translation>
    </message>
    <message>
        <source>Mobile number, e.g. 138 0013 8000</source>
        <translation>手机号，例如 138 0013 8000</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Model they are interested in</source>
        <translation>意向车型</translation>
    </message>
    <message>
        <source>Wants a test drive</source>
        <translation>想要试驾</translation>
    </message>
    <message>
        <source>Agrees to marketing messages</source>
        <translation>同意接收营销信息</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>活动</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>手机号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Interest</source>
        <translation>意向</translation>
    </message>
    <message>
        <source>Register and check in</source>
        <translation>报名并签到</translation>
    </message>
    <message>
        <source>already checked in</source>
        <translation>已签到</translation>
    </message>
    <message>
        <source>registered for this event</source>
        <translation>已报名本活动</translation>
    </message>
    <message>
        <source>Found: %1</source>
        <translation>找到：%1</translation>
    </message>
    <message>
        <source>Press Enter again to approve and admit.</source>
        <translation>再按一次回车即审核通过并入场。</translation>
    </message>
</context>
</TS>
