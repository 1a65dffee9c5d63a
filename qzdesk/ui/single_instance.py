"""A second start on the same data directory brings the running window to the front and
says nothing else (QLocalServer / QLocalSocket, a name derived from the directory)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

WAKE = b"show\n"


def server_name(root: Path) -> str:
    return "qzdesk-" + hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:20]


def wake_running(root: Path, timeout_ms: int = 500) -> bool:
    """Ask a qzdesk already open on `root` to show itself; False when none answers."""
    socket = QLocalSocket()
    socket.connectToServer(server_name(root))
    if not socket.waitForConnected(timeout_ms):
        return False
    socket.write(WAKE)
    socket.flush()
    socket.waitForBytesWritten(timeout_ms)
    socket.disconnectFromServer()
    return True


class WakeListener(QObject):
    """Listens while this process holds the directory; `asked` when another start knocks."""

    asked = Signal()

    def __init__(self, root: Path) -> None:
        super().__init__()
        name = server_name(root)
        # A name left by a crashed process: we hold the directory's lock, so it is stale.
        QLocalServer.removeServer(name)
        self.server = QLocalServer(self)
        self.server.newConnection.connect(self._knocked)
        self.listening = self.server.listen(name)

    def _knocked(self) -> None:
        while self.server.hasPendingConnections():
            connection = self.server.nextPendingConnection()
            connection.disconnected.connect(connection.deleteLater)
        self.asked.emit()

    def close(self) -> None:
        self.server.close()
