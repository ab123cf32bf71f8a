"""`planner serve --ssh` stays up and bounded: the real server in a process of its own, driven by asyncssh clients."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import asyncssh
import pytest

from planner.serve.ssh import SESSION_CAP, ExitWatch, log_internal_error
from planner.storage import save
from planner.storage.layouts import load_layout
from planner.storage.safety import state_dir
from tests.test_serve_ssh import Screen, connect

FLOOD = b"\x00" * (2 * 1024 * 1024)
SAFETY_NET = 60.0
FULL = "try again later"
# A shell without job control starts a `&` job with ctrl+c ignored, and the program it runs inherits that.
AS_A_BACKGROUND_JOB = ("sh", "-c", 'trap "" INT; exec "$@"', "sh")


class Server:
    """A `planner serve --ssh` process (run through `launcher` if given), its port, its log and its planners."""

    def __init__(self, tmp_path: Path, authorized_keys: str, env: dict[str, str],
                 launcher: tuple[str, ...] = ()) -> None:
        self.plans = tmp_path / "plans"
        self.plans.mkdir()
        save(load_layout("merged"), self.plans / "acme.toml")
        self.keys = tmp_path / "authorized_keys"
        self.keys.write_text(authorized_keys)
        self.log_path = tmp_path / "server.log"
        self.port = _free_port()
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                [*launcher, sys.executable, "-m", "planner", "serve", "--ssh", "--plans", str(self.plans),
                 "--authorized-keys", str(self.keys), "--port", str(self.port),
                 "--host-key", str(tmp_path / "host_key")],
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env)
        self._seen: set[int] = set()

    @property
    def log(self) -> str:
        """All the server printed so far."""
        return self.log_path.read_text()

    async def wait_for(self, condition, what: str) -> None:
        """Poll until `condition()` holds; fail naming `what` after a generous safety net."""
        deadline = time.monotonic() + SAFETY_NET
        while not condition():
            assert time.monotonic() < deadline, f"{what} never happened; server log:\n{self.log}"
            await asyncio.sleep(0.05)

    async def started(self) -> None:
        """Wait until the server listens."""
        await self.wait_for(lambda: "serving the planner" in self.log or self.process.poll() is not None,
                            "the server starting")
        assert self.process.poll() is None, f"the server did not start:\n{self.log}"

    def planners(self) -> list[int]:
        """The process ids of the server's children (its planners), zombies included."""
        children = []
        for task in Path(f"/proc/{self.process.pid}/task").iterdir():
            children += [int(pid) for pid in (task / "children").read_text().split()]
        self._seen.update(children)
        return children

    def descriptors(self) -> int:
        """How many file descriptors the server holds open."""
        return len(os.listdir(f"/proc/{self.process.pid}/fd"))

    def stop(self, signum: int = signal.SIGINT) -> None:
        """Stop the server with a signal (ctrl+c's by default), and wait for it."""
        if self.process.poll() is not None:
            return
        self.planners()
        self.process.send_signal(signum)
        try:
            self.process.wait(timeout=SAFETY_NET)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def left_behind(self) -> list[int]:
        """Planners still running after the server stopped (killed here, so no test leaves one)."""
        left = [pid for pid in self._seen if _planner_running(pid, self.plans)]
        for pid in left:
            os.kill(pid, signal.SIGKILL)
        return left


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _gone(pid: int) -> bool:
    """True once a process has exited and been reaped."""
    return not Path(f"/proc/{pid}").exists()


def _planner_running(pid: int, plans: Path) -> bool:
    try:
        return str(plans) in Path(f"/proc/{pid}/cmdline").read_text()
    except OSError:
        return False


@pytest.fixture
def keys():
    """An editor's and a viewer's key."""
    return {name: asyncssh.generate_private_key("ssh-ed25519") for name in ("editor", "viewer")}


def _authorized(keys) -> str:
    return (keys["editor"].export_public_key().decode()
            + 'role="viewer" ' + keys["viewer"].export_public_key().decode())


