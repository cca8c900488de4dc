"""`paddock question / questions / register --answer / checkin --answer / approve / decline
/ gift` with --json: the shapes scripts rely on (docs/questions.md, approval.md, gifts.md)."""

from __future__ import annotations

import json

import pytest

from desktop_app.cli import main
from desktop_app.domain.timeutil import now_utc
from desktop_app.store.db import Database


def run(db: Database, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict]:
    code = main(["--db", db.url, *argv])
    cap = capsys.readouterr()
    out = cap.out.strip()
    return code, (json.loads(out) if out.startswith("{") else {"text": out, "err": cap.err})


def _event(db: Database, capsys: pytest.CaptureFixture[str], *extra: str) -> str:
    start = now_utc().astimezone().replace(microsecond=0)
    code, ev = run(
        db,
        capsys,
        "event", "add", "--type", "city_meetup", "--title", "同城会",
        "--starts", (start.replace(hour=0, minute=0)).isoformat(),
        "--ends", (start.replace(hour=23, minute=59)).isoformat(),
        "--venue", "浦东展厅", "--capacity", "2", "--publish", "--json", *extra,
    )  # fmt: skip
    assert code == 0, ev
    return ev["id"]


def test_questions_answers_and_needs_answers_through_the_cli(
    dealer_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    ev = _event(dealer_db, capsys)
    code, q = run(dealer_db, capsys, "question", "add", ev, "--key", "lunch", "--label",
                  "午餐需要吗", "--type", "yes_no", "--required", "--json")  # fmt: skip
    assert code == 0 and (q["key"], q["at_signup"], q["at_desk"]) == ("lunch", True, False)
    code, q = run(dealer_db, capsys, "question", "add", ev, "--key", "size", "--label", "衣服尺码",
                  "--type", "choice", "--choices", "S,M,L", "--required", "--at-desk", "--json")  # fmt: skip
    assert code == 0 and (q["at_signup"], q["at_desk"], q["choices"]) == (
        False,
        True,
        ["S", "M", "L"],
    )
    code, listed = run(dealer_db, capsys, "questions", ev, "--json")
    assert [x["key"] for x in listed["items"]] == ["lunch", "size"]

    code, out = run(dealer_db, capsys, "register", ev, "--phone", "13800138000", "--name", "王芳")
    assert code == 1 and "午餐需要吗" in out["err"], "a required sign-up question is asked"
    code, r = run(dealer_db, capsys, "register", ev, "--phone", "13800138000", "--name", "王芳",
                  "--answer", "lunch=是", "--json")  # fmt: skip
    assert code == 0 and r["answers"] == {"lunch": True} and r["status"] == "registered"

    code, scan = run(dealer_db, capsys, "checkin", ev, r["ticket_code"], "--json")
    assert code == 3 and scan["result"] == "needs_answers"
    assert [(x["key"], x["missing"]) for x in scan["questions"]] == [("size", True)]
    code, _ = run(dealer_db, capsys, "checkin", ev, r["ticket_code"], "--answer", "size=XXL")
    assert code == 1, "a value that does not fit is bad input"
    code, scan = run(dealer_db, capsys, "checkin", ev, r["ticket_code"], "--answer", "size=m",
                     "--json")  # fmt: skip
    assert code == 0 and scan["result"] == "accepted" and scan["answers"] == {"size": "M"}
    code, regs = run(dealer_db, capsys, "registrations", ev, "--json")
    assert regs["items"][0]["answers"] == {"lunch": True, "size": "M"}
    code, regs = run(dealer_db, capsys, "registrations", ev, "--answer", "lunch=no", "--json")
    assert regs["items"] == []
    code, counted = run(dealer_db, capsys, "questions", ev, "--counts", "--json")
    assert counted["items"][0]["answers"]["counts"] == {"yes": 1, "no": 0}


def test_a_chinese_desk_reads_the_whole_needs_answers_line_in_chinese(
    dealer_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    ev = _event(dealer_db, capsys)
    run(dealer_db, capsys, "question", "add", ev, "--key", "size", "--label", "衣服尺码",
        "--type", "choice", "--choices", "S,M,L", "--required", "--at-desk")  # fmt: skip
    code, r = run(dealer_db, capsys, "register", ev, "--phone", "13800138000", "--name", "万俊杰",
                  "--party", "2", "--json")  # fmt: skip
    assert code == 0, r

    code, said = run(dealer_db, capsys, "--lang", "zh", "checkin", ev, r["ticket_code"])
    assert code == 3
    line, question = said["text"].splitlines()
    assert line.startswith("请回答签到问题：万俊杰")
    assert line.endswith("  ·  共 2 人  ·  首次到店")
    assert question == "  ? 衣服尺码（单选） [S / M / L]：请用 --answer size=… 回答"

    code, said = run(dealer_db, capsys, "checkin", ev, r["ticket_code"])
    line, question = said["text"].splitlines()
    assert line.startswith("NEEDS_ANSWERS: ") and line.endswith("  ·  party 2  ·  first visit")
    assert question == "  ? 衣服尺码 (choice) [S / M / L]: --answer size=…"


def test_approval_through_the_cli(dealer_db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    ev = _event(dealer_db, capsys, "--approval")
    code, shown = run(dealer_db, capsys, "event", "show", ev, "--json")
    assert shown["requires_approval"] is True
    ids = []
    for i in range(3):
        code, r = run(dealer_db, capsys, "register", ev, "--phone", f"1380013800{i}", "--name",
                      f"申请人{i}", "--json")  # fmt: skip
        assert (code, r["status"], r["ticket_code"]) == (0, "pending", None)
        ids.append(r["id"])
    code, pend = run(dealer_db, capsys, "registrations", ev, "--status", "pending", "--json")
    assert len(pend["items"]) == 3
    code, rep = run(dealer_db, capsys, "decline", ids[2], "--reason", "名额有限", "--json")
    assert code == 0 and rep["declined"] == 1 and rep["items"][0]["reason"] == "名额有限"
    code, rep = run(dealer_db, capsys, "approve", *ids, "--json")
    assert code == 0
    assert [x["result"] for x in rep["items"]] == ["registered", "registered", "waitlisted"]
    assert rep["items"][0]["ticket_code"]
    code, out = run(dealer_db, capsys, "decline", ids[0], "--reason", "x", "--json")
    assert out["items"][0]["result"] == "skipped" and out["items"][0]["code"] == "not_pending"


def test_gifts_through_the_cli(dealer_db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    ev = _event(dealer_db, capsys)
    code, g = run(dealer_db, capsys, "gift", "add", ev, "--name", "签到礼", "--stock", "1",
                  "--rule", "per_registration", "--cost", "25", "--json")  # fmt: skip
    assert code == 0 and (g["stock"], g["left"], g["cost"]) == (1, 1, 25.0)
    code, out = run(dealer_db, capsys, "gift", "add", ev, "--name", "x", "--stock", "1",
                    "--rule", "everyone")  # fmt: skip
    assert code == 1 and "per_registration" in out["err"]
    regs = []
    for i in range(2):
        code, r = run(dealer_db, capsys, "register", ev, "--phone", f"1390013800{i}", "--name",
                      f"车主{i}", "--json")  # fmt: skip
        regs.append(r)
    code, hand = run(dealer_db, capsys, "gift", "hand", regs[0]["id"], "--json")
    assert code == 3 and hand["result"] == "not_checked_in"
    code, scan = run(dealer_db, capsys, "checkin", ev, regs[0]["ticket_code"], "--json")
    assert scan["gifts"] == [
        {"gift_id": g["id"], "name": "签到礼", "quantity": 1, "left": 1, "low": False,
         "none_left": False}
    ]  # fmt: skip
    code, hand = run(dealer_db, capsys, "gift", "hand", regs[0]["id"], "--json")
    assert code == 0 and hand["result"] == "handed" and hand["items"][0]["left"] == 0
    code, scan = run(dealer_db, capsys, "checkin", ev, regs[1]["ticket_code"], "--json")
    assert scan["gifts"][0]["none_left"] is True
    code, hand = run(dealer_db, capsys, "gift", "hand", regs[1]["id"], "--json")
    assert code == 3 and hand["result"] == "no_gift_left"
    code, listed = run(dealer_db, capsys, "gift", "list", ev, "--json")
    assert listed["items"][0]["handed"] == 1
    assert listed["items"][0]["cost_handed"] == 25.0


def test_editing_and_removing_questions_and_gifts_through_the_cli(
    dealer_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    ev = _event(dealer_db, capsys)
    _, q = run(dealer_db, capsys, "question", "add", ev, "--key", "size", "--label", "尺码",
               "--type", "choice", "--choices", "S,M", "--json")  # fmt: skip
    code, q2 = run(dealer_db, capsys, "question", "edit", q["id"], "--choices", "S,M,L",
                   "--required", "--at-desk", "--no-at-signup", "--json")  # fmt: skip
    assert code == 0 and q2["choices"] == ["S", "M", "L"] and q2["at_desk"] and q2["required"]
    assert not q2["at_signup"]
    code, _ = run(dealer_db, capsys, "question", "remove", q["id"], "--json")
    assert code == 0 and run(dealer_db, capsys, "questions", ev, "--json")[1]["items"] == []
    _, g = run(dealer_db, capsys, "gift", "add", ev, "--name", "礼", "--stock", "5", "--json")
    code, g2 = run(dealer_db, capsys, "gift", "edit", g["id"], "--stock", "9", "--rule",
                   "first:3", "--json")  # fmt: skip
    assert code == 0 and (g2["stock"], g2["rule"], g2["rule_value"]) == (9, "first_n", "3")
    code, _ = run(dealer_db, capsys, "gift", "remove", g["id"], "--json")
    assert code == 0 and run(dealer_db, capsys, "gift", "list", ev, "--json")[1]["items"] == []


def test_registering_a_known_phone_needs_no_name_with_answers(
    dealer_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    ev = _event(dealer_db, capsys)
    run(dealer_db, capsys, "question", "add", ev, "--key", "lunch", "--label", "午餐需要吗",
        "--type", "yes_no", "--json")  # fmt: skip
    code, p = run(dealer_db, capsys, "people", "add", "--name", "王芳", "--phone", "13800138000",
                  "--json")  # fmt: skip
    assert code == 0
    code, r = run(dealer_db, capsys, "register", ev, "--phone", "138 0013 8000",
                  "--answer", "lunch=要", "--json")  # fmt: skip
    assert code == 0, r
    assert (r["person_id"], r["name"], r["answers"]) == (p["id"], "王芳", {"lunch": True})
    code, out = run(dealer_db, capsys, "register", ev, "--phone", "13900139000", "--json")
    assert code == 1 and "Name" in out["err"], "a new phone still needs the name"
