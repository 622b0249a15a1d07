"""uplink_python.testnet.Network's control calls, against a stand-in control endpoint on 127.0.0.1.

What goes over the wire matters: new_project sends only the limits given, so a network that does not know
a newer field (its endpoint refuses unknown fields) still creates projects with the others.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Iterator

import pytest

from uplink_python.testnet import Network, NetworkError


class Endpoint:
    """Records each request (method, path, JSON body) and answers with the queued (status, body)."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str, Any]] = []
        self.answers: list[tuple[int, dict[str, Any]]] = []


@pytest.fixture
def endpoint() -> Iterator[tuple[Endpoint, str]]:
    recorded = Endpoint()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            recorded.requests.append((self.command, self.path, json.loads(raw) if raw else None))
            status, body = recorded.answers.pop(0) if recorded.answers else (200, {"ok": True})
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield recorded, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def network(endpoint: tuple[Endpoint, str], tmp_path: Path) -> Network:
    """A Network attached (from_config) to the stand-in endpoint through a JSON file like the real one's."""
    config = {"data_dir": str(tmp_path), "nodes": [{"id": "n", "address": "127.0.0.1:1"}] * 3,
              "passphrase": "pass", "control_url": endpoint[1], "satellite_url": "id@127.0.0.1:2",
              "api_key": "key", "access_grant": "grant"}
    (tmp_path / "testnet.json").write_text(json.dumps(config))
    return Network.from_config(tmp_path / "testnet.json")


PROJECT = {"api_key": "the-key", "access_grant": "the-grant"}


def test_new_project_sends_only_the_limits_given(network: Network, endpoint: tuple[Endpoint, str]) -> None:
    recorded = endpoint[0]
    recorded.answers += [(200, PROJECT), (200, PROJECT), (200, PROJECT)]
    assert network.new_project() == PROJECT
    assert network.new_project(storage_limit=1 << 20, bucket_limit=0) == PROJECT
    network.new_project(bandwidth_limit=5, segment_limit=6, rate_limit=7, burst_limit=8)
    assert recorded.requests == [
        ("POST", "/projects", {}),
        ("POST", "/projects", {"storage_limit": 1 << 20, "bucket_limit": 0}),
        ("POST", "/projects", {"bandwidth_limit": 5, "segment_limit": 6, "rate_limit": 7, "burst_limit": 8}),
    ]


@pytest.mark.parametrize("limits, error, message", [
    ({"storage_limit": -1}, ValueError, "storage_limit must not be negative, got -1"),
    ({"rate_limit": True}, TypeError, "rate_limit must be an int, not bool"),
    ({"bucket_limit": 1.5}, TypeError, "bucket_limit must be an int, not float"),
])
def test_new_project_refuses_bad_limits_before_sending(network: Network, endpoint: tuple[Endpoint, str],
                                                       limits: dict[str, Any], error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        network.new_project(**limits)
    assert endpoint[0].requests == []


def test_an_error_answer_raises_network_error_with_its_text(network: Network,
                                                            endpoint: tuple[Endpoint, str]) -> None:
    endpoint[0].answers.append((400, {"error": 'bad project request: json: unknown field "bucket_limit"'}))
    with pytest.raises(NetworkError, match=r'POST /projects: 400 bad project request: .*unknown field "bucket_limit"'):
        network.new_project(bucket_limit=3)


def test_fault_helpers_call_their_paths(network: Network, endpoint: tuple[Endpoint, str]) -> None:
    network.stop_node(2)
    network.start_node(2)
    network.stop_satellite()
    network.start_satellite()
    network.collect_garbage()
    assert [path for _, path, _ in endpoint[0].requests] == [
        "/nodes/2/stop", "/nodes/2/start", "/satellite/stop", "/satellite/start", "/gc"]
    with pytest.raises(TypeError, match="a node index is an int, not bool"):
        network.stop_node(True)


def test_an_endpoint_that_does_not_answer_raises_network_error(tmp_path: Path) -> None:
    config = {"data_dir": str(tmp_path), "nodes": [{}], "passphrase": "p", "control_url": "http://127.0.0.1:1"}
    (tmp_path / "testnet.json").write_text(json.dumps(config))
    with pytest.raises(NetworkError, match="does not answer"):
        Network.from_config(tmp_path / "testnet.json").collect_garbage()


def test_a_file_that_is_no_network_config_raises_network_error(tmp_path: Path) -> None:
    (tmp_path / "other.json").write_text('{"data_dir": "x"}')
    with pytest.raises(NetworkError, match="is not the JSON file of a running local network"):
        Network.from_config(tmp_path / "other.json")
