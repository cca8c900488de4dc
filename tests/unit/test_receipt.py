"""A payment receipt is a document a payer can keep: the dealer, the number, who paid for
what, every amount as text, and the balance still due (the API the fees work uses)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from desktop_app.io.pdf.receipt import Receipt, ReceiptLine, money, write_receipt
from tests.pdf_support import image_count, needs_poppler, page_sizes_mm, pdf_text

pytestmark = needs_poppler

PAID_AT = datetime(2026, 4, 20, 6, 30, tzinfo=UTC)  # 14:30 in Shanghai


def drive_receipt(**kw: Any) -> Receipt:
    base: dict[str, Any] = {
        "number": "R-SH0021-2026-0007",
        "issued_at": PAID_AT,
        "timezone": "Asia/Shanghai",
        "dealer_name": "上海浦东星辰汽车销售服务有限公司",
        "dealer_lines": ("浦东新区张杨路 1234 号", "021-5888 0000"),
        "payer": "张伟",
        "payer_lines": ("沪A·D12345",),
        "event": "车友会自驾：千岛湖 2026-05-01",
        "lines": (
            ReceiptLine("自驾费用（每车）", 1, Decimal("800.00")),
            ReceiptLine("午餐", 3, Decimal("68.00")),
        ),
        "paid": Decimal("500.00"),
        "paid_before": Decimal("200.00"),
        "method": "微信支付",
        "reference": "4200001234202604201234567890",
        "staff": "王管家",
        "note": "本收据仅作付款凭证。",
    }
    return Receipt(**(base | kw))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_receipt_prints_the_dealer_number_items_and_balance(tmp_path: Path, lang: str) -> None:
    r = drive_receipt()
    assert r.total == Decimal("1004.00") and r.balance == Decimal("304.00")
    pdf = write_receipt(r, tmp_path / f"r_{lang}.pdf", lang)
    text = pdf_text(pdf)
    for s in ("上海浦东星辰汽车销售服务有限公司", "R-SH0021-2026-0007", "2026-04-20 14:30", "张伟",
              "沪A·D12345", "千岛湖", "自驾费用（每车）", "午餐", "¥800.00", "¥68.00", "¥204.00",
              "¥1,004.00", "¥200.00", "¥500.00", "¥304.00", "微信支付", "王管家"):  # fmt: skip
        assert s in text, s
    assert ("收据" if lang == "zh" else "Receipt") in text
    assert ("编号：R-SH0021" if lang == "zh" else "No.: R-SH0021") in text
    assert ("尚欠金额" if lang == "zh" else "Balance due") in text
    assert page_sizes_mm(pdf) == [(210, 297)] and image_count(pdf) == 0


def test_a_negative_payment_is_a_refund_receipt(tmp_path: Path) -> None:
    r = drive_receipt(paid=Decimal("-200.00"), paid_before=Decimal("1004.00"), number="R-8")
    text = pdf_text(write_receipt(r, tmp_path / "refund.pdf", "en"))
    assert "Refund receipt" in text and "Refunded" in text and "−¥200.00" in text
    assert money(Decimal("1234.5")) == "¥1,234.50" and money(3, "USD") == "$3.00"


@pytest.mark.parametrize(
    ("lang", "person", "method", "payer_words"),
    [
        ("zh", "收款人", "退款方式", ("付款人", "付款方式")),
        ("en", "Refunded to", "Refund method", ("Received from", "Payment method")),
    ],
)
def test_a_refund_receipt_names_the_person_who_gets_the_money_back(
    tmp_path: Path, lang: str, person: str, method: str, payer_words: tuple[str, str]
) -> None:
    """张伟 is paid back ¥200: he receives the money, by a refund method — he paid nothing."""
    r = drive_receipt(paid=Decimal("-200.00"), paid_before=Decimal("1004.00"), number="R-8")
    text = pdf_text(write_receipt(r, tmp_path / f"refund_{lang}.pdf", lang))
    assert person in text and method in text
    assert not any(word in text for word in payer_words)
    paid = pdf_text(write_receipt(drive_receipt(), tmp_path / f"paid_{lang}.pdf", lang))
    assert all(word in paid for word in payer_words) and person not in paid


def test_many_items_run_onto_a_second_page_with_the_header_again(tmp_path: Path) -> None:
    lines = tuple(ReceiptLine(f"配件 {n:02d}", 1, Decimal("10.00")) for n in range(70))
    pdf = write_receipt(drive_receipt(lines=lines, paid_before=Decimal(0)), tmp_path / "x.pdf")
    pages = [p for p in pdf_text(pdf).split("\f") if p.strip()]
    n = len(pages)
    assert n >= 2
    assert all("项目" in p and "金额" in p for p in pages if "配件" in p)
    assert "¥700.00" in pages[-1] and f"第{n}页/共{n}页" in "".join(pages[-1].split())
    assert all(f"配件 {k:02d}" in "".join(pages) for k in range(70))


def test_a_missing_font_says_to_reinstall(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop_app.io.pdf import fonts

    monkeypatch.setenv("PADDOCK_PDF_FONT_DIR", str(tmp_path / "nowhere"))
    with pytest.raises(fonts.FontMissing) as err:
        fonts.font_file(fonts.REGULAR)
    assert "reinstall Paddock" in str(err.value) and "重新安装" in err.value.localized("zh")