@pytest.fixture
async def start(tmp_path: Path, keys):
    """Start `planner serve --ssh` (with extra environment, or through a launcher, if asked); stopped and checked
    for leftovers after."""
    servers = []

    async def start_server(launcher: tuple[str, ...] = (), **env: str) -> Server:
        server = Server(tmp_path, _authorized(keys), {**os.environ, **env}, launcher)
        servers.append(server)
        await server.started()
        return server

    yield start_server
    for server in servers:
        server.stop()
        assert not server.left_behind(), "the server left planners running after it stopped"


@pytest.fixture
async def server(start) -> Server:
    """A running `planner serve --ssh` with an editor's and a viewer's key."""
    return await start()


async def open_planner(server: Server, key) -> tuple[asyncssh.SSHClientConnection, asyncssh.SSHClientProcess, Screen]:
    """Log in and wait for the planner's start screen."""
    connection = await connect(server.port, key)
    process = await connection.create_process(term_type="xterm-256color", term_size=(80, 24), encoding=None)
    screen = Screen(process)
    await screen.wait_for("acme.toml", SAFETY_NET)
    return connection, process, screen


async def test_a_flood_then_a_drop_ends_the_planner_and_frees_its_slot(server, keys):
    connection, process, _ = await open_planner(server, keys["editor"])
    [planner] = server.planners()
    process.stdin.write(FLOOD)
    await asyncio.wait_for(process.stdin.drain(), SAFETY_NET)
    connection.abort()
    await server.wait_for(lambda: _gone(planner), "the planner ending after the hang-up")
    await server.wait_for(lambda: f"0 of {SESSION_CAP} sessions in use" in server.log, "the slot being freed")
    assert "Traceback" not in server.log


async def test_a_planner_that_ignores_the_hang_up_is_killed_after_the_grace_period(server, keys):
    connection, _, _ = await open_planner(server, keys["editor"])
    [planner] = server.planners()
    os.kill(planner, signal.SIGSTOP)
    connection.abort()
    # The process is gone a moment before the server has reaped it and logged the session's end: wait for that.
    await server.wait_for(lambda: _gone(planner) and f"0 of {SESSION_CAP} sessions in use" in server.log,
                          "the stopped planner being killed, reaped and its session ended")
    assert "did not end within 3 s of the hang-up; killed" in server.log


async def _stalled(channel: asyncssh.SSHClientChannel, quiet_seconds: float = 2.0) -> int:
    """Wait until the client's unsent bytes stop going down (or reach none); returns how many are left."""
    left, since = channel.get_write_buffer_size(), time.monotonic()
    while left and time.monotonic() - since < quiet_seconds:
        await asyncio.sleep(0.1)
        if channel.get_write_buffer_size() < left:
            left, since = channel.get_write_buffer_size(), time.monotonic()
    return left


async def test_input_a_planner_does_not_read_is_held_back_at_the_client(server, keys):
    connection, process, _ = await open_planner(server, keys["editor"])
    [planner] = server.planners()
    os.kill(planner, signal.SIGSTOP)
    flood = 32 * 1024 * 1024
    process.stdin.write(b"x" * flood)
    taken = flood - await _stalled(process.channel)
    assert taken < 8 * 1024 * 1024, f"the server took {taken} bytes for a planner that reads nothing"
    os.kill(planner, signal.SIGCONT)
    connection.abort()
    await server.wait_for(lambda: _gone(planner), "the planner ending after the hang-up")


