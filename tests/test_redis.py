"""The index with its LSH tables in a real redis-server on 127.0.0.1 (no mocks)."""

import shutil
import socket
import subprocess
import time

import pytest

from dupdetect import Index
from dupdetect.records import Document

pytestmark = pytest.mark.redis

BODY = (
    "The Riverton council voted seven to two on Thursday to turn the disused rail yard beside "
    "the river into a public park, at an estimated cost of 14 million dollars. " * 2
)


@pytest.fixture
def redis_url(tmp_path):
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("redis-server is not installed (Debian package: redis-server)")
    pytest.importorskip("redis")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.time() + 20
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(timeout=20)


def test_two_handles_share_one_index_through_redis(tmp_path, redis_url):
    path = tmp_path / "shared.ddx"
    with Index(path, redis=redis_url) as writer, Index(path, redis=redis_url) as reader:
        writer.add([Document("orig", BODY)])
        reader_matches = reader.query(Document("q", BODY + " More at eleven."))
        assert [(m.b, m.kind) for m in reader_matches] == [("orig", "near-verbatim")]
        writer.add(
            [Document("second", "Something else entirely about trains and timetables. " * 4)]
        )
        # The reader's LSH tables live in Redis: it sees the writer's new document at once.
        assert [
            m.b
            for m in reader.query(
                Document("q2", "Something else entirely about trains and timetables. " * 4)
            )
        ] == ["second"]


def test_keys_in_redis_are_plain_ids_not_pickles(tmp_path, redis_url):
    import redis

    with Index(tmp_path / "r.ddx", redis=redis_url) as idx:
        idx.add([Document("doc-1", BODY)])
        idx.query(Document("q", BODY))
    client = redis.Redis.from_url(redis_url)
    values = b"".join(
        b"".join(client.lrange(k, 0, -1)) if client.type(k) == b"list"
        else b"".join(client.smembers(k)) if client.type(k) == b"set" else b""
        for k in client.keys("*")
    )  # fmt: skip
    assert b"doc-1" in values and b"\x80\x04" not in values
