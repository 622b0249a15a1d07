"""fsspec's own abstract test suite (copy, get, put, pipe, open) against ``sj://`` on the local network.

The fixtures are derived as s3fs derives them: each test gets a fresh bucket as its top-level folder, and,
as on S3, a folder exists only while an object lies below it (no empty directories).
"""

from __future__ import annotations

import uuid
from typing import Iterator

import fsspec.tests.abstract as abstract
import pytest

from uplink_python import Project
from uplink_python.fs import StorjFileSystem


class StorjFixtures(abstract.AbstractFixtures):
    @pytest.fixture
    def fs(self, project: Project) -> Iterator[StorjFileSystem]:
        filesystem = StorjFileSystem(project=project)
        yield filesystem
        filesystem.close()

    @pytest.fixture
    def fs_path(self, project: Project) -> str:
        bucket = f"abstract-{uuid.uuid4().hex[:12]}"
        project.create_bucket(bucket)
        return bucket

    @pytest.fixture
    def supports_empty_directories(self) -> bool:
        return False


class TestStorjCopy(abstract.AbstractCopyTests, StorjFixtures):
    pass


class TestStorjGet(abstract.AbstractGetTests, StorjFixtures):
    pass


class TestStorjPut(abstract.AbstractPutTests, StorjFixtures):
    pass


class TestStorjPipe(abstract.AbstractPipeTests, StorjFixtures):
    pass


class TestStorjOpen(abstract.AbstractOpenTests, StorjFixtures):
    pass