async def test_a_session_ending_with_unsent_input_leaves_the_server_serving(server, keys):
    connection, process, _ = await open_planner(server, keys["editor"])
    [planner] = server.planners()
    os.kill(planner, signal.SIGSTOP)
    process.stdin.write(b"x" * (4 * 1024 * 1024))
    await _stalled(process.channel)
    os.kill(planner, signal.SIGKILL)
    await asyncio.wait_for(process.wait_closed(), SAFETY_NET)
    connection.close()
    await server.wait_for(lambda: _gone(planner), "the killed planner being reaped")
    baseline = server.descriptors()
    for _ in range(3):
        connection, process, _ = await open_planner(server, keys["editor"])
        process.stdin.write(b"\x11")
        await asyncio.wait_for(process.wait_closed(), SAFETY_NET)
        connection.close()
        await connection.wait_closed()
    await server.wait_for(lambda: not server.planners(), "every planner being reaped")
    await server.wait_for(lambda: server.descriptors() <= baseline, "the sessions' descriptors being closed")
    assert "Traceback" not in server.log


async def test_nine_clients_eight_get_the_planner_and_the_ninth_is_told_to_try_later_at_once(server, keys):
    sessions = []
    for _ in range(SESSION_CAP):
        connection, process, _ = await open_planner(server, keys["editor"])
        sessions.append((connection, process))
    async with connect(server.port, keys["viewer"]) as connection:
        process = await connection.create_process(term_type="xterm-256color", term_size=(80, 24), encoding=None)
        await Screen(process).wait_for(FULL, SAFETY_NET)
        await asyncio.wait_for(process.wait_closed(), SAFETY_NET)
    assert process.exit_status == 1
    assert len(server.planners()) == SESSION_CAP, "the refusal came while all eight planners run"
    for connection, process in sessions:
        process.stdin.write(b"\x11")
        await asyncio.wait_for(process.wait_closed(), SAFETY_NET)
        connection.close()
    await server.wait_for(lambda: not server.planners(), "every planner being reaped")
    assert "Traceback" not in server.log


FAILING_PLANNER = '''
import planner.ui.screens.start as start


def fail_on_mount(self):
    raise RuntimeError("a fault the test put in")


start.StartScreen.on_mount = fail_on_mount
'''

NO_PSEUDO_TERMINALS = '''
import errno
import pty


def openpty():
    raise OSError(errno.EAGAIN, "out of pseudo-terminals")


pty.openpty = openpty
'''


@pytest.fixture
def with_fault(start, tmp_path):
    """Start the server with a fault put into it and its planners (a sitecustomize module)."""
    async def start_faulty(code: str) -> Server:
        faults = tmp_path / "faults"
        faults.mkdir()
        (faults / "sitecustomize.py").write_text(code)
        return await start(PYTHONPATH=str(faults))

    return start_faulty


async def test_a_planner_that_hit_an_internal_error_exits_non_zero(with_fault, keys):
    server = await with_fault(FAILING_PLANNER)
    async with connect(server.port, keys["editor"]) as connection:
        process = await connection.create_process(term_type="xterm-256color", term_size=(80, 24), encoding=None)
        await Screen(process).wait_for("internal error", SAFETY_NET)
        await asyncio.wait_for(process.wait_closed(), SAFETY_NET)
    assert process.exit_status == 1
    [crash_log] = (state_dir(confined_to=server.plans) / "crashes").iterdir()
    assert "a fault the test put in" in crash_log.read_text()
    assert "ended: exit status 1" in server.log and "Traceback" not in server.log


async def test_a_planner_that_cannot_start_is_told_to_the_client_and_frees_its_slot(with_fault, keys):
    server = await with_fault(NO_PSEUDO_TERMINALS)
    async with connect(server.port, keys["editor"]) as connection:
        process = await connection.create_process(term_type="xterm-256color", term_size=(80, 24), encoding=None)
        await Screen(process).wait_for("could not start on the server; try again later", SAFETY_NET)
        await asyncio.wait_for(process.wait_closed(), SAFETY_NET)
    assert process.exit_status == 1
    assert ("the planner could not start: [Errno 11] out of pseudo-terminals "
            f"(0 of {SESSION_CAP} sessions in use)") in server.log
    assert "Traceback" not in server.log


