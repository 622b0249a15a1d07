"""Typical user code, type-checked with ``mypy --strict`` by the test command (never run).

It fails to check when the package stops exporting its names explicitly, when ``Project.open`` returns one
union for every mode, or when ``Any`` leaks into the public signatures these lines use.
"""

from __future__ import annotations

from uplink_python import (
    Access, Download, ListObjectsOptions, Object, ObjectNotFoundError, Project, StorjException, Upload, Uplink,
)
from uplink_python.fs import StorjFileSystem
from uplink_python.module_classes import CustomMetadata, DownloadOptions


def roundtrip(satellite: str, api_key: str, passphrase: str) -> bytes:
    access: Access = Uplink().request_access_with_passphrase(satellite, api_key, passphrase)
    serialized: str = access.serialize()
    with access.open_project() as project:
        assert isinstance(project, Project)
        project.ensure_bucket("photos")
        upload: Upload = project.upload_object("photos", "cat.jpg")
        written: int = upload.write(b"meow")
        upload.set_custom_metadata(CustomMetadata.from_mapping({"owner": "ann"}))
        upload.commit()
        with project.open("photos", "notes.txt", "w") as text_out:
            text_out.write("hello")
        with project.open("photos", "notes.txt", "r") as text_in:
            line: str = text_in.read()
        with project.open("photos", "cat.jpg", "wb") as binary_out:
            binary_out.write(b"meow")
        with project.open("photos", "cat.jpg", "rb") as binary_in:
            data: bytes = binary_in.read()
            size: int = binary_in.size
        download: Download = project.download_object("photos", "cat.jpg", DownloadOptions(0, 2))
        with download:
            head: bytes = download.read(2)[0]
        objects: list[Object] = project.list_objects("photos", ListObjectsOptions(recursive=True, system=True))
        keys = [obj.key for obj in project.iter_objects("photos")]
        try:
            project.stat_object("photos", "missing")
        except ObjectNotFoundError as error:
            details: str = error.details
        except StorjException:
            raise
    fs = StorjFileSystem(serialized)
    listed = fs.ls("photos", detail=False)
    return data + head + bytes(written + size + len(objects) + len(keys) + len(line) + len(listed))
