"""Scripts and HQ tooling drive people, clubs, points and merges through `paddock … --json`."""

from __future__ import annotations

import json
from typing import Any

import pytest

from desktop_app.cli import main
from desktop_app.store.db import Database


class Cli:
    def __init__(self, db: Database, capsys: pytest.CaptureFixture[str]) -> None:
        self.url = db.url
        self.capsys = capsys

    def run(self, *args: str) -> tuple[int, str, str]:
        self.capsys.readouterr()
        try:
            code = main(["--db", self.url, *args])
        except SystemExit as exc:  # argparse usage errors
            code = int(exc.code or 0)
        out, err = self.capsys.readouterr()
        return code, out, err

    def json(self, *args: str) -> dict[str, Any]:
        code, out, err = self.run(*args, "--json")
        assert code == 0, err
        lines = out.strip().splitlines()
        assert len(lines) == 1, out  # exactly one JSON object
        return json.loads(lines[0])


@pytest.fixture
def cli(dealer_db: Database, capsys: pytest.CaptureFixture[str]) -> Cli:
    return Cli(dealer_db, capsys)


def test_add_find_and_show_a_person(cli: Cli) -> None:
    butler = cli.json("staff", "add", "--name", "陈管家", "--role", "coordinator")
    assert butler["role"] == "coordinator"
    p = cli.json(
        "people",
        "add",
        "--name",
        "张伟",
        "--phone",
        "0086 138-0013-8000",
        "--wechat",
        "zw88",
        "--butler",
        butler["id"],
        "--tag",
        "VIP",
        "--tag",
        "试驾",
    )
    assert p["id"] and p["phone"] == "+8613800138000" and p["butler_name"] == "陈管家"
    assert p["tags"] == ["VIP", "试驾"]
    found = cli.json("people", "find", "8000")
    assert [i["id"] for i in found["items"]] == [p["id"]] and found["count"] == 1
    shown = cli.json("people", "show", p["id"])
    assert shown["id"] == p["id"] and shown["vehicles"] == [] and shown["points"] == []
    staff_list = cli.json("staff", "list")
    assert [s["name"] for s in staff_list["items"]] == ["陈管家"]


def test_a_duplicate_phone_exits_1_with_one_line_naming_the_owner(cli: Cli) -> None:
    cli.json("people", "add", "--name", "张伟", "--phone", "13800138000")
    code, out, err = cli.run("people", "add", "--name", "张三", "--phone", "+86 13800138000")
    assert code == 1 and out == ""
    assert len(err.strip().splitlines()) == 1 and "张伟" in err
    code, _, err = cli.run("people", "add", "--name", "李四", "--phone", "138****2046")
    assert code == 1 and "masked" in err
    assert cli.json("people", "find", "")["count"] == 1


def test_missing_name_is_a_usage_error(cli: Cli) -> None:
    code, _, _ = cli.run("people", "add", "--phone", "13800138000")
    assert code == 2


def test_vehicle_points_and_tiers(cli: Cli) -> None:
    p = cli.json("people", "add", "--name", "李娜", "--phone", "13912345678")
    v = cli.json(
        "people",
        "add-vehicle",
        p["id"],
        "--vin",
        "LSVAM4187C2184847",
        "--plate",
        "沪A·D12345",
        "--purchased",
        "2023/5/6",
    )
    assert v["plate"] == "沪AD12345" and v["purchase_date"] == "2023-05-06"
    code, _, err = cli.run("people", "add-vehicle", p["id"], "--vin", "LSVAM4188C2184847")
    assert code == 1 and "check digit" in err
    assert cli.json("people", "find", "184847")["items"][0]["id"] == p["id"]
    ch = cli.json("points", "adjust", p["id"], "600", "--reason", "老车主补录")
    assert ch["balance"] == 600 and ch["tier"] == "silver" and ch["tier_changed"]
    code, _, err = cli.run("points", "adjust", p["id"], "10", "--reason", " ")
    assert code == 1 and "reason" in err.lower()
    assert cli.json("points", "history", p["id"])["items"][0]["delta"] == 600
    assert cli.json("points", "tiers") == {"silver": 500, "gold": 2000, "platinum": 5000}
    assert cli.json("points", "tiers", "--silver", "700")["silver"] == 700
    assert cli.json("people", "show", p["id"])["tier"] == "none"


