"""What a document of the archive is: its key, its title and the function that builds it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from reportlab.platypus import Flowable

Builder = Callable[..., list[Flowable]]


@dataclass(frozen=True)
class DocumentSpec:
    key: str
    title: str
    build: Builder  # (snapshot, **options) -> flowables
