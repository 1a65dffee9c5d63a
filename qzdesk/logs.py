"""Rotating log files inside the data directory."""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path

LOG_FILE = "qzdesk.log"


def setup_logging(log_dir: Path, level: int = logging.INFO) -> Path:
    """Send all logging (qzdesk's and the libraries': pyHanko reports validation details
    as warnings) to logs/qzdesk.log (1 MB × 5 files), not the console; returns the file."""
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / LOG_FILE
    root = logging.getLogger()
    for handler in list(root.handlers):
        if isinstance(handler, RotatingFileHandler):
            root.removeHandler(handler)
            handler.close()
    handler = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=5, encoding="utf-8")
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s")
    )
    root.addHandler(handler)
    root.setLevel(logging.WARNING)
    logging.getLogger("qzdesk").setLevel(level)
    return path