def test_a_person_is_named_by_mobile_number_as_well_as_by_id(cli: Cli) -> None:
    """The front desk knows the phone, not the UUID: every PERSON argument takes it, in
    any format staff type it (it said "person not found" for show and points)."""
    p = cli.json("people", "add", "--name", "李娜", "--phone", "13912345678")
    for ref in ("13912345678", "+8613912345678", "139 1234 5678", "0086-139-1234-5678"):
        assert cli.json("people", "show", ref)["id"] == p["id"]
    cli.json("points", "adjust", "139 1234 5678", "80", "--reason", "老带新")
    assert [r["delta"] for r in cli.json("points", "history", "13912345678")["items"]] == [80]
    v = cli.json("people", "add-vehicle", "+86 139 1234 5678", "--plate", "沪B12345")
    assert cli.json("people", "show", p["id"])["vehicles"][0]["id"] == v["id"]
    code, _, err = cli.run("people", "show", "13800000000")
    assert code == 1 and "13800000000" in err


def test_clubs_from_the_command_line(cli: Cli) -> None:
    club = cli.json("club", "add", "--name", "ID.4车友会", "--model", "ID.4", "--city", "上海")
    assert club["id"] and club["model_focus"] == "ID.4"
    p = cli.json("people", "add", "--name", "张伟", "--phone", "13800138000")
    m = cli.json("club", "join", club["id"], p["id"], "--role", "leader", "--joined", "2024-03-01")
    assert m["role"] == "leader" and m["joined_on"] == "2024-03-01"
    code, _, err = cli.run("club", "join", club["id"], p["id"])
    assert code == 1 and "already" in err
    listed = cli.json("club", "list")
    assert listed["items"][0]["members"] == 1 and listed["items"][0]["leaders"] == ["张伟"]
    members = cli.json("club", "members", club["id"])
    assert [(x["name"], x["role"]) for x in members["items"]] == [("张伟", "leader")]
    assert cli.json("club", "role", club["id"], p["id"], "kol")["role"] == "kol"
    assert cli.json("club", "activity", club["id"]) == {"items": []}
    code, _, _ = cli.run("club", "join", club["id"], p["id"], "--role", "boss")
    assert code == 2


def test_find_duplicates_merge_and_undo(cli: Cli) -> None:
    a = cli.json("people", "add", "--name", "李娜", "--phone", "13912345678", "--wechat", "lina")
    b = cli.json("people", "add", "--name", "李 娜", "--wechat", "LINA")
    dups = cli.json("people", "duplicates")
    assert {dups["items"][0]["a_id"], dups["items"][0]["b_id"]} == {a["id"], b["id"]}
    merged = cli.json("people", "merge", a["id"], b["id"])
    assert merged["kept_id"] == a["id"] and merged["dropped_id"] == b["id"]
    assert cli.json("people", "find", "李")["count"] == 1
    undone = cli.json("people", "undo-merge")
    assert undone["undone"] is True
    assert cli.json("people", "find", "李")["count"] == 2
    code, _, err = cli.run("people", "undo-merge")
    assert code == 1 and "no merge" in err
    code, _, err = cli.run("people", "show", "nope")
    assert code == 1 and "not found" in err


def test_human_output_without_json(cli: Cli) -> None:
    cli.json("people", "add", "--name", "张伟", "--phone", "13800138000")
    code, out, _ = cli.run("people", "find", "张")
    assert code == 0 and "张伟" in out and "138 0013 8000" in out


def test_piping_a_long_listing_into_head_ends_quietly(dealer_sqlite: Database) -> None:
    import subprocess
    import sys

    from desktop_app.services import people
    from desktop_app.services.people import PersonDraft

    for i in range(400):
        people.create_person(
            dealer_sqlite, PersonDraft(name=f"车主{i:03d}", phone=f"1380013{i:04d}")
        )
    cmd = f"{sys.executable} -m desktop_app --db {dealer_sqlite.path} people find 车主 --limit 1000 --json | head -c 50"
    res = subprocess.run(["bash", "-o", "pipefail", "-c", cmd], capture_output=True, text=True)
    assert res.stdout.startswith('{"items"')
    assert "unexpected error" not in res.stderr and "Traceback" not in res.stderr, res.stderr
    assert res.returncode == 0
