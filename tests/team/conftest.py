from __future__ import annotations

import itertools

import pytest

from tests.team.redis_server import RedisServer

_namespaces = itertools.count()


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    """One real redis-server for the shared suite; each test gets its own key namespace."""
    server = RedisServer(tmp_path_factory.mktemp("redis")).start()
    yield server
    server.stop()


@pytest.fixture
def own_redis(tmp_path):
    """A redis-server of this test's own, to kill and restart."""
    server = RedisServer(tmp_path / "redis").start()
    yield server
    server.stop()


@pytest.fixture(params=["files", "redis", "resp"])
def store(request, tmp_path):
    """Each backend, through the same interface: the shared suite runs on both (issue 14)."""
    if request.param == "files":
        from attune.team.files import FileStore

        yield FileStore(str(tmp_path / "state"))
        return
    from attune.team.redis import RedisStore
    from attune.team.resp import RespStore

    server = request.getfixturevalue("redis_server")
    kind = RedisStore if request.param == "redis" else RespStore  # the official client; the hooks' own
    backend = kind(server.url, f"test{next(_namespaces)}")
    yield backend
    backend.close()


@pytest.fixture(params=["files", "redis"])
def backend(request):
    """The environment a hook or command runs with, for each backend (issue 14)."""
    if request.param == "files":
        return {}
    return {"EMPATHY_REDIS_URL": request.getfixturevalue("redis_server").url}


@pytest.fixture
def project(repo):
    (repo / ".empathy").mkdir()
    return repo
