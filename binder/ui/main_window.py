"""The Binder window: search and sections on the left, the open page on the right."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6 import QtCore
from PySide6.QtCore import QTimer, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from binder.journal.journal_errors import JournalError
from binder.ui.history import History
from binder.ui.look import Look
from binder.ui.search_box import SearchBox

if TYPE_CHECKING:
    from binder.journal.places import Place
    from binder.search.library import Library
    from binder.ui.session import Session

CHECK_AFTER_MS = 500  # the look at every journal entry waits until start-up is over
WELCOME = (
    "Type in the search box to find a checklist or guide, or pick a page from the sections. "
    "Esc comes back to the search box; Alt+Left and Alt+Right go back and forward."
)


class MainWindow(QMainWindow):
    # How outside links are opened: the system browser, only on an explicit click.
    open_external = staticmethod(lambda url: QDesktopServices.openUrl(url))

    def __init__(self, store: Library | None, session: Session | None,
                 stylesheet: str = "", problem: str = "", data_folder: Path | None = None,
                 window_style: str = "", settings: dict[str, str] | None = None,
                 fill: bool = True):
        """The window over the content (`store`) and the journal (`session`). With fill=False
        only its frame is made (the search box taking keys, the panes empty): start-up shows
        that at once and calls fill() once it is on screen. `settings`: the saved look, for a
        frame made before the journal is open."""
        super().__init__()
        self.page_style = stylesheet
        self.store, self.session = store, session
        self.journal = session.journal if session is not None else None
        self.data_folder = data_folder
        self.filled = self.enter_pending = False
        self.appearance = Look(window_style, data_folder)
        self.appearance.read(self.journal, settings)
        self.appearance.apply_to_window()  # before the widgets: each is styled once, as made
        self.history = History()
        self.welcome = ""
        self.current: Place | None = None
        self.setWindowTitle("Binder")
        self.fit_to_screen()
        self._make_bars()
        self._make_frame()
        if fill:
            self.fill(store, session, problem)

    def _make_frame(self) -> None:
        """The search box and the two panes, with nothing in them yet: what start-up shows
        first. Only Qt's basic widgets, so that it comes up as fast as a bare window."""
        self.search_box = SearchBox()
        self.correction = QLabel()
        self.correction.setObjectName("correction")
        self.correction.setWordWrap(True)
        self.correction.hide()
        self.search_exact = QPushButton()  # back to the words as typed, after a correction
        self.search_exact.setObjectName("search-exact")
        self.search_exact.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.search_exact.hide()
        self.exact_text: str | None = None  # the words to search as typed, not corrected
        self.left = QStackedWidget()
        left_panel = QWidget()
        left_layout = QVBoxLayout(left_panel)
        left_layout.setContentsMargins(8, 8, 4, 8)
        left_layout.addWidget(self.search_box)
        left_layout.addWidget(self.correction)
        left_layout.addWidget(self.search_exact)
        left_layout.addWidget(self.left, 1)
        self.pages = QStackedWidget()
        right_panel = QWidget()
        self.right_layout = QVBoxLayout(right_panel)
        self.right_layout.setContentsMargins(4, 8, 8, 8)
        self.right_layout.setSpacing(4)
        self.right_layout.addWidget(self.pages, 1)
        splitter = QSplitter()
        splitter.addWidget(left_panel)
        splitter.addWidget(right_panel)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([360, 840])
        self.setCentralWidget(splitter)
        self.search_box.setFocus()
        self.search_box.returnPressed.connect(self.open_best_result)

    def fill(self, store: Library | None, session: Session, problem: str = "") -> None:
        """Everything else: the views, menus and status bar, over the content and the journal.
        What was typed in the search box meanwhile is searched now."""
        # Imported here, not at the top: the frame is on screen before these are loaded.
        from binder.content.pages import message_html
        from binder.ui.checklist_view import ChecklistView
        from binder.ui.dialogs import OperatorDialog
        from binder.ui.document_view import DocumentView
        from binder.ui.find_bar import FindBar
        from binder.ui.incident_ui import IncidentBanner, IncidentStatus
        from binder.ui.sidebar import ResultsList, SectionTree
        from binder.ui.status_bar import StatusBar

        self.store, self.session, self.journal = store, session, session.journal
        if self.journal is not None:
            self.appearance.read(self.journal)  # the journal's settings are the truth
            self.appearance.apply_to_window()  # nothing to do when the frame's copy was right
            self.appearance.keep_file()
        self.setStatusBar(StatusBar(lambda url: self.open_external(url)))
        self.results = ResultsList()
        self.sections = SectionTree()
        self.left.addWidget(self.sections)
        self.left.addWidget(self.results)
        self.document_view = DocumentView("")  # styled by apply_look(), for the theme and zoom
        self.checklist_view = ChecklistView(session, "", lambda: self.incidents.ensure_incident())
        self.pages.addWidget(self.document_view)
        self.pages.addWidget(self.checklist_view)
        self.banner = IncidentBanner(session)
        self.find_bar = FindBar()
        self.right_layout.insertWidget(0, self.banner)
        self.right_layout.insertWidget(1, self.find_bar)

        self._make_actions(session)
        self._connect()
        self.incident_status = IncidentStatus(session)
        self.incident_status.change_operator.connect(self.incidents.change_operator)
        self.statusBar().addPermanentWidget(self.incident_status)
        self.revision_label = QLabel()
        self.statusBar().addPermanentWidget(self.revision_label)

        if store is None:
            self.show_problem("The binder's content cannot be opened", problem)
            self.search_box.setEnabled(False)
        else:
            self.sections.show_sections(store.sections())
            self.revision_label.setText(f"Content {store.revision}")
            self.welcome = message_html("Binder", WELCOME)
            self.document_view.show_html(self.welcome)
            if self.journal is None and problem:
                self.show_problem("Ticks cannot be saved", problem)
            elif self.journal is not None and self.journal.recovered:
                self.show_problem("The activity journal was damaged", self.journal.recovered)
            elif problem:  # an agency pack that could not be read
                self.show_problem_bar(problem)
        self.view_actions.apply_look()
        self.filled = True
        typed = self.search_box.text()
        if typed.strip():
            self.on_search_text(typed)  # typed while the rest was being made
            if self.enter_pending:
                self.open_best_result()
        elif self.document_view.html == self.welcome:  # no problem on the page: back to work
            self.reopen_last_place()
        if self.journal is not None and self.session.operator is None:
            self.operator_prompt = OperatorDialog(None, self)
            self.operator_prompt.accepted.connect(
                lambda: self.incidents.write(
                    lambda: self.session.set_operator(self.operator_prompt.operator())))
            QTimer.singleShot(0, self.operator_prompt.open)
        if self.journal is not None:  # once the window is up and painted: every entry, once
            QTimer.singleShot(CHECK_AFTER_MS, self, self.check_journal)  # not once it is gone
        self.search_box.setFocus()

    def check_journal(self) -> None:
        """Every entry of the journal looked at once for a value damaged on disk, off the UI
        thread; any that cannot be read is said, with the rest of what the opening found."""
        from binder.ui.journal_check import JournalCheck

        if self.journal is None:
            return
        self.journal_check = JournalCheck(self.journal.path)
        self.journal_check.found.connect(self.show_unreadable)
        self.journal_check.start()

    def show_unreadable(self, found: dict) -> None:
        if self.journal is None or not self.journal.add_unreadable(found):
            return
        self.show_problem("The activity journal was damaged", self.journal.recovered)

    def fit_to_screen(self) -> None:
        """Open at a comfortable size that never runs off a small screen."""
        screen = self.screen().availableGeometry() if self.screen() else None
        width, height = 1200, 800
        if screen is not None and screen.width() > 0:
            width = min(width, int(screen.width() * 0.95))
            height = min(height, int(screen.height() * 0.9))
        self.resize(width, height)

    def bring_forward(self) -> None:
        """Another start on this data folder: come to the front (a maximized window stays so)."""
        self.setWindowState(self.windowState() & ~QtCore.Qt.WindowState.WindowMinimized)
        self.show()
        self.raise_()
        self.activateWindow()

    def _make_bars(self) -> None:
        """The menu bar's menus (filled later) and the toolbar's Back and Forward, in the frame:
        the search box is where it stays from the first paint on."""
        self.menus = {name: self.menuBar().addMenu(title) for name, title in (
            ("file", "&File"), ("incident", "&Incident"), ("view", "&View"), ("help", "&Help"))}
        toolbar = self.toolbar = self.addToolBar("Navigation")
        toolbar.setObjectName("navigation")
        toolbar.setMovable(False)
        self.back_action = QAction("◀ Back", self)
        self.back_action.setToolTip("Back (Alt+Left)")
        self.forward_action = QAction("Forward ▶", self)
        self.forward_action.setToolTip("Forward (Alt+Right)")
        for action in (self.back_action, self.forward_action):
            action.setEnabled(False)
            toolbar.addAction(action)
        self.back_action.triggered.connect(lambda: self.go(-1))
        self.forward_action.triggered.connect(lambda: self.go(1))

    def _make_actions(self, session: Session) -> None:
        """The groups of actions, each an object given what it touches: the toolbar's, then
        the menus' entries in the menus' order."""
        # Imported here, not at the top: the frame is on screen before these are loaded.
        from binder.ui.command_board import BoardActions
        from binder.ui.contacts_actions import ContactActions
        from binder.ui.incident_actions import IncidentActions
        from binder.ui.packs_ui import PackActions
        from binder.ui.pins_ui import PinActions
        from binder.ui.print_actions import PrintActions
        from binder.ui.sync_actions import SyncActions
        from binder.ui.view_actions import ViewActions

        # Shortcuts here, not in the frame: a QKeySequence makes PySide6 create Qt's namespace.
        self.back_action.setShortcut(QKeySequence("Alt+Left"))
        self.forward_action.setShortcut(QKeySequence("Alt+Right"))
        library, status, menus = (lambda: self.store), self.statusBar(), self.menus
        self.contacts_actions = ContactActions(
            self, self.toolbar, self.journal, self.store, session, self.pages,
            lambda: self.on_search_text(self.search_box.text()), status)
        self.pins = PinActions(self, self.toolbar, self.journal, self.sections, self.pages,
                               self.page_on_screen, status)
        for keys in ("Esc", "Ctrl+K", "Ctrl+L"):
            QShortcut(QKeySequence(keys), self, self.focus_search)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self, self.find_in_page)
        self.packs = PackActions(self, menus["file"], self.data_folder, library,
                                 self.use_library, status)
        self.incidents = IncidentActions(self, menus["incident"], session, library,
                                         self.open_hit, status)
        self.board = BoardActions(self, menus["incident"], self.incidents.actions["note"],
                                  session, library, self.pages, self.open_hit)
        self.printing = PrintActions(
            self, menus["file"], menus["incident"], session, library,
            lambda: self.current.doc_id if self.current else None, status)
        self.sharing = SyncActions(self, menus["incident"], session, self.data_folder, status)
        self.checkins = self.incidents.checkin_actions(menus["incident"])
        self.deadlines = self.incidents.deadline_actions(menus["incident"])
        self.view_actions = ViewActions(
            self, menus, self.appearance, self.journal,
            (self.document_view, self.checklist_view), self.page_style, status)

    def _connect(self) -> None:
        from binder.ui.sidebar import DOC_ID

        self.search_box.textChanged.connect(self.on_search_text)
        self.search_exact.clicked.connect(self.search_as_typed)
        self.search_box.move_selection.connect(self.results.move)
        self.results.itemActivated.connect(self._open_hit)
        self.results.itemClicked.connect(self._open_hit)
        self.find_bar.closed.connect(
            lambda: self.pages.currentWidget().setFocus(QtCore.Qt.FocusReason.OtherFocusReason))
        self.sections.itemActivated.connect(lambda item: self._open_item(item.data(0, DOC_ID)))
        self.sections.itemClicked.connect(lambda item: self._open_item(item.data(0, DOC_ID)))
        for view in (self.document_view, self.checklist_view):
            view.link_activated.connect(self.follow_link)
            view.link_hovered.connect(self.show_link_address)
        self.checklist_view.problem.connect(lambda text: self.show_problem_bar(text))

    # Search

    def on_search_text(self, text: str) -> None:
        if not self.filled:
            return  # fill() searches what was typed meanwhile
        if not text.strip() or self.store is None:
            self.left.setCurrentWidget(self.sections)
            self.correction.hide()
            self.search_exact.hide()
            return
        exact = text == self.exact_text
        results = self.contacts_actions.with_contact_hits(
            text, self.store.search(text, exact=exact))
        self.results.show_hits(results, text)
        self.correction.setText(f"Showing results for “{results.corrected.strip()}”"
                                if results.corrected else "Matching some of your words")
        self.correction.setVisible(bool(results.corrected) or results.partial)
        typed = text.strip()
        self.search_exact.setText(f"Search instead for “{elided(typed)}”")
        self.search_exact.setAccessibleName(f"Search instead for “{typed}”")
        self.search_exact.setVisible(bool(results.corrected))
        self.left.setCurrentWidget(self.results)

    def search_as_typed(self) -> None:
        """Search the words in the box exactly as typed, with no correction."""
        self.exact_text = self.search_box.text()
        self.on_search_text(self.exact_text)
        self.search_box.setFocus(QtCore.Qt.FocusReason.OtherFocusReason)
        self.search_box.deselect()

    def open_best_result(self) -> None:
        if not self.filled:
            self.enter_pending = True  # Enter typed before the rest was there: opened then
            return
        if self.left.currentWidget() is self.results:
            doc_id, step_id = self.results.current_target()
            self.open_hit(doc_id, step_id)

    def _open_hit(self, item) -> None:
        from binder.ui.sidebar import DOC_ID, STEP_ID

        self.open_hit(item.data(DOC_ID), item.data(STEP_ID))

    def open_hit(self, doc_id: str | None, step_id: str | None = "") -> None:
        """A page opens at its top; a step opens its checklist, scrolled to it and marked."""
        if not doc_id:
            return
        if doc_id.startswith("contact:"):
            self.contacts_actions.open_contacts(int(doc_id.removeprefix("contact:")))
            return
        anchor = step_id.split("/", 1)[1] if step_id else ""
        if not self.open_document(doc_id, anchor):
            return
        if step_id:
            self.checklist_view.mark_step(step_id)  # focuses the step
        else:
            self.pages.currentWidget().setFocus(QtCore.Qt.FocusReason.OtherFocusReason)

    def find_in_page(self) -> None:
        """Ctrl+F: find in the open page when the focus is in it, else go to the search box."""
        focus = QApplication.focusWidget()
        inside = focus is not None and (
            self.pages.isAncestorOf(focus) or self.find_bar.isAncestorOf(focus))
        if self.current is None or not inside:
            self.focus_search()
            return
        self.find_bar.attach(self.pages.currentWidget())
        self.find_bar.start()

    def focus_search(self) -> None:
        self.search_box.setFocus(QtCore.Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    def _open_item(self, doc_id: str | None) -> None:
        if doc_id:
            self.open_document(doc_id)

    # Pages and links

    def open_document(self, doc_id: str, anchor: str = "", remember: bool = True) -> bool:
        from binder.content.pages import page_html
        from binder.journal.places import Place

        doc = self.store.document(doc_id) if self.store else None
        if doc is None:
            self.statusBar().showMessage(f"There is no page '{doc_id}' in this binder.", 8000)
            return False
        if remember:  # a new visit: the page being left keeps its place for Back
            self.history.keep(self.here())
        if doc.steps:
            self.checklist_view.show_document(doc, anchor)
            self.pages.setCurrentWidget(self.checklist_view)
        else:
            self.document_view.show_html(page_html(doc), anchor)
            self.pages.setCurrentWidget(self.document_view)
        self.current = Place(doc_id, anchor)
        if remember:
            self.history.visit(self.current)
        self.back_action.setEnabled(self.history.can_step(-1))
        self.forward_action.setEnabled(self.history.can_step(1))
        self.sections.select_doc(doc_id)
        self.pins.page_opened(doc_id)
        self.setWindowTitle(f"{doc.title} — Binder")
        self.printing.actions["page"].setEnabled(True)
        self.find_bar.attach(self.pages.currentWidget())
        return True

    def use_library(self, library: Library) -> None:
        """The binder read from now on (a pack came or went): its sections, the open page."""
        self.store = library
        self.sections.show_sections(library.sections())
        if self.current is not None:
            self.open_document(self.current.doc_id, self.current.anchor, remember=False)

    def go(self, delta: int) -> None:
        """Back or forward: the page comes back scrolled as it was, on the same step."""
        self.history.keep(self.here())
        place = self.history.step(delta)
        if place is not None and self.open_document(place.doc_id, place.anchor, remember=False):
            self.current = place
            self.restore(place)

    def page_on_screen(self) -> str:
        """The id of the page on screen ("" when there is none, or Contacts cover it)."""
        if self.current is None:
            return ""
        if self.pages.currentWidget() not in (self.document_view, self.checklist_view):
            return ""
        return self.current.doc_id

    def here(self) -> Place | None:
        """The place on screen: the page, how far it is scrolled, the step with the keyboard."""
        view = self.pages.currentWidget()
        if self.current is None or view not in (self.checklist_view, self.document_view):
            return self.current
        step = view.focused_step() if view is self.checklist_view else ""

        return replace(self.current, scroll=view.verticalScrollBar().value(), step=step)

    def restore(self, place: Place) -> None:
        """Scroll the open page back to `place` and give its step the keyboard again."""
        view = self.pages.currentWidget()
        if view is self.checklist_view:
            view.widget().adjustSize()  # the scroll range of the page just laid out
            row = view.rows.get(place.step)
            if row is not None:
                row.checkbox.setFocus(QtCore.Qt.FocusReason.OtherFocusReason)
        if place.scroll is not None and view in (self.checklist_view, self.document_view):
            view.verticalScrollBar().setValue(place.scroll)

    def reopen_last_place(self) -> None:
        """At start: the page that was open when the window closed, where it was."""
        place = self.pins.places.last_place()
        doc = self.store.document(place.doc_id) if place and self.store else None
        if doc is None or not self.open_document(place.doc_id, place.anchor):
            return
        self.current = place
        self.history.keep(place)
        QTimer.singleShot(0, lambda: self.restore(place))  # once the window has its size

    def closeEvent(self, event):  # noqa: N802 (Qt's name)
        """The place is kept for the next start (a person's convenience, not the record)."""
        place = self.here()
        if place is not None:
            try:
                self.pins.places.set_last_place(place)
            except JournalError:
                pass  # closing anyway: the page itself is still first in the recent list
        super().closeEvent(event)

    def follow_link(self, href: str) -> None:
        """Pages open in the same view; outside addresses open in the system browser."""
        if href.startswith("binder:"):
            doc_id, _, anchor = href.removeprefix("binder:").partition("#")
            self.open_document(doc_id, anchor)
        elif href.startswith("#") and self.current is not None:
            self.open_document(self.current.doc_id, href[1:])
        elif href.startswith(("http://", "https://", "mailto:", "tel:")):
            self.statusBar().showMessage(f"Opened in your browser: {href}", 8000)
            self.open_external(QUrl(href))
        elif href:
            self.statusBar().showMessage(f"This link goes nowhere: {href}", 8000)

    def show_link_address(self, href: str) -> None:
        if href.startswith(("http://", "https://", "mailto:", "tel:")):
            self.statusBar().show_hint(f"Outside link, opens in your browser on click: {href}")
        else:
            self.statusBar().show_hint("")

    def show_problem(self, title: str, message: str) -> None:
        from binder.content.pages import message_html

        self.document_view.show_html(message_html(title, message))
        self.pages.setCurrentWidget(self.document_view)
        self.show_problem_bar(message)

    def show_problem_bar(self, message: str) -> None:
        self.statusBar().showMessage(message)


def elided(text: str, most: int = 32) -> str:
    """The text, cut to `most` characters with an ellipsis: a long query would widen the
    sidebar's button."""
    return text if len(text) <= most else text[:most - 1].rstrip() + "…"
