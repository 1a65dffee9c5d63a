"""Evidence files: recognised by content, limited in size, stored once by hash."""

from __future__ import annotations

import pytest

from qzdesk.services.attachments import add_attachment, stored_path
from qzdesk.services.errors import ValidationError
from tests.desks import desk_of

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_a_picture_is_stored_once_under_its_hash(store, tmp_path):
    first, second = tmp_path / "签到表.png", tmp_path / "copy.png"
    first.write_bytes(PNG)
    second.write_bytes(PNG)
    a = desk_of(store).write(add_attachment, first, max_mb=20).value
    b = desk_of(store).write(add_attachment, second, max_mb=20).value
    assert a == b and a.kind == "png" and a.file_name == "签到表.png"
    assert stored_path(store.paths, a.sha256, a.kind).read_bytes() == PNG


def test_wrong_type_and_too_large_are_refused_with_a_message(store, tmp_path):
    renamed = tmp_path / "志愿书.pdf"
    renamed.write_bytes(b"PK\x03\x04 a word file")
    with pytest.raises(ValidationError, match="不是 PDF、JPEG 或 PNG 文件"):
        desk_of(store).write(add_attachment, renamed, max_mb=20)
    big = tmp_path / "scan.pdf"
    big.write_bytes(b"%PDF-1.7\n" + b"0" * (1024 * 1024 + 1))
    with pytest.raises(ValidationError, match="超过 1 MB 的上限"):
        desk_of(store).write(add_attachment, big, max_mb=1)
    assert not store.paths.attachments.exists()
