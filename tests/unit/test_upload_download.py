"""Upload and Download (uplink_python.upload, uplink_python.download) with the fake library: zero-copy writes
and reads, commit/abort, ranges, file objects and their errors."""

import ctypes
import io

import pytest

from uplink_python import download as download_module
from uplink_python._c import structs as d
from uplink_python.errors import (
    ClosedError, InternalError, InvalidCustomMetadataError, StorjException, UploadDoneError,
)
from uplink_python.module_classes import CustomMetadata, CustomMetadataEntry, DownloadOptions, UploadOptions

from .fake_library import c_object
from .helpers import open_project


@pytest.fixture
def upload(fake):
    with open_project(fake) as project:
        fake.uplink_upload_object.return_value = fake.result(d._UplinkUploadResult, upload=fake.handle(d._UplinkUpload))
        with project.upload_object("bucket", "key", UploadOptions(expires=1999999999)) as upload:
            yield upload


def accept(fake, received: bytearray, at_most: int):
    """uplink_upload_write that copies from the address it is given, taking at most ``at_most`` per call."""
    def write(handle, address, length):
        count = min(length, at_most)
        received.extend(ctypes.string_at(address, count))
        return fake.result(d._UplinkWriteResult, bytes_written=count)
    fake.uplink_upload_write.side_effect = write


def test_upload_options_are_marshaled(fake, upload):
    assert fake.uplink_upload_object.call_args.args[1:3] == (b"bucket", b"key")
    assert fake.uplink_upload_object.call_args.args[3].expires == 1999999999


@pytest.mark.parametrize("data", [b"0123456789" * 10, bytearray(b"x" * 100), memoryview(b"__" + b"y" * 100)[2:]])
def test_write_hands_c_the_buffer_and_continues_short_writes(fake, upload, data):
    received = bytearray()
    accept(fake, received, at_most=33)
    assert upload.write(data, 100) == 100
    assert received == bytes(data)
    assert fake.uplink_upload_write.call_count == 4  # 33 + 33 + 33 + 1
    assert fake.uplink_free_write_result.call_count == 0  # a result without an error holds nothing to free


def test_write_defaults_to_the_whole_buffer_and_honours_size_to_write(fake, upload):
    received = bytearray()
    accept(fake, received, at_most=1 << 30)
    assert upload.write(b"some data") == 9
    assert upload.write(bytes("some data", "utf-8"), 4) == 4
    assert received == b"some datasome"


@pytest.mark.parametrize("data,size,error,words", [
    (b"abc", 4, ValueError, "size_to_write is 4 but data_to_write holds only 3 bytes"),
    (b"abc", -1, ValueError, "size_to_write must be >= 0"),
    ("text", None, TypeError, "data_to_write must be a bytes-like object, not str"),
    (None, None, TypeError, "data_to_write must be"),
    (b"abc", "3", TypeError, "size_to_write must be int"),
])
def test_bad_writes_are_refused_before_c(fake, upload, data, size, error, words):
    with pytest.raises(error, match=words):
        upload.write(data, size)
    fake.uplink_upload_write.assert_not_called()


def test_write_error_is_raised_after_freeing(fake, upload):
    fake.uplink_upload_write.return_value = fake.result(d._UplinkWriteResult, bytes_written=0,
                                                        error=fake.error(0x07, b"storage limit"))
    with pytest.raises(Exception, match="storage limit") as caught:
        upload.write(b"abc")
    assert caught.value.code == 0x07
    fake.uplink_free_write_result.assert_called_once()


def test_write_without_progress_or_error_raises_instead_of_spinning(fake, upload):
    fake.uplink_upload_write.return_value = fake.result(d._UplinkWriteResult, bytes_written=0)
    with pytest.raises(InternalError, match="accepted no bytes"):
        upload.write(b"abc")


def test_write_file_streams_in_fixed_chunks(fake, upload):
    received = bytearray()
    accept(fake, received, at_most=1 << 30)
    source = io.BytesIO(bytes(range(256)) * 40)  # 10240 bytes
    assert upload.write_file(source, buffer_size=4096) == 10240
    assert received == source.getvalue()
    assert [c.args[2] for c in fake.uplink_upload_write.call_args_list] == [4096, 4096, 2048]
    with pytest.raises(TypeError, match="binary mode"):
        upload.write_file(io.StringIO("text"))


