"""Showing what blocks a step (red) and what only warns (amber), the same way everywhere."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QLabel

from qzdesk.services.admission.requirements import Finding

BLOCK_COLOUR, WARN_COLOUR, OK_COLOUR = "#b3261e", "#8a5a00", "#1b5e20"


def findings_html(findings: list[Finding], ok_text: str = "符合规定，可以办理。") -> str:
    if not findings:
        return f"<span style='color:{OK_COLOUR}'>✔ {escape(ok_text)}</span>"
    lines = [
        f"<span style='color:{BLOCK_COLOUR if f.blocking else WARN_COLOUR}'>"
        f"{'✖' if f.blocking else '⚠'} {escape(f.text)}</span>"
        for f in findings
    ]
    return "<br>".join(lines)


def findings_label(object_name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(object_name)
    label.setWordWrap(True)
    label.setTextFormat(label.textFormat().RichText)
    return label
