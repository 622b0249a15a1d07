from __future__ import annotations

import gc
from typing import Iterator

import pytest

from uplink_python._c import native as _native

from .fake_library import FakeLibrary


@pytest.fixture
def unloaded(monkeypatch) -> None:
    """A process state where libuplinkc was never loaded."""
    monkeypatch.setattr(_native, "_library", None)
    monkeypatch.setattr(_native, "_library_path", None)
    monkeypatch.delenv(_native.LIBRARY_ENV, raising=False)


@pytest.fixture
def fake(mocker) -> Iterator[FakeLibrary]:
    """The fake library in place of libuplinkc; each test must leave nothing unfreed."""
    library = FakeLibrary()
    mocker.patch.object(_native, "_library", library)
    yield library
    gc.collect()  # objects a test dropped are freed by their finalizers
    assert library.live == {}, f"not freed: {sorted(library.live.values())}"