def test_custom_metadata_reaches_c_with_exact_bytes(fake, upload):
    seen = {}

    def set_metadata(handle, metadata):
        for i in range(metadata.count):
            e = metadata.entries[i]
            seen[ctypes.string_at(e.key, e.key_length)] = ctypes.string_at(e.value, e.value_length)
    fake.uplink_upload_set_custom_metadata.side_effect = set_metadata
    upload.set_custom_metadata(CustomMetadata([
        CustomMetadataEntry(key="empty value", value=""),
        CustomMetadataEntry(key="naïve", value="ünï ✓ 世界"),
        CustomMetadataEntry(key=b"raw utf-8 \xc3\xa9", value=b"\x01\x7f"),
    ], 3))
    assert seen == {b"empty value": b"", "naïve".encode(): "ünï ✓ 世界".encode(),
                    b"raw utf-8 \xc3\xa9": b"\x01\x7f"}


@pytest.mark.parametrize("key,value,words", [
    ("", "", r"entries\[1\]: the key is empty"),  # the API reference's placeholder entry
    ("", "v", r"entries\[1\]: the key is empty"),
    ("nul\0key", "v", r"key 'nul\\x00key' contains a NUL"),
    ("k", "nul\0inside", r"key 'k': its value contains a NUL"),
    (b"raw\xff", "v", r"key b'raw\\xff' is not valid UTF-8"),
    ("k", b"\x00\xff", r"key 'k': its value is not valid UTF-8"),
    ("surrogate\udcff", "v", r"key 'surrogate\\udcff' is not valid UTF-8"),
    ("k", "surrogate\udcff", r"key 'k': its value is not valid UTF-8"),
])
def test_metadata_storj_refuses_is_refused_before_c_naming_the_key(fake, upload, key, value, words):
    """Defect 3: storj.io/uplink refuses these with a generic "invalid pairs" InternalError, after the call."""
    metadata = CustomMetadata([CustomMetadataEntry(key="fine", value="ok"), CustomMetadataEntry(key=key, value=value)])
    with pytest.raises(ValueError, match=words) as caught:
        upload.set_custom_metadata(metadata)
    assert isinstance(caught.value, InvalidCustomMetadataError)
    assert isinstance(caught.value, InternalError)  # what the library raised, so except clauses still match
    fake.uplink_upload_set_custom_metadata.assert_not_called()


def test_documented_placeholder_metadata_is_caught_by_the_documented_except(fake, upload):
    try:  # the API reference's set_custom_metadata example, as written
        custom_metadata = CustomMetadata([CustomMetadataEntry(key="", key_length=0, value="", value_length=0)], 1)
        upload.set_custom_metadata(custom_metadata)
    except StorjException as exception:
        assert "key is empty" in exception.details
    else:
        pytest.fail("an empty key must be refused")


def test_metadata_lengths_that_would_cut_data_are_refused():
    with pytest.raises(ValueError, match="key_length is 3 but key is 6 bytes"):
        CustomMetadataEntry(key="ünïc", key_length=3, value="")
    with pytest.raises(ValueError, match="count is 2 but there are 1 entries"):
        CustomMetadata([CustomMetadataEntry(key="a", value="b")], 2)


def test_commit_twice_raises_upload_done(fake, upload):
    upload.commit()
    fake.uplink_upload_commit.return_value = fake.error(0x22, b"already committed")
    with pytest.raises(UploadDoneError):
        upload.commit()


def test_upload_context_manager_commits_on_success_and_aborts_on_error(fake):
    with open_project(fake) as project:
        fake.uplink_upload_object.return_value = fake.result(d._UplinkUploadResult, upload=fake.handle(d._UplinkUpload))
        with project.upload_object("bucket", "ok") as upload:
            pass
        fake.uplink_upload_commit.assert_called_once()
        assert upload.closed
        fake.uplink_upload_object.return_value = fake.result(d._UplinkUploadResult, upload=fake.handle(d._UplinkUpload))
        with pytest.raises(RuntimeError):
            with project.upload_object("bucket", "bad"):
                raise RuntimeError("user code failed")
        fake.uplink_upload_abort.assert_called_once()
        fake.uplink_upload_commit.assert_called_once()


def test_upload_info_converts_object(fake, upload):
    fake.uplink_upload_info.return_value = fake.result(
        d._UplinkObjectResult, object=fake.pointer(c_object(b"key", content_length=9)))
    info = upload.info()
    assert (info.key, info.system.content_length) == ("key", 9)


