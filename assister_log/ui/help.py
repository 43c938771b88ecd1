"""Help → The policy (the bundled text of MNsure's policy, read in the app, offline) and
Help → Short guide (the after-the-call flow in a few steps)."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from assister_log.errors import KnownError
from assister_log.paths import resource

from assister_log.ui.common import named
from assister_log.ui.geometry import fit_dialog

POLICY_FILE = ("policy", "terminating-inappropriate-interactions-policy.txt")

GUIDE_HTML = """
<h2>Writing up a call or meeting you ended</h2>
<ol>
<li><b>New incident</b> (Ctrl+N): choose the procedure you followed and press Enter.</li>
<li><b>1 Who, when, where</b>: type when it <b>began</b> and <b>ended</b> – "6:15 pm" or
"18:15" is enough; a date first is optional. The field shows what it understood.</li>
<li><b>Timeline</b>: writing it up afterwards, press <b>Add at another time…</b> (Alt+A) for
each step: the next missing step is chosen, type its time, Enter. During a call, press a
step as it happens: it is stamped now, to the second.</li>
<li><b>2 Grounds</b>: tick each ground that applies and fill in what it asks.</li>
<li><b>4 Narrative</b>: what happened, in your words, once.</li>
<li><b>Compliance</b> (bottom): each line is something the policy asks for that the record
does not show yet. Press Enter on it (or <b>Jump to it</b>) to go where it is fixed. If a
step did not happen for a reason, <b>Record justified deviation…</b> instead.
Lines marked ⚠ Time are times that do not add up.</li>
<li><b>Finalize…</b> (Alt+Z): tick the attestation (Space), Enter. The record is sealed.</li>
</ol>
<p>Everything is saved within seconds, encrypted on this computer. Back up regularly:
File → Back up…</p>
"""


def policy_text() -> str:
    try:
        return resource(*POLICY_FILE).read_text("utf-8")
    except (OSError, KnownError):
        return "The policy text is missing from this installation: reinstall Assister Log."


class HelpDialog(QDialog):
    """A readable text in a dialog that does not block the app."""

    def __init__(self, parent: QWidget | None, title: str, *, text: str = "", html: str = ""):
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(title)
        named(self, title)
        layout = QVBoxLayout(self)
        self.browser = QTextBrowser()
        named(self.browser, title)
        self.browser.setOpenLinks(False)
        if html:
            self.browser.setHtml(html)
        else:
            self.browser.setPlainText(text)
        layout.addWidget(self.browser, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        for button in buttons.buttons():
            named(button, button.text().replace("&", ""))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        fit_dialog(self, QSize(760, 680))


def policy_dialog(parent: QWidget | None) -> HelpDialog:
    return HelpDialog(parent, "The policy", text=policy_text())


def guide_dialog(parent: QWidget | None) -> HelpDialog:
    return HelpDialog(parent, "Short guide", html=GUIDE_HTML)
