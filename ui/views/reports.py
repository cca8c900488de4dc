"""The Reports page: event report, community report and follow-up lists, one tab each."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from ui.context import AppContext
from ui.views.community_report import CommunityReportView
from ui.views.event_report import EventReportView
from ui.views.followup import FollowupView

TAB_EVENT, TAB_COMMUNITY, TAB_FOLLOWUP = 0, 1, 2


class ReportsPage(QWidget):
    """Tabs are built at once but load lazily: the community report is counted on first
    visit, not when the app starts."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._shown_once = False
        title = QLabel(self.tr("Reports"))
        title.setObjectName("pageTitle")
        self.event_report = EventReportView(ctx)
        self.community = CommunityReportView(ctx, load_now=False)
        self.followup = FollowupView(ctx, load_now=False)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.event_report, self.tr("Event report"))
        self.tabs.addTab(self.community, self.tr("Community report"))
        self.tabs.addTab(self.followup, self.tr("Follow-up lists"))
        self.tabs.currentChanged.connect(self._tab_changed)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.tabs, 1)

    def showEvent(self, event: QShowEvent) -> None:  # Qt override
        """Coming back to the page: new events in the picker, fresh numbers on screen."""
        super().showEvent(event)
        if self._shown_once:
            self.event_report.reload_events()
        self._shown_once = True

    def _tab_changed(self, index: int) -> None:
        if index == TAB_COMMUNITY and self.community.report is None:
            self.community.load()
        elif index == TAB_FOLLOWUP and not self.followup.loaded_once:
            self.followup.load()

    def show_event(self, event_id: Any) -> None:
        """Open one event's report (the Today page's cards land here)."""
        self.tabs.setCurrentIndex(TAB_EVENT)
        self.event_report.show_event(event_id)

    def show_community(self) -> None:
        self.tabs.setCurrentIndex(TAB_COMMUNITY)

    def show_followup(self) -> None:
        self.tabs.setCurrentIndex(TAB_FOLLOWUP)
