import threading

from uplink_python import module_def as d

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