def locked(key: asyncssh.SSHKey) -> asyncssh.SSHKeyPair:
    """A key the client offers but cannot sign with: it holds the public half, the private one is locked away."""
    pair = asyncssh.load_keypairs([key])[0]

    def refuse(data: bytes) -> bytes:
        raise ValueError("the private key is locked")

    pair.sign = refuse
    return pair


async def test_a_viewer_probing_the_editors_key_first_gets_a_viewer_session(server, keys):
    offered = [locked(keys["editor"]), keys["viewer"]]
    async with asyncssh.connect("127.0.0.1", server.port, username="client", known_hosts=None,
                                client_keys=offered, agent_path=None) as connection:
        process = await connection.create_process(term_type="xterm-256color", term_size=(80, 24), encoding=None)
        screen = Screen(process)
        await screen.wait_for("acme.toml", SAFETY_NET)
        process.stdin.write(b"\r")
        await screen.wait_for("Jordan Blake", SAFETY_NET)
        process.stdin.write(b"\x13")
        await screen.wait_for("Read-only session", SAFETY_NET)
        process.close()
    assert "session 1 (viewer" in server.log and "(editor" not in server.log


def test_a_key_listed_twice_with_different_roles_is_refused_at_start(tmp_path, keys):
    authorized = tmp_path / "authorized_keys"
    authorized.write_text(_authorized(keys) + "# the editor again, as a viewer\n"
                          + 'role="viewer" ' + keys["editor"].export_public_key().decode())
    result = subprocess.run([sys.executable, "-m", "planner", "serve", "--ssh", "--plans", str(tmp_path),
                             "--authorized-keys", str(authorized), "--port", str(_free_port())],
                            capture_output=True, text=True, timeout=SAFETY_NET)
    assert result.returncode == 2
    assert f"{authorized}:4: this key is already on line 1 as editor, here as viewer" in result.stderr


@pytest.mark.parametrize(("launcher", "signum"), [((), signal.SIGINT), (AS_A_BACKGROUND_JOB, signal.SIGINT),
                                                 ((), signal.SIGTERM)],
                         ids=["ctrl+c", "ctrl+c-to-a-background-job", "sigterm"])
async def test_stopping_the_server_ends_its_planners(start, keys, launcher, signum):
    server = await start(launcher)
    connection, _, _ = await open_planner(server, keys["viewer"])
    [planner] = server.planners()
    server.stop(signum)
    assert server.process.returncode == 0
    assert _gone(planner)
    connection.abort()


@pytest.mark.parametrize("pidfd", [True, False], ids=["pidfd", "polling"])
async def test_a_childs_exit_is_seen_and_reaped_without_a_thread(pidfd, monkeypatch):
    if not pidfd:
        monkeypatch.delattr(os, "pidfd_open", raising=False)
    child = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read(); sys.exit(3)"],
                             stdin=subprocess.PIPE)
    exited = asyncio.get_running_loop().create_future()
    threads = threading.active_count()
    ExitWatch(child, exited.set_result)
    assert threading.active_count() == threads
    child.stdin.close()
    assert await asyncio.wait_for(exited, SAFETY_NET) == 3
    assert _gone(child.pid)


async def test_an_error_nothing_caught_is_one_line_in_the_log_and_its_traceback_a_crash_log(caplog):
    try:
        raise BrokenPipeError("Channel not open for sending")
    except BrokenPipeError as error:
        caught = error
    with caplog.at_level(logging.INFO, logger="planner.serve"):
        log_internal_error(asyncio.get_running_loop(), {"message": "Exception in callback X", "exception": caught})
    [record] = caplog.records
    line = record.getMessage()
    assert "\n" not in line and record.exc_info is None
    assert line.startswith("internal error: Exception in callback X (details in ")
    crash_log = Path(line.removesuffix(")").rsplit("details in ", 1)[1])
    assert "Traceback" in crash_log.read_text() and "BrokenPipeError" in crash_log.read_text()
