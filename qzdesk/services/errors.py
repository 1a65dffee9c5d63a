"""Expected failures, each carrying a message for the secretary in Chinese."""

from __future__ import annotations


class QzdeskError(Exception):
    """A failure the user can act on; `str(error)` is the Chinese message."""

    exit_code = 2


class ValidationError(QzdeskError):
    """Input that breaks a rule; `field` names the form field it belongs to, if any."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class NotFound(QzdeskError):
    pass


class DataDirBusy(QzdeskError):
    """Another qzdesk process holds the data directory."""


class SchemaError(QzdeskError):
    """The database cannot be opened by this version of qzdesk."""


class RuleProfileError(QzdeskError):
    """A rule profile file is broken; never replaced by silent defaults."""


class NotInitialised(QzdeskError):
    """The data directory has no organisation yet (the first-run wizard has not run)."""


class DataFileMissing(QzdeskError):
    """A data directory in use whose database file is gone: never replaced by an empty one."""
