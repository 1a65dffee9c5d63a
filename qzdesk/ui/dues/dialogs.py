"""The 团费 page's forms about one member."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QWidget

from qzdesk.ui.context import AppContext
from qzdesk.ui.write_dialog import WriteDialog


class MemberDialog(WriteDialog):
    """A form about one member, chosen from a list that can be typed in to find them."""

    def __init__(
        self, context: AppContext, members: list[tuple[int, str]], title: str, parent: QWidget
    ) -> None:
        super().__init__(context, title, parent)
        self.member = QComboBox()
        self.member.setObjectName("dues_member")
        self.member.setEditable(True)  # type a name to find it
        for member_id, label in members:
            self.member.addItem(label, member_id)
        self.form.addRow("团员：", self.member)
