"""An import report's buckets at a glance: the rows read, where each one went (created,
updated, unchanged, duplicates, the importer's own buckets, rejected) — they add up to the
rows — and which rows repeat or add to an earlier one (services/import_report)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from desktop_app.services.import_report import RowCounts

CONTEXT = "ImportBuckets"


def _t(text: str) -> str:
    return QCoreApplication.translate("ImportBuckets", text)


def bucket_label(bucket: str) -> str:
    """What a bucket is called on screen (the key itself for one this widget does not know)."""
    labels = {
        "rows": QCoreApplication.translate("ImportBuckets", "Rows read"),
        "created": QCoreApplication.translate("ImportBuckets", "New"),
        "updated": QCoreApplication.translate("ImportBuckets", "Updated"),
        "unchanged": QCoreApplication.translate("ImportBuckets", "Unchanged"),
        "duplicates": QCoreApplication.translate("ImportBuckets", "Repeats of an earlier row"),
        "additional_cars": QCoreApplication.translate(
            "ImportBuckets", "More cars of a person above"
        ),
        "not_registered": QCoreApplication.translate("ImportBuckets", "Kept, not registered"),
        "rejoins": QCoreApplication.translate("ImportBuckets", "Rejoins"),
        "staff": QCoreApplication.translate("ImportBuckets", "Staff, left out"),
        "absent": QCoreApplication.translate("ImportBuckets", "Registered, never came"),
        "empty": QCoreApplication.translate("ImportBuckets", "Empty answer sheets"),
        "conflicted": QCoreApplication.translate("ImportBuckets", "Conflicts (yours kept)"),
        "skipped": QCoreApplication.translate("ImportBuckets", "Skipped"),
        "rejected": QCoreApplication.translate("ImportBuckets", "Rejected"),
        "warnings": QCoreApplication.translate("ImportBuckets", "Values left out (warnings)"),
    }
    return labels.get(bucket, bucket)


class ImportBuckets(QWidget):
    """Rows read, then one line per bucket with its count; the rows that name an earlier
    row below. `show_counts(counts)` fills it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importBuckets")
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(18)
        self.grid.setVerticalSpacing(2)
        self.links = QLabel()
        self.links.setObjectName("importLinks")
        self.links.setWordWrap(True)
        self.links.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.addLayout(self.grid)
        col.addWidget(self.links)
        self.values: dict[str, int] = {}

    def show_counts(self, counts: RowCounts) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item is not None and item.widget() is not None:
                item.widget().deleteLater()  # type: ignore[union-attr]
        lines = [("rows", counts.rows), *counts.buckets.items()]
        lines.append(("warnings", len(counts.warnings)))
        self.values = dict(lines)
        half = (len(lines) + 1) // 2
        for i, (bucket, n) in enumerate(lines):
            name = QLabel(bucket_label(bucket))
            value = QLabel(str(n))
            value.setObjectName(f"bucket_{bucket}")
            value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            strong = bucket == "rows" or (n and bucket in ("rejected", "warnings"))
            style = "font-weight: bold;" if strong else ("color: #888;" if not n else "")
            name.setStyleSheet(style)
            value.setStyleSheet(style)
            row, col = (i, 0) if i < half else (i - half, 2)
            self.grid.addWidget(name, row, col)
            self.grid.addWidget(value, row, col + 1)
        self.grid.setColumnStretch(4, 1)
        self.links.setText(self._links(counts))
        self.links.setVisible(bool(self.links.text()))

    def _links(self, counts: RowCounts) -> str:
        links = sorted((row, of, bucket) for bucket in counts.linking
                       for row, of in counts.linked(bucket))  # fmt: skip
        said = [
            (
                QCoreApplication.translate("ImportBuckets", "row %1 repeats row %2")
                if bucket == "duplicates"
                else QCoreApplication.translate("ImportBuckets", "row %1 adds to row %2")
            )
            .replace("%1", str(row))
            .replace("%2", str(of))
            for row, of, bucket in links
        ]
        if not said:
            return ""
        shown = said[:40]
        more = len(said) - len(shown)
        tail = QCoreApplication.translate("ImportBuckets", " … and %1 more")
        tail = tail.replace("%1", str(more)) if more else ""
        return QCoreApplication.translate("ImportBuckets", "; ").join(shown) + tail
