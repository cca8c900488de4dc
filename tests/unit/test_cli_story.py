"""A coordinator's day, headless: every `paddock` verb of issues 2–5 with DESIGN.md's JSON keys."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from desktop_app.cli import main
from desktop_app.domain.timeutil import zone
from desktop_app.store.db import Database

REGISTRATION_KEYS = {"id", "event_id", "person_id", "name", "status", "ticket_code", "checked_in"}
SCAN_KEYS = {
    "result",
    "event_id",
    "registration_id",
    "person_id",
    "name",
    "first_checked_in_at",
    "first_desk",
}
REPORT_KEYS = {"created", "updated", "unchanged", "duplicates", "rejected"}
PEOPLE_FIXTURES = Path(__file__).parents[1] / "fixtures" / "people"


class Cli:
    """Runs `paddock --db FILE …` in-process; every --json call must print ONE JSON object."""

    def __init__(self, db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.db_path = db_path
        self.capsys = capsys

    def raw(self, *argv: str) -> tuple[int, str, str]:
        try:
            code = main(["--db", str(self.db_path), *argv])
        except SystemExit as exc:  # argparse usage errors
            code = int(exc.code or 0)
        out, err = self.capsys.readouterr()
        return code, out, err

    def json(self, *argv: str, expect: int = 0) -> dict[str, Any]:
        code, out, err = self.raw(*argv, "--json")
        assert code == expect, (argv, code, err)
        obj = json.loads(out)  # the whole stdout is exactly one object
        assert isinstance(obj, dict)
        return obj

    def refused(self, *argv: str, expect: int = 1) -> str:
        code, out, err = self.raw(*argv)
        assert code == expect, (argv, code, out, err)
        assert "Traceback" not in err and err.strip(), err
        if expect == 1:
            assert len(err.strip().splitlines()) == 1, err
        return err.strip()


def _report(obj: dict[str, Any]) -> None:
    assert obj.keys() >= REPORT_KEYS
    for key in ("created", "updated", "unchanged", "duplicates"):
        assert isinstance(obj[key], int)
    for bad in obj["rejected"]:
        assert isinstance(bad["row"], int) and bad["row"] >= 1 and bad["reason"]


def _write_files(d: Path) -> dict[str, Path]:
    """Exports as real desks send them: Excel-saved GBK CSV, merged headers, 问卷星, 金数据, Zoom."""
    rows = [
        ["客户信息导出(2026-11-20)", "", "", "", ""],
        ["序号", "客户姓名", "手机号码", "客户类型", "购车日期"],
        ["1", "刘洋", "138 0013 8000", "车主", "2023年5月6日"],
        ["2", "陈静", "+86-13912345678", "潜客", ""],
        ["3", "赵磊", "13700137000.0", "车主", "2022/11/3"],
        ["4", "孙丽", "(86)13600136000", "保有客户", "2021-07-15"],
        ["5", "周杰", "12345", "车主", ""],
        ["合计", "5", "", "", ""],
    ]
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    files = {"gbk": d / "客户导出.csv"}
    files["gbk"].write_bytes(buf.getvalue().encode("gbk"))

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["星辰汽车 客户档案导出"])
    ws.merge_cells("A1:E1")
    ws.append(["基本信息", None, None, "车辆信息", None])
    ws.merge_cells("A2:C2")
    ws.merge_cells("D2:E2")
    ws.append(["序号", "客户姓名", "手机号码", "车型", "车牌号"])
    ws.append([1, "吴敏", 13500135000, "ID.4", "沪AD54321"])
    ws.append([2, "郑强", "+86-15800158000", None, None])
    ws.append(["合计", 2, None, None, None])
    files["merged"] = d / "客户档案.xlsx"
    wb.save(files["merged"])

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(
        [
            "序号",
            "提交答卷时间",
            "所用时间",
            "来源",
            "来源详情",
            "来自IP",
            "1、您的姓名",
            "2、手机号码",
            "3、同行人数",
            "4、感兴趣的话题",
        ]
    )
    ws.append(
        [
            1,
            "2026/11/20 08:00:00",
            "80秒",
            "微信",
            "N/A",
            "112.64.1.2(上海-上海)",
            "马超",
            "13900139001",
            1,
            "保养┋改装",
        ]
    )
    ws.append(
        [
            2,
            "2026/11/20 09:10:00",
            "45秒",
            "微信",
            "N/A",
            "112.64.1.3(上海-上海)",
            "黄忠",
            "139 0013 9002",
            "1",
            "保养",
        ]
    )
    ws.append(
        [
            3,
            "2026/11/20 10:00:00",
            "30秒",
            "微信",
            "N/A",
            "1.1.1.1(未知)",
            "(跳过)",
            "abc",
            "x",
            "(空)",
        ]
    )
    files["wjx"] = d / "123456_2_1.xlsx"
    wb.save(files["wjx"])

    jin = [
        ["序号", "姓名", "手机", "紧急联系人", "紧急联系人电话", "提交时间", "填写时长", "IP"],
        [
            "1",
            "关羽",
            "13900139011",
            "关平",
            "13900139099",
            "2026-11-20 10:00:00",
            "35秒",
            "1.2.3.4",
        ],
        [
            "3",
            "张飞",
            "+86 139 0013 9012",
            "张苞",
            "13900139098",
            "2026-11-20 11:00",
            "20秒",
            "1.2.3.5",
        ],
    ]
    buf = io.StringIO()
    csv.writer(buf).writerows(jin)
    files["jinshuju"] = d / "金数据.csv"
    files["jinshuju"].write_text(buf.getvalue(), encoding="utf-8-sig")

    files["fake"] = d / "报名表.xlsx"  # a Word document someone renamed
    with zipfile.ZipFile(files["fake"], "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    files["empty"] = d / "empty.csv"
    files["empty"].write_bytes(b"")
    return files


def _zoom_csv(path: Path, start: datetime) -> Path:
    def t(minutes: int) -> str:
        return (start + timedelta(minutes=minutes)).strftime("%m/%d/%Y %I:%M:%S %p")

    lines = [
        "Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants",
        f"812 3456 7890,新车线上发布,{t(0)},{t(150)},host@dealer.cn,150,3",
        ",,,,,,",
        "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest",
        f"林黛玉 (iPhone),,{t(1)},{t(40)},39,Yes",
        f"林黛玉 (iPhone),,{t(30)},{t(80)},50,Yes",
        f"贾宝玉,,{t(5)},{t(9)},4,Yes",
        f"无名游客,,{t(5)},{t(50)},45,Yes",
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_coordinators_day_through_every_cli_verb(
    sqlite_db: Database,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PADDOCK_HOME", str(tmp_path / "home"))
    cli = Cli(Path(str(sqlite_db.path)), capsys)
    files = _write_files(tmp_path)
    now = datetime.now(zone("Asia/Shanghai")).replace(second=0, microsecond=0)
    starts = (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    ends = (now + timedelta(hours=4)).strftime("%Y-%m-%dT%H:%M")
    when = ["--starts", starts, "--ends", ends]

    # init, events of every type, --json before and after the verb
    code, out, err = cli.raw("init", "--dealer-code", "SH-0021", "--dealer-name", "星辰汽车")
    assert code == 0 and "SH-0021" in out, err
    ids: dict[str, str] = {}
    for kind in ("open_day", "parts_tour", "model_day", "member_day", "city_meetup", "other"):
        ev = cli.json("event", "add", "--type", kind, "--title", f"测试 {kind}", *when,
                      "--venue", "展厅", "--capacity", "3", "--waitlist", "--publish")  # fmt: skip
        assert ev["id"] and ev["type"] == kind and ev["status"] == "published"
        ids[kind] = ev["id"]
    drive = cli.json("event", "add", "--type", "club_drive", "--title", "千岛湖自驾", *when,
                     "--meeting-point", "展厅门口", "--route-stop", "杭州", "--route-stop", "千岛湖",
                     "--max-cars", "2", "--capacity", "10", "--publish")  # fmt: skip
    assert drive["details"]["route_stops"] == ["杭州", "千岛湖"]
    assert drive["details"]["max_cars"] == 2
    care = cli.json("event", "add", "--type", "care_class", "--title", "冬季保养课堂", *when,
                    "--venue", "售后车间", "--instructor", "张师傅", "--topic", "轮胎",
                    "--session", f"{starts}/{ends}/轮胎", "--capacity", "6")  # fmt: skip
    assert care["status"] == "draft" and care["details"]["instructor"] == "张师傅"
    assert len(care["sessions"]) == 1
    assert cli.json("event", "set-status", care["id"], "published")["status"] == "published"
    listed = cli.json("event", "list")
    code, out, _ = cli.raw("--json", "event", "list")
    assert code == 0 and json.loads(out) == listed and len(listed["items"]) == 8
    assert cli.json("event", "show", care["id"])["id"] == care["id"]
    copy = cli.json("event", "duplicate", care["id"])
    assert copy["id"] != care["id"] and copy["status"] == "draft"
    tpl = cli.json("event", "save-template", care["id"], "--name", "保养课模板")
    assert [t["id"] for t in cli.json("event", "templates")["items"]] == [tpl["id"]]

    # bad input changes nothing: usage errors exit 2, refused values exit 1 with one line
    cli.refused("event", "add", "--type", "bogus", "--title", "x", expect=2)
    cli.refused("event", "add", "--type", "open_day", "--title", "x", "--starts", "明天")
    cli.refused("event", "show", "not-a-uuid")
    cli.refused("event", "show", "00000000-0000-0000-0000-000000000000")
    cli.refused("event", "set-status", copy["id"], "bogus", expect=2)
    cli.refused("nosuchverb", expect=2)
    assert len(cli.json("event", "list")["items"]) == 9

    # people: add / find / import real-looking exports / merge
    li = cli.json("people", "add", "--name", "李雷", "--phone", "138 0013 8000", "--stage", "owner")
    assert li["id"] and li["phone"] == "+8613800138000"
    assert "李雷" in cli.refused("people", "add", "--name", "重复", "--phone", "13800138000")
    assert [p["id"] for p in cli.json("people", "find", "李雷")["items"]] == [li["id"]]
    dry = cli.json("people", "import", str(files["gbk"]), "--dry-run")
    _report(dry)
    # 12345 is no phone: 周杰 comes in without one (the number kept in his notes to check);
    # 13700137000.0 is a phone
    assert dry["rejected"] == []
    # row 3's phone is 李雷's: his name is kept; row 7's 12345 is kept to check
    assert [(w["row"], w["field"]) for w in dry["warnings"]] == [(3, "name"), (7, "phone")]
    assert dry["created"] == 4 and dry["updated"] == 1, dry
    assert sum(dry["buckets"].values()) == dry["rows"] == 5
    assert cli.json("people", "find", "赵磊")["items"] == [], "a dry run writes nothing"
    _report(cli.json("people", "import", str(files["gbk"])))
    zhao = cli.json("people", "find", "赵磊")["items"]
    assert [p["phone"] for p in zhao] == ["+8613700137000"]
    again = cli.json("people", "import", str(files["gbk"]))
    assert again["created"] == 0 and again["unchanged"] >= 3
    merged_hdr = cli.json("people", "import", str(files["merged"]))
    _report(merged_hdr)
    assert merged_hdr["created"] == 2 and merged_hdr["rejected"] == []
    _report(cli.json("people", "import", str(PEOPLE_FIXTURES / "dms_export.xlsx")))
    for bad in (files["fake"], files["empty"], tmp_path / "missing.csv", tmp_path):
        cli.refused("people", "import", str(bad))
    keep = cli.json("people", "add", "--name", "王强", "--phone", "13611110000")
    drop = cli.json("people", "add", "--name", "王强", "--wechat", "wq_1988")
    merge = cli.json("people", "merge", keep["id"], drop["id"])
    _report(merge)
    cli.refused("people", "merge", keep["id"], drop["id"])
    cli.refused("people", "merge", keep["id"], "not-a-uuid")

    # clubs
    club = cli.json("club", "add", "--name", "帕萨特车友会", "--model", "帕萨特")
    cli.json("club", "join", club["id"], li["id"], "--role", "leader")
    cli.refused("club", "join", club["id"], li["id"])
    assert [m["person_id"] for m in cli.json("club", "members", club["id"])["items"]] == [li["id"]]

    # registrations: --person, --phone/--name, --party, a club drive with --plate, waitlist
    seat = cli.json("register", drive["id"], "--person", li["id"], "--plate", "沪A·D12345",
                    "--party", "2")  # fmt: skip
    assert seat.keys() >= REGISTRATION_KEYS and seat["status"] == "registered"
    assert seat["ticket_code"].startswith("P1.") and seat["checked_in"] is False
    cli.refused("register", drive["id"], "--phone", "13911114444", "--name", "没车")
    od = ids["open_day"]
    regs = [
        cli.json("register", od, "--phone", f"1590000000{i}", "--name", f"客户{i}")
        for i in range(1, 6)
    ]
    assert [r["status"] for r in regs] == ["registered"] * 3 + ["waitlisted"] * 2
    cli.refused("register", od, "--phone", "15900000001", "--name", "客户1")
    listing = cli.json("registrations", od)
    assert len(listing["items"]) == 5 and listing["items"][0].keys() >= REGISTRATION_KEYS
    code, out, _ = cli.raw("cancel", regs[0]["id"], "--reason", "临时有事")
    assert code == 0 and "客户4" in out, "the promotion is printed"
    cancelled = cli.json("cancel", regs[1]["id"])
    assert cancelled["status"] == "cancelled" and cancelled.keys() >= REGISTRATION_KEYS
    cli.refused("cancel", regs[1]["id"])
    cli.refused("registrations", "00000000-0000-0000-0000-000000000000")
    assert "--yes" in cli.refused("event", "set-status", od, "cancelled"), "says how to confirm"

    # sign-up form exports
    wjx = cli.json("signups", "import", care["id"], str(files["wjx"]))
    _report(wjx)
    assert [r["row"] for r in wjx["rejected"]] == [4]
    jin = cli.json("signups", "import", ids["model_day"], str(files["jinshuju"]))
    _report(jin)
    assert jin["created"] == 2 and jin["rejected"] == []
    assert cli.json("signups", "import", ids["model_day"], str(files["jinshuju"]))["created"] == 0
    cli.refused("signups", "import", care["id"], str(files["fake"]))

    # tickets, reissue
    png = cli.json("tickets", od, "--out", str(tmp_path / "png"), "--format", "png")
    assert len(png["files"]) == 3 and all(Path(f).exists() for f in png["files"])
    code, out, err = cli.raw("tickets", od, "--out", str(tmp_path / "pdf"), "--format", "pdf")
    assert code == 0 and list((tmp_path / "pdf").glob("*.pdf")), err
    cli.refused("tickets", od, "--out", str(files["gbk"]))
    old_code = regs[2]["ticket_code"]
    new = cli.json("ticket", "reissue", regs[2]["id"])
    assert new["ticket_code"] != old_code
    cli.refused("ticket", "reissue", regs[0]["id"])

    # check-in: every result word with its exit code
    scan = cli.json("checkin", od, new["ticket_code"], "--desk", "A")
    assert scan.keys() >= SCAN_KEYS and scan["result"] == "accepted"
    assert scan["registration_id"] == regs[2]["id"] and scan["name"] == "客户3"
    twice = cli.json("checkin", od, new["ticket_code"], "--desk", "B", expect=3)
    assert twice["result"] == "already_checked_in" and twice["first_desk"] == "A"
    assert twice["first_checked_in_at"] == scan["first_checked_in_at"]
    forged = new["ticket_code"][:-1] + ("A" if new["ticket_code"][-1] != "A" else "B")
    assert cli.json("checkin", od, forged, expect=3)["result"] == "invalid_ticket"
    assert cli.json("checkin", od, regs[0]["ticket_code"], expect=3)["result"] == "cancelled"
    assert cli.json("checkin", od, old_code, expect=3)["result"] == "revoked"
    promoted = cli.json("registrations", od)["items"][3]
    assert promoted["status"] == "registered" and promoted["ticket_code"]
    wrong = cli.json("checkin", ids["model_day"], promoted["ticket_code"], expect=3)
    assert wrong["result"] == "wrong_event"
    code, out, _ = cli.raw("checkin", od, new["ticket_code"])
    assert code == 3 and out.startswith("ALREADY_CHECKED_IN")
    undo = cli.json("checkin", od, "--undo", regs[2]["id"])
    assert undo["registration_id"] == regs[2]["id"]
    cli.refused("checkin", od, "--undo", regs[2]["id"])
    cli.refused("checkin", od, expect=2)
    assert cli.json("checkin", drive["id"], seat["ticket_code"])["result"] == "accepted"
    out_scan = cli.json("checkout", drive["id"], seat["ticket_code"])
    assert out_scan.keys() >= SCAN_KEYS and out_scan["result"] == "accepted"
    cli.json("checkout", drive["id"], seat["ticket_code"], expect=3)
    walk = cli.json("walkin", od, "--phone", "+86-13811112222", "--name", "路人甲")
    assert walk.keys() >= SCAN_KEYS and walk["result"] == "accepted"
    cli.refused("walkin", od, "--phone", "abc", "--name", "x")

    # online attendance
    online = cli.json("event", "add", "--type", "model_day", "--title", "新车线上发布", *when,
                      "--format", "online", "--link", "https://zoom.us/j/1", "--publish")  # fmt: skip
    for phone, name in (("13900139101", "林黛玉"), ("13900139102", "贾宝玉")):
        cli.json("register", online["id"], "--phone", phone, "--name", name)
    zoom = _zoom_csv(tmp_path / "participants_81234567890.csv", now - timedelta(minutes=50))
    att = cli.json("attendance", "import", online["id"], str(zoom), "--min-minutes", "30")
    _report(att)
    assert att["platform"] == "zoom" and att["matched"] == 2 and att["attended"] == 1
    cli.refused("attendance", "import", online["id"], str(files["jinshuju"]))

    # one more check that nothing above left half-written state: the counts still add up
    assert len(cli.json("event", "list")["items"]) == 10
