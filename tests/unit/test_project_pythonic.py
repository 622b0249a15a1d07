"""The Project methods of the pythonic layer: typed, and thin calls into fileobj, listing and transfer."""

from __future__ import annotations

import inspect
import typing

import pytest

from uplink_python.module_classes import ListObjectsOptions, UploadOptions
from uplink_python.project import Project

from .fake_library import c_object
from .helpers import open_project

METHODS = ["open", "iter_objects", "iter_buckets", "upload_file", "download_file"]


@pytest.mark.parametrize("name", METHODS)
def test_methods_are_fully_typed(name: str) -> None:
    method = getattr(Project, name)
    hints = typing.get_type_hints(method)
    parameters = [p for p in inspect.signature(method).parameters if p != "self"]
    assert "return" in hints and all(p in hints for p in parameters), (name, hints)


def test_open_upload_file_and_download_file_delegate(fake, mocker) -> None:
    with open_project(fake) as project:
        opened = mocker.patch("uplink_python.fileobj.open_object", return_value="file")
        assert project.open("b", "k", "wb", upload_options=UploadOptions(expires=5), custom_metadata={"a": "1"}) == "file"
        assert opened.call_args.args == (project, "b", "k", "wb")
        assert opened.call_args.kwargs["custom_metadata"] == {"a": "1"}
        assert opened.call_args.kwargs["upload_options"] == UploadOptions(expires=5)
        up = mocker.patch("uplink_python.transfer.upload_file", return_value="object")
        assert project.upload_file("path", "b", "k", part_size=8 << 20, parallelism=2) == "object"
        assert up.call_args.args == (project, "path", "b", "k")
        assert up.call_args.kwargs["part_size"] == 8 << 20 and up.call_args.kwargs["parallelism"] == 2
        down = mocker.patch("uplink_python.transfer.download_file", return_value="object")
        progress = print
        assert project.download_file("b", "k", "target", progress=progress) == "object"
        assert down.call_args.args == (project, "b", "k", "target")
        assert down.call_args.kwargs["progress"] is progress


def test_iter_objects_is_lazy_over_the_c_iterator(fake) -> None:
    with open_project(fake) as project:
        fake.listing("object", [c_object(b"a"), c_object(b"b")])
        objects = project.iter_objects("bucket", ListObjectsOptions(recursive=True))
        assert next(objects).key == "a" and fake.uplink_object_iterator_next.call_count == 1
        assert [o.key for o in objects] == ["b"]
        fake.listing("bucket", [])
        assert list(project.iter_buckets()) == []
    fake.uplink_free_object_iterator.assert_called_once()
    fake.uplink_free_bucket_iterator.assert_called_once()
