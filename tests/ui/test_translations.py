"""The Chinese catalogue is complete and the app really speaks Chinese with it."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator
from PySide6.QtWidgets import QApplication

from tools.update_translations import QM, TS, unfinished
from ui import labels


def test_every_string_in_the_chinese_catalogue_is_translated() -> None:
    missing = unfinished(TS)
    assert not missing, "untranslated (run tools/update_translations.py):\n" + "\n".join(missing)


def test_the_catalogue_has_the_core_event_words() -> None:
    root = ET.parse(TS).getroot()
    pairs = {
        (m.findtext("source"), "".join(m.find("translation").itertext()))  # type: ignore[union-attr]
        for m in root.iter("message")
    }
    for pair in (
        ("Open day", "开放日"),
        ("Parts-centre tour", "零件中心参观"),
        ("Model day", "车型日"),
        ("Care class", "养护课堂"),
        ("Club drive", "车友会自驾"),
        ("Member day", "会员日"),
        ("City owners' meetup", "城市车主见面会"),
        ("Draft", "草稿"),
        ("Published", "已发布"),
        ("Cancelled", "已取消"),
        ("Hybrid", "线上线下结合"),
    ):
        assert pair in pairs


@pytest.fixture
def chinese(qapp: QApplication) -> Iterator[QTranslator]:
    translator = QTranslator()
    assert translator.load(str(QM)), "compiled catalogue missing: run tools/update_translations.py"
    qapp.installTranslator(translator)
    yield translator
    qapp.removeTranslator(translator)


def test_compiled_catalogue_is_not_older_than_the_source() -> None:
    assert QM.exists() and QM.stat().st_mtime >= TS.stat().st_mtime - 1


def test_labels_and_pages_show_in_chinese(chinese: QTranslator) -> None:
    assert labels.event_type("club_drive") == "车友会自驾"
    assert labels.event_status("closed") == "已截止"
    assert labels.event_format("on_site") == "现场"
    assert labels.scan_result("already_checked_in") == "已签到过"
    assert QCoreApplication.translate("MainWindow", "Events") == "活动"


def test_every_label_table_entry_is_translated(chinese: QTranslator) -> None:
    for table in (
        labels.EVENT_TYPES,
        labels.EVENT_STATUSES,
        labels.EVENT_FORMATS,
        labels.REGISTRATION_STATUSES,
        labels.SCAN_RESULTS,
    ):
        for value in table:
            shown = labels.label(table, value)
            assert shown != table[value], f"{value} is not translated"
