import contextlib
import threading

import pytest

from uplink_python._c import structs as d
from uplink_python.errors import ClosedError

from .fake_library import c_object
from .helpers import open_project


def test_close_waits_for_a_call_in_flight_on_another_thread(fake):
    project = open_project(fake)
    entered, release = threading.Event(), threading.Event()
    events = []

    def slow_stat(handle, name):
        entered.set()
        release.wait(10)
        events.append("stat finished")
        return fake.result(d._UplinkBucketResult, bucket=fake.pointer(d._UplinkBucket(name=b"b", created=1)))
    fake.uplink_stat_bucket.side_effect = slow_stat
    fake.uplink_close_project.side_effect = lambda handle: events.append("project closed")

    caller = threading.Thread(target=project.stat_bucket, args=("b",))
    caller.start()
    assert entered.wait(10)
    closer = threading.Thread(target=project.close)
    closer.start()
    closer.join(0.2)
    assert closer.is_alive() and events == []  # the handle is not freed under a running call
    with pytest.raises(ClosedError):  # closing refuses new calls while it waits
        project.stat_bucket("b")
    release.set()
    caller.join(10)
    closer.join(10)
    assert events == ["stat finished", "project closed"]


def test_many_threads_share_one_project(fake):
    fake.uplink_stat_bucket.side_effect = lambda handle, name: fake.result(
        d._UplinkBucketResult, bucket=fake.pointer(d._UplinkBucket(name=name, created=1)))
    with open_project(fake) as project:
        names = [f"bucket-{i}" for i in range(64)]
        results = {}
        threads = [threading.Thread(target=lambda n=n: results.__setitem__(n, project.stat_bucket(n).name))
                   for n in names]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(10)
        assert results == {n: n for n in names}
    assert fake.uplink_free_bucket_result.call_count == 64


def _bucket_answer(fake):
    return lambda handle, name: fake.result(d._UplinkBucketResult,
                                            bucket=fake.pointer(d._UplinkBucket(name=name, created=1)))


def test_calls_on_one_project_run_at_once(fake):
    """A project's calls are not serialized: each of these waits inside "C" until the other is there too,
    which two calls taking turns never reach (the barrier breaks, the call raises)."""
    together = threading.Barrier(2, timeout=10)
    answer = _bucket_answer(fake)

    def stat_bucket(handle, name):
        together.wait()
        return answer(handle, name)
    fake.uplink_stat_bucket.side_effect = stat_bucket
    with open_project(fake) as project:
        results, failures = [], []

        def call(name):
            try:
                results.append(project.stat_bucket(name).name)
            except BaseException as failure:  # noqa: BLE001 - reported by the assert below
                failures.append(failure)
        threads = [threading.Thread(target=call, args=(name,)) for name in ("a", "b")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(20)
        assert failures == [] and sorted(results) == ["a", "b"]


def test_close_waits_for_every_call_in_flight_on_a_project(fake):
    project = open_project(fake)
    calls = [lambda name=name: project.stat_bucket(name) for name in ("a", "b", "c")]
    _close_waits_for(fake, project, "uplink_stat_bucket", _bucket_answer(fake), "uplink_close_project", calls)


def _close_waits_for(fake, owner, function, answer, close_function, calls):
    """Runs ``calls`` in threads, held inside "C" ``function``, closes ``owner`` meanwhile: the C close comes
    only once no call is inside."""
    state, entered, release = _hold_in_c(fake, function, answer)
    events = []
    getattr(fake, close_function).side_effect = lambda handle: events.append(("closed", state["inside"]))
    callers = [threading.Thread(target=call) for call in calls]
    for caller in callers:
        caller.start()
    assert entered.wait(10)
    closer = threading.Thread(target=owner.close)
    closer.start()
    closer.join(0.2)
    assert closer.is_alive() and events == []
    release.set()
    for caller in callers:
        caller.join(10)
    closer.join(10)
    assert events == [("closed", 0)]


def _hold_in_c(fake, function: str, answer):
    """Makes ``function`` stay inside "C" until released, recording how many threads are in it at once."""
    state = {"inside": 0, "most": 0}
    entered, release, lock = threading.Event(), threading.Event(), threading.Lock()

    def held(*args):
        with lock:
            state["inside"] += 1
            state["most"] = max(state["most"], state["inside"])
        entered.set()
        release.wait(10)
        with lock:
            state["inside"] -= 1
        return answer(*args)
    getattr(fake, function).side_effect = held
    return state, entered, release


def _download(fake, project):
    fake.uplink_download_object.return_value = fake.result(
        d._UplinkDownloadResult, download=fake.handle(d._UplinkDownload))
    return project.download_object("bucket", "key")


def _upload(fake, project):
    fake.uplink_upload_object.return_value = fake.result(d._UplinkUploadResult, upload=fake.handle(d._UplinkUpload))
    return project.upload_object("bucket", "key")


# handle kind -> (how to open it, the C function one call enters, its answer, the call made from two threads)
SERIALIZED = {
    "Download.readinto": (_download, "uplink_download_read",
                          lambda f: lambda h, a, n: f.result(d._UplinkReadResult, bytes_read=n),
                          lambda obj: obj.readinto(bytearray(4))),
    "Download.read": (_download, "uplink_download_read",
                      lambda f: lambda h, a, n: f.result(d._UplinkReadResult, bytes_read=n),
                      lambda obj: obj.read(4)),
    "Upload.write": (_upload, "uplink_upload_write",
                     lambda f: lambda h, a, n: f.result(d._UplinkWriteResult, bytes_written=n),
                     lambda obj: obj.write(b"data")),
}


@pytest.mark.parametrize("kind", SERIALIZED)
def test_two_threads_never_call_c_at_once_on_one_handle(fake, kind):
    """Defect 1: upstream libuplinkc kills the process when two threads read one download at once."""
    opener, function, answer, call = SERIALIZED[kind]
    if kind.startswith("Download.read"):
        fake.uplink_download_info.side_effect = lambda h: fake.result(
            d._UplinkObjectResult, object=fake.pointer(c_object(b"key", content_length=1 << 20)))
    with open_project(fake) as project, contextlib.closing(opener(fake, project)) as obj:
        state, entered, release = _hold_in_c(fake, function, answer(fake))
        first = threading.Thread(target=call, args=(obj,))
        first.start()
        assert entered.wait(10)
        second = threading.Thread(target=call, args=(obj,))
        second.start()
        second.join(0.3)
        calls_while_first_inside = getattr(fake, function).call_count
        release.set()
        first.join(10)
        second.join(10)
        assert calls_while_first_inside == 1, "a second thread entered C on the same handle"
        assert state["most"] == 1 and getattr(fake, function).call_count == 2


def test_closing_a_download_waits_for_a_read_in_flight(fake):
    with open_project(fake) as project:
        download = _download(fake, project)
        _close_waits_for(fake, download, "uplink_download_read",
                         lambda h, a, n: fake.result(d._UplinkReadResult, bytes_read=n), "uplink_close_download",
                         [lambda: download.readinto(bytearray(4))])
        with pytest.raises(ClosedError):
            download.readinto(bytearray(4))
