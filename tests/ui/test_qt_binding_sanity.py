"""The desk runs all day: the Qt binding must not leak away references to None.

PySide6 6.12.0 on Python 3.11 drops one reference to None on every call of a method that
returns nothing (setText, processEvents, signal emission…); after a few thousand calls
Python aborts with "deallocating None" — a front desk would crash mid-queue. pyproject
pins PySide6 below 6.12 for that; this test fails if a broken binding comes back.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QLabel


def test_calling_qt_thousands_of_times_keeps_none_alive(qapp: QApplication) -> None:
    label = QLabel()
    before = sys.getrefcount(None)
    for _ in range(3000):
        label.setText("李娜")
        qapp.processEvents()
    assert sys.getrefcount(None) >= before - 50
