"""Named points where the kill -9 tests end the process, as a power cut would: the test
sets QZDESK_CRASH_AT to a point's name and the next time the code reaches it the process
dies on the spot (no cleanup, no flush). Unset, a point costs one dictionary lookup."""

from __future__ import annotations

import os
import signal

CRASH_ENV = "QZDESK_CRASH_AT"


def reached(name: str) -> None:
    if os.environ.get(CRASH_ENV) == name:
        if hasattr(signal, "SIGKILL"):
            os.kill(os.getpid(), signal.SIGKILL)
        os._exit(137)
