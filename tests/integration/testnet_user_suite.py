"""A user's test file for the uplink_python.testnet pytest plugin (not collected here: its name is no test_*.py).

test_testnet_wheels.py copies it, as test_storj_user.py, into a folder outside the repository and runs it in
a fresh venv holding only the wheels of tools/build_wheels.sh (and pytest): once against the local network
the plugin starts, once with --storj-access pointed at another network, where the fault tests skip.
"""

import hashlib
import os

import pytest

from uplink_python import StorageLimitExceededError, StorjException, Uplink


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_upload_and_download(storj_project, storj_bucket):
    data = os.urandom(3 * 1024 * 1024 + 17)  # remote segments: pieces on the storage nodes
    with storj_project.upload_object(storj_bucket, "data.bin") as upload:
        upload.write(data)
    with storj_project.open(storj_bucket, "data.bin", "rb") as f:
        assert sha256(f.read()) == sha256(data)


def test_a_node_stopped_and_started(storj_network, storj_project, storj_bucket):
    data = os.urandom(1024 * 1024)
    storj_network.stop_node(0)
    try:
        with storj_project.upload_object(storj_bucket, "while-a-node-is-down") as upload:
            upload.write(data)
    finally:
        storj_network.start_node(0)
    with storj_project.open(storj_bucket, "while-a-node-is-down", "rb") as f:
        assert sha256(f.read()) == sha256(data)


def test_storage_limit_refuses_an_upload_past_it(storj_network):
    with Uplink().parse_access(storj_network.new_project(storage_limit=1024 * 1024)) as access:
        with access.open_project() as project:
            project.create_bucket("limited")
            # as in production, an upload is refused once usage has reached the limit (the one
            # that crosses it still succeeds): 1 MiB plus encryption overhead fills the project
            with project.upload_object("limited", "one-mib") as upload:
                upload.write(os.urandom(1024 * 1024))
            with pytest.raises(StorageLimitExceededError):
                with project.upload_object("limited", "two-mib") as upload:
                    upload.write(os.urandom(2 * 1024 * 1024))
            assert [obj.key for obj in project.list_objects("limited")] == ["one-mib"]


def test_a_project_with_a_bucket_limit_refuses_one_more(storj_network):
    with Uplink().parse_access(storj_network.new_project(bucket_limit=1, rate_limit=0)) as access:
        with access.open_project() as project:
            project.create_bucket("first")
            with pytest.raises(StorjException, match=r"number of allocated buckets \(\d+\) exceeded"):
                project.create_bucket("second")


def test_the_access_reaches_only_this_tests_bucket(storj_access, storj_bucket):
    with storj_access.open_project() as project:
        assert storj_bucket in [bucket.name for bucket in project.list_buckets()]