def object_size(fake, content_length: int):
    """uplink_download_info answering an object of ``content_length`` bytes (a fresh result per call)."""
    fake.uplink_download_info.side_effect = lambda handle: fake.result(
        d._UplinkObjectResult, object=fake.pointer(c_object(b"key", content_length=content_length)))


@pytest.fixture
def download(fake):
    """A download of bytes 10 to 30 of a 1000-byte object; ``serve`` sets what it delivers."""
    object_size(fake, 1000)
    with open_project(fake) as project:
        fake.uplink_download_object.return_value = fake.result(
            d._UplinkDownloadResult, download=fake.handle(d._UplinkDownload))
        with project.download_object("bucket", "key", DownloadOptions(offset=10, length=20)) as download:
            yield download


def serve(fake, data: bytes, chunk: int, empty_reads_first: int = 0, range_offset: int = 10):
    """uplink_download_read writing ``data`` into the given address; EOF comes with the last bytes.

    download_info then tells of an object that ends with ``data`` after ``range_offset`` other bytes.
    """
    state = {"pos": 0, "empty": empty_reads_first}
    object_size(fake, range_offset + len(data))

    def read(handle, address, length):
        if state["empty"]:  # a reader may return nothing without EOF
            state["empty"] -= 1
            return fake.result(d._UplinkReadResult, bytes_read=0)
        count = min(length, chunk, len(data) - state["pos"])
        ctypes.memmove(address, data[state["pos"]:state["pos"] + count], count)
        state["pos"] += count
        eof = fake.error(-1, None) if state["pos"] == len(data) else None
        return fake.result(d._UplinkReadResult, bytes_read=count, error=eof)
    fake.uplink_download_read.side_effect = read


def test_download_options_are_marshaled(fake, download):
    options = fake.uplink_download_object.call_args.args[3]
    assert (options.offset, options.length) == (10, 20)


def test_suffix_with_length_is_refused(fake):
    with open_project(fake) as project:
        with pytest.raises(ValueError, match="negative offset"):
            project.download_object("b", "k", DownloadOptions(offset=-5, length=5))
        fake.uplink_download_object.assert_not_called()


def test_readinto_fills_the_callers_buffer_and_eof_ends_the_stream(fake, download):
    serve(fake, b"hello world", chunk=3)
    buffer = bytearray(8)
    assert download.readinto(buffer) == 8 and buffer == b"hello wo"  # three library reads: 3 + 3 + 2
    assert download.readinto(memoryview(buffer)[2:]) == 3 and buffer[2:5] == b"rld"  # up to EOF
    assert download.readinto(buffer) == 0  # EOF: no exception, and C is not asked again
    assert fake.uplink_download_read.call_count == 4
    assert fake.uplink_free_read_result.call_count == 1  # the one result with an error (EOF) to free
    with pytest.raises(TypeError, match="buffer must be a writable"):
        download.readinto(b"read-only")


def test_read_returns_data_and_count(fake, download):
    serve(fake, b"abc", chunk=100)
    assert download.read(100) == (b"abc", 3)
    assert download.read(100) == (b"", 0)
    with pytest.raises(ValueError, match="size_to_read must be >= 0"):
        download.read(-1)


def test_read_file_streams_everything_even_after_empty_reads(fake, download):
    data = bytes(range(256)) * 100
    serve(fake, data, chunk=3000, empty_reads_first=2)
    target = io.BytesIO()
    assert download.read_file(target, buffer_size=4096) == len(data)
    assert target.getvalue() == data


def test_read_error_is_raised(fake, download):
    fake.uplink_download_read.return_value = fake.result(d._UplinkReadResult, bytes_read=0,
                                                         error=fake.error(0x02, b"piece lost"))
    with pytest.raises(InternalError, match="piece lost"):
        download.read(10)


def test_download_info_file_size_and_close(fake, download):
    object_size(fake, 1234)
    assert download.file_size() == 1234
    download.close()
    download.close()
    fake.uplink_close_download.assert_called_once()
    with pytest.raises(ClosedError, match="Download is closed"):
        download.read(1)


def test_write_file_refuses_a_non_blocking_stream_instead_of_truncating(fake, upload):
    class NotReady(io.RawIOBase):
        def readable(self):
            return True

        def readinto(self, buffer):
            return None  # what a non-blocking raw stream returns when no data is ready
    with pytest.raises(OSError, match="non-blocking"):
        upload.write_file(NotReady())
    fake.uplink_upload_write.assert_not_called()


