"""`paddock fee add / fees / pay / refund / receipt` and `paddock partner / perk …`: the
JSON shapes issue 15 names, money as strings with two decimals, exit codes, and files
that other readers can read (pdftotext, zxing-cpp)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image, ImageDraw

from desktop_app.store.db import Database
from tests.fees_support import event_with
from tests.unit.test_cli_story import Cli


@pytest.fixture
def cli(dealer_sqlite: Database, capsys: pytest.CaptureFixture[str]) -> Cli:
    assert dealer_sqlite.path is not None
    return Cli(dealer_sqlite.path, capsys)


def test_a_club_drive_shared_aa_from_the_command_line(
    dealer_sqlite: Database, cli: Cli, tmp_path: Path
) -> None:
    ev, regs = event_with(
        dealer_sqlite, [("王磊", 2, "沪A12345"), ("李娜", 1, "沪B23456"), ("张伟", 1, "沪C34567")]
    )
    item = cli.json("fee", "add", str(ev), "--item", "午餐", "--amount", "100", "--split", "person")
    assert (item["amount"], item["split"], item["units"]) == ("100.00", "person", 4)
    cli.json("fee", "add", str(ev), "--item", "油费", "--amount", "1000", "--split", "car")
    cli.json(
        "fee", "add", str(ev), "--item", "酒店", "--amount", "1500", "--split", "family",
        "--subsidy", "600",
    )  # fmt: skip
    sheet = cli.json("fees", str(ev))
    assert [set(x) >= {"registration_id", "owed", "paid", "outstanding"} for x in sheet["items"]]
    # lunch 50 / 25 / 25, fuel 333.34 / 333.33 / 333.33, hotel 300 each
    assert [(x["owed"], x["paid"], x["outstanding"]) for x in sheet["items"]] == [
        ("683.34", "0.00", "683.34"),
        ("658.33", "0.00", "658.33"),
        ("658.33", "0.00", "658.33"),
    ]
    assert (sheet["total_owed"], sheet["total_paid"]) == ("2000.00", "0.00")

    paid = cli.json("pay", str(regs[0]), "--amount", "500", "--method", "wechat", "--ref", "42")
    assert (paid["amount"], paid["outstanding"], paid["receipt_no"]) == (
        "500.00",
        "183.34",
        "SH-0021-000001",
    )
    cli.json("pay", str(regs[0]), "--amount", "183.34", "--method", "cash")
    cli.json("pay", str(regs[2]), "--amount", "700", "--method", "alipay")
    sheet = cli.json("fees", str(ev))
    assert (sheet["total_paid"], sheet["total_outstanding"]) == ("1383.34", "658.33")
    assert sheet["refunds"] == [
        {"registration_id": str(regs[2]), "name": "张伟", "amount": "41.67"}
    ]
    assert [c["plate"] for c in sheet["outstanding_by_car"]] == ["沪B23456"]
    back = cli.json("refund", str(regs[2]))
    assert (back["amount"], back["method"], back["refund_due"]) == ("-41.67", "alipay", "0.00")
    assert "nothing was paid" in cli.refused("refund", str(regs[1]))
    assert "must be an amount" in cli.refused(
        "pay", str(regs[1]), "--amount", "abc", "--method", "cash"
    )

    pdf = tmp_path / "收据.pdf"
    got = cli.json("receipt", str(regs[0]), "--out", str(pdf))
    assert got["receipt_no"] == "SH-0021-000002" and pdf.read_bytes()[:5] == b"%PDF-"
    png = tmp_path / "receipt.png"
    cli.json("receipt", str(regs[0]), "--out", str(png), "--lang", "en")
    assert Image.open(png).size[0] == 720
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        for word in ("收", "SH-0021-000002", "王磊", "¥683.34", "¥183.34", "星辰汽车", "午餐"):
            assert word in text, word
    assert "nothing to give a receipt for" in cli.refused(
        "receipt", str(regs[1]), "--out", str(pdf)
    )
    assert "must end in .pdf or .png" in cli.refused("receipt", str(regs[0]), "--out", "x.doc")


def test_the_text_says_an_overpayment_is_due_back_and_a_replayed_payment_was_not_taken_twice(
    dealer_sqlite: Database, cli: Cli
) -> None:
    ev, regs = event_with(
        dealer_sqlite, [("王磊", 1, "沪A12345"), ("李娜", 1, "沪B23456"), ("张伟", 1, "沪C34567")]
    )
    cli.json("fee", "add", str(ev), "--item", "油费", "--amount", "100", "--split", "car")
    pay = ("pay", str(regs[0]), "--amount", "20", "--method", "cash")
    cli.raw(*pay)
    _, said, _ = cli.raw(*pay)  # the desk paid ¥20 twice on a ¥33.34 share
    assert said.strip().endswith("paid ¥40 of ¥33.34, overpaid ¥6.66: a refund is due")
    nonce = "0b8f6c1e-5d0a-4c1b-9a51-7d2e3f4a5b6c"
    once = ("pay", str(regs[1]), "--amount", "10", "--method", "wechat", "--nonce", nonce)
    _, first, _ = cli.raw(*once)
    assert first.startswith("李娜: received ¥10 (WeChat transfer), receipt ")
    _, again, _ = cli.raw(*once)  # the same payment sent again (a retried request)
    assert again.startswith("李娜: already recorded — ¥10 (WeChat transfer), receipt ")
    assert "nothing new written" in again and again.strip().endswith("outstanding ¥23.33")
    _, again_zh, _ = cli.raw("--lang", "zh", *once)
    assert again_zh.startswith("李娜：此笔已登记过 — ¥10（微信转账）")

    _, sheet, _ = cli.raw("fees", str(ev))
    # owed 100 = paid 50 + outstanding 56.66 − the 6.66 that goes back to 王磊
    assert sheet.splitlines()[-1] == (
        "total owed ¥100, paid ¥50, outstanding ¥56.66, refund due ¥6.66"
    )
    _, sheet, _ = cli.raw("--lang", "zh", "fees", str(ev))
    assert sheet.splitlines()[-1] == "应收合计 ¥100，已收 ¥50，待收 ¥56.66，应退 ¥6.66"


def test_a_refund_receipt_names_who_gets_the_money_back_in_the_pdf_and_the_png(
    dealer_sqlite: Database, cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ev, regs = event_with(dealer_sqlite, [("王磊", 1, "沪A12345")])
    cli.json("fee", "add", str(ev), "--item", "油费", "--amount", "100", "--split", "car")
    cli.json("pay", str(regs[0]), "--amount", "120", "--method", "wechat")
    back = cli.json("refund", str(regs[0]))  # the ¥20 paid too much goes back to 王磊
    refund = ("receipt", str(regs[0]), "--payment", back["id"])
    if shutil.which("pdftotext"):
        for lang, words, payer_words in (
            ("zh", ("收款人", "退款方式"), ("付款人", "付款方式")),
            ("en", ("Refunded to", "Refund method"), ("Received from", "Payment method")),
        ):
            pdf = tmp_path / f"r_{lang}.pdf"
            cli.json(*refund, "--out", str(pdf), "--lang", lang)
            said = subprocess.run(
                ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
            ).stdout
            assert all(w in said for w in words) and not any(w in said for w in payer_words)
    drawn: list[str] = []
    real_text = ImageDraw.ImageDraw.text
    monkeypatch.setattr(
        ImageDraw.ImageDraw,
        "text",
        lambda self, xy, s, *a, **kw: drawn.append(s) or real_text(self, xy, s, *a, **kw),
    )
    cli.json(*refund, "--out", str(tmp_path / "r.png"))
    assert "收款人" in drawn and "今收到" not in drawn
    drawn.clear()
    cli.json(*refund, "--out", str(tmp_path / "r_en.png"), "--lang", "en")
    assert "Refunded to" in drawn and "Received from" not in drawn


def test_money_input_errors_exit_1_and_change_nothing(dealer_sqlite: Database, cli: Cli) -> None:
    ev, regs = event_with(dealer_sqlite, [("王磊", 1, "沪A12345")])
    assert "more than two decimals" in cli.refused(
        "fee", "add", str(ev), "--item", "x", "--amount", "1.234", "--split", "car"
    )
    assert "must not be negative" in cli.refused(
        "pay", str(regs[0]), "--amount", "-5", "--method", "cash"
    )
    cli.refused("pay", str(regs[0]), "--amount", "5", "--method", "paypal", expect=2)
    assert cli.json("payments", str(ev))["items"] == []


def test_partner_perks_from_the_command_line(
    dealer_sqlite: Database, cli: Cli, tmp_path: Path
) -> None:
    from tests.checkin_support import add_person

    pid = add_person(dealer_sqlite, "王磊", "+8613800000001")
    cli.json("points", "adjust", str(pid), "2500", "--reason", "年度奖励")
    partner = cli.json("partner", "add", "--name", "洁速洗车", "--city", "上海")
    assert partner["name"] == "洁速洗车"
    perk = cli.json(
        "perk", "add", "--partner", "洁速洗车", "--name", "精洗一次", "--points", "300",
        "--stock", "1", "--tier", "silver", "--valid-until", "2099-12-31",
    )  # fmt: skip
    assert (perk["stock_left"], perk["tier"]) == (1, "silver")
    assert [k["name"] for k in cli.json("perk", "list")["items"]] == ["精洗一次"]
    card = tmp_path / "voucher.png"
    got = cli.json("perk", "redeem", "13800000001", str(perk["id"]), "--out", str(card))
    assert {k: got[k] for k in ("perk_id", "person_id", "points")} == {
        "perk_id": perk["id"],
        "person_id": str(pid),
        "points": 300,
    }
    code = got["code"]
    decoded = [r.text for r in zxingcpp.read_barcodes(Image.open(card))]
    assert decoded == [code]
    assert "out of stock" in cli.refused("perk", "redeem", str(pid), str(perk["id"]))

    assert cli.json("perk", "verify", code)["result"] == "valid"
    used = cli.json("perk", "verify", code, "--consume", "--by", "小周")
    assert (used["result"], used["consumed"]) == ("valid", True)
    assert cli.json("perk", "verify", code, "--consume", expect=3)["result"] == "consumed"
    forged = code[:-2] + ("AA" if code[-2:] != "AA" else "BB")
    assert cli.json("perk", "verify", forged, expect=3)["result"] == "invalid"
    assert "already used" in cli.refused("perk", "cancel", code)
    report = cli.json("perk", "report")
    assert (report["redeemed"], report["points_spent"], report["stock_left"]) == (1, 300, 0)
    mine = cli.json("perk", "vouchers", str(pid))["items"]
    assert [v["status"] for v in mine] == ["consumed"]


def test_payments_are_listed_on_the_dealerships_clock(dealer_sqlite: Database, cli: Cli) -> None:
    """At 00:41 in Shanghai it is still yesterday in UTC: the text must say the day the
    cashier and the receipt say, not UTC's (it printed 2026-12-07 16:41 for 12-08 00:41)."""
    from datetime import datetime

    from desktop_app.domain.timeutil import to_local

    ev, regs = event_with(dealer_sqlite, [("王磊", 1, "沪A12345")])
    cli.json("fee", "add", str(ev), "--item", "午餐", "--amount", "100", "--split", "person")
    paid = cli.json("pay", str(regs[0]), "--amount", "20", "--method", "wechat")
    taken = to_local(datetime.fromisoformat(paid["taken_at"]), "Asia/Shanghai")
    assert taken is not None
    code, out, _err = cli.raw("payments", str(ev))
    assert code == 0 and f"{taken:%Y-%m-%d %H:%M}" in out, out


def test_a_chinese_coordinator_reads_the_fee_sheet_in_chinese(
    dealer_sqlite: Database, cli: Cli
) -> None:
    """`paddock --lang zh fees`: splits, units and the owed / paid / outstanding columns
    in Chinese, the payment method too (按车 · 份 · 应付 · 现金), not stored keys."""
    ev, regs = event_with(dealer_sqlite, [("王磊", 1, "沪A12345"), ("李娜", 2, "沪B54321")])
    cli.json("fee", "add", str(ev), "--item", "油费", "--amount", "300", "--split", "car")
    cli.json("pay", str(regs[0]), "--amount", "150", "--method", "cash")
    code, sheet, _ = cli.raw("--lang", "zh", "fees", str(ev))
    assert code == 0 and "油费: ¥300 按车 → 2 份" in sheet
    assert "应付" in sheet and "已付" in sheet and "待收" in sheet and "owes" not in sheet
    _, listing, _ = cli.raw("--lang", "zh", "payments", str(ev))
    assert "收款" in listing and "现金" in listing and "cash" not in listing
