"""The People page: search-as-you-type over every person, filters, a detail pane, actions."""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import QItemSelection, QModelIndex, Qt, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.points import TIERS
from desktop_app.domain.roles import Permission
from desktop_app.services import auth
from desktop_app.services import clubs as clubs_service
from desktop_app.services import people as people_service
from desktop_app.services import staff as staff_service
from ui import labels
from ui.context import AppContext
from ui.models.people_model import (
    COL_NAME,
    COL_TAGS,
    COL_VEHICLES,
    PeopleModel,
    PeopleQuery,
    RowRole,
    ServicePeopleSource,
)
from ui.views.merge_dialogs import DuplicatesDialog, merge_summary, undo_last_merge
from ui.views.person_detail import PersonDetailPane
from ui.views.person_dialogs import AdjustPointsDialog, PersonDialog, VehicleDialog, error_text

SEARCH_DEBOUNCE_MS = 150


class PeoplePage(QWidget):
    """People and Clubs as two tabs (the navigation has one entry for both)."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.tabs = QTabWidget()
        self.people = PeopleBrowser(ctx)
        self.tabs.addTab(self.people, self.tr("People"))
        self.clubs: QWidget | None = None
        self.tabs.addTab(QWidget(), self.tr("Clubs"))
        self.tabs.currentChanged.connect(self._tab_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        title = QLabel(self.tr("People and clubs"))
        title.setObjectName("pageTitle")
        layout.addWidget(title)
        layout.addWidget(self.tabs, 1)

    def _tab_changed(self, index: int) -> None:
        if index == 1 and self.clubs is None:
            from ui.views.clubs import ClubsView  # built on first visit

            self.clubs = ClubsView(self.ctx)
            self.clubs.person_opened.connect(self.show_person)
            old = self.tabs.widget(1)
            self.tabs.blockSignals(True)
            self.tabs.removeTab(1)
            self.tabs.insertTab(1, self.clubs, self.tr("Clubs"))
            self.tabs.setCurrentIndex(1)
            self.tabs.blockSignals(False)
            old.deleteLater()
        elif index == 1 and self.clubs is not None:
            self.clubs.reload()  # type: ignore[attr-defined]

    def show_clubs(self) -> QWidget:
        self.tabs.setCurrentIndex(1)
        assert self.clubs is not None
        return self.clubs

    def show_person(self, person_id: uuid.UUID) -> None:
        self.tabs.setCurrentIndex(0)
        self.people.open_person(person_id)


class PeopleBrowser(QWidget):
    """Search box and filters above the table; the selected person's detail on the right."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.model = PeopleModel(ServicePeopleSource(ctx.db), ctx.pool, self)
        self._selected: uuid.UUID | None = None
        self._shown_before = False
        self._build_filters()
        self._build_actions()
        self._build_table()
        self.detail = PersonDetailPane(ctx)
        self.detail.person_linked.connect(self.open_person)
        self.detail.privacy.changed.connect(self._changed)
        self.detail.privacy.message.connect(lambda text: self.notice.setText(text))
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.body)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([860, 360])  # the table needs the room; the pane reads fine narrow
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addLayout(self.filter_row)
        layout.addLayout(self.action_row)
        layout.addWidget(split, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status)
        bottom.addStretch(1)
        bottom.addWidget(self.notice)
        layout.addLayout(bottom)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SEARCH_DEBOUNCE_MS)
        self.timer.timeout.connect(self.run_query)
        self.search.textChanged.connect(lambda _t: self.timer.start())
        self.search.returnPressed.connect(self.run_query)  # no need to wait for the timer
        self.model.total_changed.connect(self._total_changed)
        self.model.query_failed.connect(self._query_failed)
        self.model.modelReset.connect(self._after_reset)
        self.reload_filters()
        self.run_query()

    def showEvent(self, event: QShowEvent) -> None:
        # Other pages add people too (walk-ins at the desk, imports): refresh on return.
        if self._shown_before:
            self.reload_filters()
            self.model.refresh()
        self._shown_before = True
        super().showEvent(event)

    # ------------------------------------------------------------------ building

    def _build_filters(self) -> None:
        self.search = QLineEdit()
        self.search.setObjectName("peopleSearch")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(
            self.tr("Search name, phone (any format or last 4 digits), plate or VIN")
        )
        self.stage = self._combo(self.tr("All stages"))
        for key in labels.STAGES:
            self.stage.addItem(labels.stage(key), key)
        self.tier = self._combo(self.tr("All tiers"))
        for key in TIERS:
            self.tier.addItem(labels.tier(key), key)
        self.club = self._combo(self.tr("All clubs"))
        self.butler = self._combo(self.tr("All butlers"))
        self.tag = self._combo(self.tr("All tags"))
        self.filter_row = QHBoxLayout()
        self.filter_row.addWidget(self.search, 3)
        for combo in (self.stage, self.tier, self.club, self.butler, self.tag):
            combo.currentIndexChanged.connect(lambda _i: self.run_query())
            self.filter_row.addWidget(combo, 1)

    def _combo(self, everyone: str) -> QComboBox:
        combo = QComboBox()
        combo.addItem(everyone, None)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        return combo

    def _build_actions(self) -> None:
        self.new_button = QPushButton(self.tr("New person…"))
        self.edit_button = QPushButton(self.tr("Edit…"))
        self.vehicle_button = QPushButton(self.tr("Add vehicle…"))
        self.points_button = QPushButton(self.tr("Adjust points…"))
        self.merge_button = QPushButton(self.tr("Find duplicates / merge…"))
        self.undo_merge_button = QPushButton(self.tr("Undo last merge"))
        self.import_button = QPushButton(self.tr("Import…"))
        self.retention_button = QPushButton(self.tr("Retention review…"))
        self.retention_button.setToolTip(self.tr("Prospects with no activity for a long time"))
        self.retention_button.clicked.connect(self.open_retention)
        self.new_button.clicked.connect(self.new_person)
        self.edit_button.clicked.connect(self.edit_person)
        self.vehicle_button.clicked.connect(self.add_vehicle)
        self.points_button.clicked.connect(self.adjust_points)
        self.merge_button.clicked.connect(self.find_duplicates)
        self.undo_merge_button.clicked.connect(self.undo_merge)
        self.import_button.clicked.connect(self.open_import)
        self.action_row = QHBoxLayout()
        for b in (self.new_button, self.edit_button, self.vehicle_button, self.points_button):
            self.action_row.addWidget(b)
        self.action_row.addStretch(1)
        for b in (self.merge_button, self.undo_merge_button, self.import_button):
            self.action_row.addWidget(b)
        if auth.can(self.ctx.db, Permission.ERASE_PEOPLE):  # admins review retention
            self.action_row.addWidget(self.retention_button)
        self._update_buttons()

    def _build_table(self) -> None:
        self.table = QTableView()
        self.table.setObjectName("peopleTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(28)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        # Narrow fixed columns so that the vehicles column (plate · model) gets the rest
        # and a 1366-pixel desk shows every column without a horizontal scroll bar.
        for col, width in enumerate((72, 112, 64, 68, 52, 60, 200, 102)):
            self.table.setColumnWidth(col, width)
        header.setSectionResizeMode(COL_VEHICLES, QHeaderView.ResizeMode.Stretch)
        if "tags" not in people_service.PersonRow.__dataclass_fields__:
            self.table.hideColumn(COL_TAGS)  # the service's rows do not carry tags (yet)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(lambda _i: self.edit_person())
        self.empty = QLabel()
        self.empty.setObjectName("emptyState")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.body = QStackedWidget()
        self.body.addWidget(self.table)
        self.body.addWidget(self.empty)
        self.status = QLabel()
        self.status.setObjectName("peopleStatus")
        self.notice = QLabel()  # the outcome of the last action (merge, undo, failure)
        self.notice.setObjectName("peopleNotice")

    # ------------------------------------------------------------------ queries

    def current_query(self) -> PeopleQuery:
        return PeopleQuery(
            text=self.search.text().strip(),
            stage=self.stage.currentData(),
            tier=self.tier.currentData(),
            club_id=self.club.currentData(),
            butler_id=self.butler.currentData(),
            tag=self.tag.currentData(),
        )

    def run_query(self) -> None:
        self.timer.stop()
        self.status.setText(self.tr("Searching…"))
        self.model.set_query(self.current_query())

    def reload_filters(self) -> None:
        """Refill the club, butler and tag choices (they change as people are added).

        Ids are kept as text: QComboBox.findData cannot compare Python UUID objects."""
        self._refill(
            self.club, [(c.name, str(c.id)) for c in clubs_service.list_clubs(self.ctx.db)]
        )
        self._refill(
            self.butler, [(st.name, str(st.id)) for st in staff_service.list_staff(self.ctx.db)]
        )
        self._refill(self.tag, [(t, t) for t in people_service.list_tags(self.ctx.db)])

    def _refill(self, combo: QComboBox, items: list[tuple[str, Any]]) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        while combo.count() > 1:
            combo.removeItem(1)
        for text, data in items:
            combo.addItem(text, data)
        at = combo.findData(current)
        combo.setCurrentIndex(max(at, 0))
        combo.blockSignals(False)

    def _total_changed(self, total: int) -> None:
        query = self.current_query()
        searching = bool(query.text) or any(v is not None for v in query.filters().values())
        if total == 0 and not searching:
            self.empty.setText(
                self.tr(
                    "No people yet.\nAdd someone with “New person…” or bring in your "
                    "DMS/CRM list with “Import…”."
                )
            )
        elif total == 0:
            self.empty.setText(self.tr("Nobody matches this search or these filters."))
        self.body.setCurrentWidget(self.table if total else self.empty)
        self.status.setText(self.tr("%n people", "", total))

    def _query_failed(self, exc: BaseException) -> None:
        self.notice.setText(error_text(exc, self.ctx.language))

    def _after_reset(self) -> None:
        if self.model.rowCount():  # rows first; the count may still be on its way
            self.body.setCurrentWidget(self.table)
        if not self.model.total_known():
            self.status.setText(self.tr("Counting…"))
        # Keep showing the person the user was looking at if they are still in the list.
        if self._selected is not None:
            row = self.model.row_of(self._selected)
            if row >= 0:
                self.table.selectRow(row)
                return
        self._update_buttons()

    # ------------------------------------------------------------------ selection

    def selected_id(self) -> uuid.UUID | None:
        return self._selected

    def _selection_changed(self, _sel: QItemSelection, _desel: QItemSelection) -> None:
        rows = self.table.selectionModel().selectedRows(COL_NAME)
        row = rows[0].data(RowRole) if rows else None
        if row is not None:
            self._selected = row.id
            self.detail.show_person(row.id)
        self._update_buttons()

    def open_person(self, person_id: uuid.UUID) -> None:
        """Show a person in the detail pane (and select them when they are listed)."""
        self._selected = person_id
        row = self.model.row_of(person_id)
        if row >= 0:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))
        self.detail.show_person(person_id)
        self._update_buttons()

    def _update_buttons(self) -> None:
        has = getattr(self, "_selected", None) is not None
        for b in (self.edit_button, self.vehicle_button, self.points_button):
            b.setEnabled(has)

    # ------------------------------------------------------------------ actions

    def _changed(self, person_id: uuid.UUID | None = None) -> None:
        if person_id is not None:
            self._selected = person_id
        self.reload_filters()
        self.model.refresh()
        if self._selected is not None:
            self.detail.show_person(self._selected)

    def new_person(self) -> None:
        dialog = PersonDialog(self.ctx, parent=self)
        dialog.saved.connect(lambda p: self._changed(p.id))
        dialog.open()

    def edit_person(self) -> None:
        if self._selected is None:
            return
        dialog = PersonDialog(self.ctx, person_id=self._selected, parent=self)
        dialog.saved.connect(lambda p: self._changed(p.id))
        dialog.open()

    def add_vehicle(self) -> None:
        if self._selected is None:
            return
        dialog = VehicleDialog(self.ctx, self._selected, parent=self)
        dialog.saved.connect(lambda _v: self._changed())
        dialog.open()

    def adjust_points(self) -> None:
        if self._selected is None:
            return
        dialog = AdjustPointsDialog(self.ctx, self._selected, parent=self)
        dialog.saved.connect(lambda _c: self._changed())
        dialog.open()

    def find_duplicates(self) -> None:
        dialog = DuplicatesDialog(self.ctx, parent=self)
        dialog.merged.connect(self._merged)
        dialog.open()

    def undo_merge(self) -> None:
        undo_last_merge(self.ctx, self, self._merged, self._query_failed)

    def _merged(self, report: Any) -> None:
        self._changed(report.kept_id)
        self.notice.setText(merge_summary(report))

    def open_import(self) -> None:
        from ui.views.import_wizard import ImportWizard

        wizard = ImportWizard(self.ctx, parent=self)
        wizard.imported.connect(lambda _r: self._changed())
        wizard.open()

    def open_retention(self) -> None:
        from ui.views.privacy import RetentionDialog

        dialog = RetentionDialog(self.ctx, parent=self)
        dialog.anonymised.connect(lambda _n: self._changed())
        dialog.open()

    def select_first(self) -> None:
        if self.model.rowCount():
            self.table.selectRow(0)

    def index_of(self, row: int, col: int = 0) -> QModelIndex:
        return self.model.index(row, col)