def test_write_file_refuses_a_non_blocking_read_only_source_too(fake, upload):
    class NotReady:
        def read(self, size):
            return None  # a non-blocking stream without readinto, nothing ready
    with pytest.raises(OSError, match="non-blocking"):
        upload.write_file(NotReady())
    fake.uplink_upload_write.assert_not_called()


@pytest.mark.parametrize("finish", ["commit", "abort"])
def test_write_after_commit_or_abort_raises_upload_done(fake, upload, finish):
    """Defect 5: the library answers a late write with a generic internal error; write() says UploadDoneError."""
    getattr(upload, finish)()
    fake.uplink_upload_write.side_effect = lambda handle, address, length: fake.result(  # what upstream answers
        d._UplinkWriteResult, bytes_written=0, error=fake.error(0x02, b"upload already done"))
    with pytest.raises(UploadDoneError, match="write"):
        upload.write(b"late")
    fake.uplink_upload_write.assert_not_called()


def test_read_never_allocates_more_than_the_download_can_still_deliver(fake, download):
    """Defect 2: read(n) allocated and zeroed n bytes per call; read(1 TiB) raised MemoryError."""
    data = bytes(range(256)) * 4 + b"end"  # the download is bytes 10 to 30 of the object: 20 bytes
    serve(fake, data, chunk=7)
    assert download.read(1 << 40) == (data[:20], 20)  # all of the range, from three library reads
    assert max(c.args[2] for c in fake.uplink_download_read.call_args_list) <= 20
    fake.uplink_download_info.assert_called_once()  # the size is asked for once, not per read


def test_read_fills_its_buffer_with_as_many_library_reads_as_it_takes(fake):
    data = bytes(range(256)) * 1000
    with open_project(fake) as project:
        fake.uplink_download_object.return_value = fake.result(
            d._UplinkDownloadResult, download=fake.handle(d._UplinkDownload))
        with project.download_object("bucket", "key") as download:
            serve(fake, data, chunk=4096, range_offset=0)
            first, count = download.read(100_000)
            assert (first, count) == (data[:100_000], 100_000) and type(first) is bytes
            assert [c.args[2] for c in fake.uplink_download_read.call_args_list][:2] == [100_000, 100_000 - 4096]
            rest = download.read(1 << 40)  # the rest, in a buffer of exactly the rest's size
            assert rest == (data[100_000:], len(data) - 100_000)
            assert fake.uplink_download_read.call_args_list[-1].args[2] <= 4096
            assert download.read(1 << 40) == (b"", 0)


@pytest.mark.parametrize("size,offset,length,expected", [
    (100, 0, -1, 100), (100, 10, 20, 20), (100, 90, 20, 10), (100, 200, -1, 0), (100, -30, -1, 30),
    (100, -300, -1, 100), (0, 0, -1, 0), (100, 0, 0, 0),
])
def test_range_length_follows_uplink_stream_ranges(size, offset, length, expected):
    assert download_module.range_length(size, offset, length) == expected


def test_a_suffix_range_caps_read_at_the_suffix(fake):
    with open_project(fake) as project:
        fake.uplink_download_object.return_value = fake.result(
            d._UplinkDownloadResult, download=fake.handle(d._UplinkDownload))
        with project.download_object("bucket", "key", DownloadOptions(offset=-5, length=-1)) as download:
            serve(fake, b"12345", chunk=2, range_offset=95)
            assert download.read(1 << 40) == (b"12345", 5)
            assert fake.uplink_download_read.call_args_list[0].args[2] == 5


def test_read_keeps_reading_when_the_object_outgrows_what_info_said(fake, download):
    """download_info is a hint for the allocation, never a reason to stop before the library's EOF."""
    serve(fake, b"abcdefgh", chunk=100)
    object_size(fake, 10 + 3)  # info undercounts: 3 bytes, but 8 come
    assert download.read(100) == (b"abc", 3)
    assert download.read(100) == (b"defgh", 5)
    assert download.read(100) == (b"", 0)


def test_error_after_some_bytes_returns_them_and_raises_on_the_next_read(fake, download):
    served = {"calls": 0}

    def read(handle, address, length):
        served["calls"] += 1
        if served["calls"] == 1:
            ctypes.memmove(address, b"abc", 3)
            return fake.result(d._UplinkReadResult, bytes_read=3)
        return fake.result(d._UplinkReadResult, bytes_read=0, error=fake.error(0x02, b"piece lost"))
    fake.uplink_download_read.side_effect = read
    assert download.read(10) == (b"abc", 3)
    with pytest.raises(InternalError, match="piece lost"):
        download.read(10)
