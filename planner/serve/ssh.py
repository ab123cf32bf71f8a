"""`planner serve --ssh`: each SSH session runs the planner in a process of its own on its own pseudo-terminal."""

from __future__ import annotations

import asyncio
import fcntl
import os
import pty
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import asyncssh

from planner.model.errors import PlanError
from planner.serve.keys import Client, load_clients
from planner.storage.safety import private_folder, state_dir

IDLE_SECONDS = 30 * 60
KEEPALIVE_SECONDS = 30
SESSION_CAP = 8


def ensure_host_key(path: Path) -> asyncssh.SSHKey:
    """The server's host key, generated on first start and kept with mode 0600."""
    if not path.exists():
        private_folder(path.parent)
        key = asyncssh.generate_private_key("ssh-ed25519")
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(key.export_private_key())
    os.chmod(path, 0o600)
    return asyncssh.read_private_key(str(path))


class PlannerSession(asyncssh.SSHServerSession):
    """One client's planner: a child process on a pseudo-terminal, bytes pumped both ways."""

    def __init__(self, server: PlannerServer, role: str) -> None:
        self._server, self._role = server, role
        self._channel: asyncssh.SSHServerChannel | None = None
        self._term, self._size = "xterm-256color", (80, 24)
        self._master: int | None = None
        self._child: subprocess.Popen | None = None
        self._pending = b""
        self.last_input = time.monotonic()

    def connection_made(self, chan: asyncssh.SSHServerChannel) -> None:
        self._channel = chan

    def pty_requested(self, term_type: str, term_size: tuple[int, int, int, int], term_modes) -> bool:
        self._term = term_type or self._term
        self._size = (term_size[0] or 80, term_size[1] or 24)
        return True

    def shell_requested(self) -> bool:
        return True

    def exec_requested(self, command: str) -> bool:
        return False

    def subsystem_requested(self, subsystem: str) -> bool:
        return False

    def session_started(self) -> None:
        if not self._server.admit(self):
            self._channel.write(b"The planner is at its limit of sessions; try again later.\r\n")
            self._channel.exit(1)
            return
        self._start_child()

    def _start_child(self) -> None:
        master, slave = pty.openpty()
        os.set_blocking(master, False)
        self._master = master
        self._resize()
        command = [sys.executable, "-m", "planner", "--saves", str(self._server.plans), "--confine"]
        if self._role == "viewer":
            command.append("--viewer")
        env = {key: value for key, value in os.environ.items() if key != "COLORTERM"}
        env.update(TERM=self._term, PLANNER_ROLE=self._role)
        self._child = subprocess.Popen(command, stdin=slave, stdout=slave, stderr=slave, env=env,
                                       start_new_session=True, cwd=self._server.plans)
        os.close(slave)
        loop = asyncio.get_running_loop()
        loop.add_reader(master, self._from_child)
        self._server.keep(loop.create_task(self._wait_child()))

    def _resize(self) -> None:
        if self._master is not None:
            columns, rows = self._size
            fcntl.ioctl(self._master, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        if self._child is not None:
            with _quietly():
                os.killpg(self._child.pid, signal.SIGWINCH)

    def _from_child(self) -> None:
        try:
            data = os.read(self._master, 65536)
        except OSError:
            data = b""
        if data:
            self._channel.write(data)
        else:
            asyncio.get_running_loop().remove_reader(self._master)

    async def _wait_child(self) -> None:
        code = await asyncio.to_thread(self._child.wait)
        self._close_pty()
        self._server.leave(self)
        with _quietly():
            self._channel.exit(max(code, 0))

    def _close_pty(self) -> None:
        if self._master is not None:
            with _quietly():
                asyncio.get_running_loop().remove_reader(self._master)
            with _quietly():
                os.close(self._master)
            self._master = None

    def data_received(self, data: bytes, datatype) -> None:
        self.last_input = time.monotonic()
        if self._master is not None:
            self._pending += data
            self._flush()

    def _flush(self) -> None:
        """Write what the client typed to the planner without ever blocking the server."""
        loop = asyncio.get_running_loop()
        with _quietly():
            written = os.write(self._master, self._pending)
            self._pending = self._pending[written:]
        loop.remove_writer(self._master)
        if self._pending and self._master is not None:
            loop.add_writer(self._master, self._flush)

    def terminal_size_changed(self, width: int, height: int, pixwidth: int, pixheight: int) -> None:
        self._size = (width or 80, height or 24)
        self._resize()

    def connection_lost(self, exc: Exception | None) -> None:
        """The client went away: hang up the planner so it keeps unsaved changes, as for a dropped terminal."""
        self.hang_up()

    def hang_up(self) -> None:
        """Send SIGHUP to the planner (it writes its recovery file and exits)."""
        if self._child is not None and self._child.poll() is None:
            with _quietly():
                os.killpg(self._child.pid, signal.SIGHUP)

    def close_idle(self, now: float) -> None:
        """End the session when the client has typed nothing for too long."""
        if now - self.last_input > self._server.idle_seconds and self._channel is not None:
            self._channel.write(b"\r\nClosed after a long idle time.\r\n")
            self.hang_up()


class _quietly:
    """Ignore the errors of cleaning up after a process or channel that is already gone."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind, error, trace) -> bool:
        return kind is not None and issubclass(kind, (OSError, ProcessLookupError, asyncssh.Error))


class PlannerServer(asyncssh.SSHServer):
    """Public keys only, no forwarding, no shell: every session gets the planner and nothing else."""

    def __init__(self, plans: Path, clients: list[Client], cap: int, idle_seconds: float,
                 sessions: set[PlannerSession]) -> None:
        self.plans, self._clients, self._cap = plans, clients, cap
        self.idle_seconds = idle_seconds
        self._sessions = sessions
        self._tasks: set[asyncio.Task] = set()
        self._role = "viewer"

    def begin_auth(self, username: str) -> bool:
        return True

    def password_auth_supported(self) -> bool:
        return False

    def kbdint_auth_supported(self) -> bool:
        return False

    def public_key_auth_supported(self) -> bool:
        return True

    def validate_public_key(self, username: str, key: asyncssh.SSHKey) -> bool:
        for client in self._clients:
            if client.key == key:
                self._role = client.role
                return True
        return False

    def connection_requested(self, dest_host: str, dest_port: int, orig_host: str, orig_port: int) -> bool:
        return False

    def server_requested(self, listen_host: str, listen_port: int) -> bool:
        return False

    def session_requested(self) -> PlannerSession:
        return PlannerSession(self, self._role)

    def keep(self, task: asyncio.Task) -> None:
        """Hold a reference to a running task until it ends (asyncio keeps only weak ones)."""
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def admit(self, session: PlannerSession) -> bool:
        """Count a session in, unless the cap is reached."""
        if len(self._sessions) >= self._cap:
            return False
        self._sessions.add(session)
        return True

    def leave(self, session: PlannerSession) -> None:
        """Count a session out."""
        self._sessions.discard(session)


async def start_server(plans: Path, authorized_keys: Path, host: str = "127.0.0.1", port: int = 2222,
                       host_key: Path | None = None, cap: int = SESSION_CAP, idle_seconds: float = IDLE_SECONDS):
    """Start listening; returns the asyncssh acceptor (close() it to stop)."""
    plans = plans.resolve()
    if not plans.is_dir():
        raise PlanError(f"{plans} is not a folder", "create it, or give --plans an existing folder of plans")
    clients = load_clients(authorized_keys)
    key = ensure_host_key(host_key or state_dir() / "ssh_host_key")
    sessions: set[PlannerSession] = set()
    acceptor = await asyncssh.create_server(
        lambda: PlannerServer(plans, clients, cap, idle_seconds, sessions), host, port, server_host_keys=[key],
        agent_forwarding=False, x11_forwarding=False, allow_pty=True, line_editor=False, encoding=None,
        keepalive_interval=KEEPALIVE_SECONDS,
        keepalive_count_max=3, login_timeout=60,
    )
    _background.add(asyncio.get_running_loop().create_task(_watch_idle(sessions)))
    return acceptor


_background: set[asyncio.Task] = set()


async def _watch_idle(sessions: set[PlannerSession]) -> None:
    while True:
        await asyncio.sleep(30)
        now = time.monotonic()
        for session in list(sessions):
            session.close_idle(now)


def serve_forever(plans: Path, authorized_keys: Path, host: str, port: int, host_key: Path | None) -> None:
    """Run the SSH server until interrupted."""

    async def main() -> None:
        await start_server(plans, authorized_keys, host, port, host_key)
        print(f"serving the planner on ssh://{host}:{port} (plans in {plans}); ctrl+c stops", flush=True)
        await asyncio.Event().wait()

    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
