"""Multipart uploads: one object uploaded as numbered parts, in any order and in parallel, then committed.

``Project.begin_upload`` starts one and gives its upload ID; ``Project.upload_part`` returns a
``PartUpload`` per part (a context manager like ``Upload``); ``Project.commit_upload`` makes the object
visible, ``Project.abort_upload`` drops it.
"""

from __future__ import annotations

from typing import Any, Optional, Union

from ._c import convert as _convert
from ._c.native import lib
from ._c.results import check, consume
from .module_classes import Part
from .upload import Writer


class PartUpload(Writer, kind="PartUpload", handle_field="part_upload",
                 free=lambda library: library.uplink_free_part_upload_result,
                 write=lambda library: library.uplink_part_upload_write,
                 commit=lambda library: library.uplink_part_upload_commit,
                 abort=lambda library: library.uplink_part_upload_abort):
    """The upload of one part. Nothing counts until ``commit()``.

    Used in a ``with`` block it commits when the block ends normally and aborts on an exception.
    Dropped or closed without commit, it is aborted.
    """

    def write(self, data: Any, size: Optional[int] = None) -> int:
        """Uploads the first ``size`` bytes of ``data`` (all of it by default): any bytes-like object,
        passed to C by address without copying. Returns the number of bytes written."""
        return self._write(data, size, "data", "size")

    def set_etag(self, etag: Union[str, bytes]) -> None:
        """Stores an ETag with the part (any text or bytes without NUL), before ``commit()``."""
        raw = etag.encode("utf-8") if isinstance(etag, str) else etag
        if not isinstance(raw, bytes) or b"\0" in raw:
            raise ValueError("etag must be str or bytes without NUL characters")
        with self._call() as handle:
            self._refuse_when_done("set_etag")
            check(lib().uplink_part_upload_set_etag(handle, raw))

    def info(self) -> Part:
        """The part as uploaded so far (number, size, ETag)."""
        with self._call() as handle:
            return consume(lib().uplink_part_upload_info(handle), lib().uplink_free_part_result,
                           lambda r: _convert.part_from_c(r.part.contents))


__all__ = ["PartUpload"]
