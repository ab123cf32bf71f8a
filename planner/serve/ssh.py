"""`planner serve --ssh`: each SSH session runs the planner in a process of its own on its own pseudo-terminal."""

from __future__ import annotations

import asyncio
import fcntl
import itertools
import logging
import os
import pty
import signal
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable
from pathlib import Path

import asyncssh

from planner.model.errors import PlanError
from planner.serve.keys import Client, load_clients
from planner.serve.rooms import ROOM_FD_VARIABLE, RoomServer, room_socket_pair
from planner.storage.safety import private_folder, state_dir, write_crash_log

IDLE_SECONDS = 30 * 60
KEEPALIVE_SECONDS = 30
SESSION_CAP = 8
HANGUP_GRACE_SECONDS = 3.0
INPUT_LIMIT = 64 * 1024
EXIT_POLL_SECONDS = 0.5
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
FULL_MESSAGE = b"The planner is at its limit of sessions; try again later.\r\n"
NO_START_MESSAGE = b"The planner could not start on the server; try again later.\r\n"
STOPPING_MESSAGE = b"The planner server is stopping; try again later.\r\n"

log = logging.getLogger("planner.serve")


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


def _open_pidfd(pid: int) -> int | None:
    """A descriptor that turns readable when the process exits (Linux 5.3+), or None where there is none."""
    try:
        return os.pidfd_open(pid)
    except (AttributeError, OSError):
        return None


class ExitWatch:
    """Reaps a child as soon as it exits and passes on its exit code, without holding a thread while it runs."""

    def __init__(self, child: subprocess.Popen, on_exit: Callable[[int], None]) -> None:
        self._child, self._on_exit = child, on_exit
        self._loop = asyncio.get_running_loop()
        self._pidfd = _open_pidfd(child.pid)
        if self._pidfd is not None:
            self._loop.add_reader(self._pidfd, self._check)
        else:
            self._loop.call_later(EXIT_POLL_SECONDS, self._check)

    def _check(self) -> None:
        code = self._child.poll()
        if code is None:
            if self._pidfd is None:
                self._loop.call_later(EXIT_POLL_SECONDS, self._check)
            return
        if self._pidfd is not None:
            self._loop.remove_reader(self._pidfd)
            os.close(self._pidfd)
        self._on_exit(code)


class PlannerSession(asyncssh.SSHServerSession):
    """One client's planner: a child process on a pseudo-terminal, bytes pumped both ways."""

    def __init__(self, server: PlannerServer, client: Client, peer: str) -> None:
        self._server, self._client, self._peer = server, client, peer
        self._channel: asyncssh.SSHServerChannel | None = None
        self._term, self._size = "xterm-256color", (80, 24)
        self._master: int | None = None
        self._child: subprocess.Popen | None = None
        self._pending = bytearray()
        self._paused = False
        self._client_gone = False
        self._kill_timer: asyncio.TimerHandle | None = None
        self._idle_timer: asyncio.TimerHandle | None = None
        self.number = 0
        self.last_input = self._started = time.monotonic()

    def __str__(self) -> str:
        return f"session {self.number} ({self._who})"

    @property
    def _who(self) -> str:
        return f"{self._client.role} {self._client.fingerprint} from {self._peer}"

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
        sessions = self._server.sessions
        if sessions.stopping:
            log.info("refused %s: the server is stopping", self._who)
            self._refuse(STOPPING_MESSAGE)
            return
        if not sessions.admit(self):
            log.info("refused %s: all %d sessions are in use", self._who, sessions.cap)
            self._refuse(FULL_MESSAGE)
            return
        try:
            self._start_child()
        except OSError as error:
            sessions.leave(self)
            log.error("%s: the planner could not start: %s (%s)", self, error, sessions.in_use())
            self._refuse(NO_START_MESSAGE)
            return
        log.info("%s started the planner, pid %d (%s)", self, self._child.pid, sessions.in_use())

    def _refuse(self, message: bytes) -> None:
        self._channel.write(message)
        self._channel.exit(1)

    def _start_child(self) -> None:
        master, slave = pty.openpty()
        room_end, planner_end = room_socket_pair()
        try:
            os.set_blocking(master, False)
            self._master = master
            self._resize()
            self._child = subprocess.Popen(self._command(), stdin=slave, stdout=slave, stderr=slave,
                                           env=self._environment(planner_end.fileno()), start_new_session=True,
                                           cwd=self._server.plans, pass_fds=(planner_end.fileno(),))
        except OSError:
            os.close(master)
            room_end.close()
            self._master = None
            raise
        finally:
            os.close(slave)
            planner_end.close()
        self._server.rooms.attach(room_end, self._client.name, self._client.role, lambda: self.last_input)
        loop = asyncio.get_running_loop()
        loop.add_reader(master, self._from_child)
        ExitWatch(self._child, self._child_exited)
        self._idle_timer = loop.call_later(self._server.idle_seconds, self._close_if_idle)

    def _command(self) -> list[str]:
        command = [sys.executable, "-m", "planner", "--saves", str(self._server.plans), "--confine"]
        return command + ["--viewer"] if self._client.role == "viewer" else command

    def _environment(self, room_fd: int) -> dict[str, str]:
        env = {key: value for key, value in os.environ.items() if key != "COLORTERM"}
        return env | {"TERM": self._term, ROOM_FD_VARIABLE: str(room_fd)}

    def _resize(self) -> None:
        if self._master is not None:
            columns, rows = self._size
            fcntl.ioctl(self._master, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        if self._child is not None:
            with _quietly():
                os.killpg(self._child.pid, signal.SIGWINCH)

    def _from_child(self) -> None:
        """Pass on what the planner drew; once the client is gone, read it only so the planner never blocks."""
        data = self._read_output()
        if data is None:
            asyncio.get_running_loop().remove_reader(self._master)
        else:
            self._forward(data)

    def _read_output(self) -> bytes | None:
        """One read of what the planner wrote: b"" when nothing waits, None once its terminal is closed."""
        try:
            return os.read(self._master, 65536) or None
        except BlockingIOError:
            return b""
        except OSError:
            return None

    def _forward(self, data: bytes) -> None:
        if data and not self._client_gone:
            with _quietly():
                self._channel.write(data)

    def data_received(self, data: bytes, datatype) -> None:
        self.last_input = time.monotonic()
        if self._master is not None and not self._client_gone:
            self._pending += data
            self._write_input()

    def _write_input(self) -> None:
        """Write what the client typed to the planner without blocking; hold the client back while too much waits."""
        try:
            del self._pending[:os.write(self._master, self._pending)]
        except BlockingIOError:
            pass
        except OSError:
            self._pending.clear()
        loop = asyncio.get_running_loop()
        if self._pending:
            loop.add_writer(self._master, self._write_input)
        else:
            loop.remove_writer(self._master)
        self._hold_input(len(self._pending) >= INPUT_LIMIT)

    def _hold_input(self, hold: bool) -> None:
        """Pause the channel (the client's SSH window fills and it must wait) or let input flow again."""
        if hold != self._paused:
            self._paused = hold
            if hold:
                self._channel.pause_reading()
            else:
                self._channel.resume_reading()

    def _stop_input(self) -> None:
        self._pending.clear()
        if self._master is not None:
            asyncio.get_running_loop().remove_writer(self._master)

    def terminal_size_changed(self, width: int, height: int, pixwidth: int, pixheight: int) -> None:
        self._size = (width or 80, height or 24)
        self._resize()

    def connection_lost(self, exc: Exception | None) -> None:
        """The client went away: drop its unsent input and hang up the planner, as for a dropped terminal."""
        self._client_gone = True
        self._stop_input()
        self.hang_up()

    def hang_up(self) -> None:
        """Send SIGHUP to the planner (it keeps unsaved changes and exits), and SIGKILL if it is still there later."""
        if self._child is None or self._child.returncode is not None or self._kill_timer is not None:
            return
        with _quietly():
            os.killpg(self._child.pid, signal.SIGHUP)
        self._kill_timer = asyncio.get_running_loop().call_later(HANGUP_GRACE_SECONDS, self._kill)

    def _kill(self) -> None:
        log.info("%s: the planner did not end within %g s of the hang-up; killed", self, HANGUP_GRACE_SECONDS)
        with _quietly():
            os.killpg(self._child.pid, signal.SIGKILL)

    def _close_if_idle(self) -> None:
        """End the session when the client has typed nothing for too long."""
        idle = time.monotonic() - self.last_input
        if idle < self._server.idle_seconds:
            self._idle_timer = asyncio.get_running_loop().call_later(
                self._server.idle_seconds - idle, self._close_if_idle)
            return
        log.info("%s: idle for %d s; hung up", self, idle)
        with _quietly():
            self._channel.write(b"\r\nClosed after a long idle time.\r\n")
        self.hang_up()

    def _child_exited(self, code: int) -> None:
        """The planner has exited and is reaped: pass on its last output and exit status, free every resource."""
        for timer in (self._kill_timer, self._idle_timer):
            if timer is not None:
                timer.cancel()
        self._stop_input()
        self._close_pty()
        self._server.sessions.leave(self)
        status = code if code >= 0 else 128 - code
        log.info("%s ended: exit status %d after %d s (%s)", self, status, time.monotonic() - self._started,
                 self._server.sessions.in_use())
        if not self._client_gone:
            with _quietly():
                self._channel.exit(status)

    def _close_pty(self) -> None:
        """Forward what the planner wrote last, then stop watching its terminal and close it."""
        asyncio.get_running_loop().remove_reader(self._master)
        while data := self._read_output():
            self._forward(data)
        os.close(self._master)
        self._master = None


class _quietly:
    """Ignore the errors of cleaning up after a process or channel that is already gone."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind, error, trace) -> bool:
        return kind is not None and issubclass(kind, (OSError, ProcessLookupError, asyncssh.Error))


class Sessions:
    """The sessions running now: at most `cap` of them, each numbered for the log."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self._running: set[PlannerSession] = set()
        self._numbers = itertools.count(1)
        self._none_left = asyncio.Event()
        self._none_left.set()
        self.stopping = False

    def admit(self, session: PlannerSession) -> bool:
        """Count a session in and number it, unless the cap is reached."""
        if len(self._running) >= self.cap:
            return False
        session.number = next(self._numbers)
        self._running.add(session)
        self._none_left.clear()
        return True

    def leave(self, session: PlannerSession) -> None:
        """Count a session out."""
        self._running.discard(session)
        if not self._running:
            self._none_left.set()

    def in_use(self) -> str:
        """How many of the sessions are in use, for the log."""
        return f"{len(self._running)} of {self.cap} sessions in use"

    async def end_all(self) -> None:
        """Hang up every session and wait until each planner has ended."""
        for session in list(self._running):
            session.hang_up()
        await self._none_left.wait()


class PlannerServer(asyncssh.SSHServer):
    """Public keys only, no forwarding, no shell: every session gets the planner and nothing else."""

    def __init__(self, plans: Path, clients: list[Client], sessions: Sessions, idle_seconds: float,
                 rooms: RoomServer) -> None:
        self.plans, self._clients, self.sessions, self.rooms = plans, clients, sessions, rooms
        self.idle_seconds = idle_seconds
        self._client: Client | None = None
        self._peer = "?"

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        host, port = conn.get_extra_info("peername")[:2]
        self._peer = f"{host}:{port}"

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
                self._client = client
                return True
        return False

    def connection_requested(self, dest_host: str, dest_port: int, orig_host: str, orig_port: int) -> bool:
        return False

    def server_requested(self, listen_host: str, listen_port: int) -> bool:
        return False

    def session_requested(self) -> PlannerSession:
        return PlannerSession(self, self._client, self._peer)


class Listener:
    """The running server: its port, and close() then wait_closed() to stop it and end every session."""

    def __init__(self, acceptor: asyncssh.SSHAcceptor, sessions: Sessions) -> None:
        self._acceptor, self._sessions = acceptor, sessions

    def get_port(self) -> int:
        """The port it listens on."""
        return self._acceptor.get_port()

    def close(self) -> None:
        """Stop taking new connections, and new sessions on the connections still open."""
        self._acceptor.close()
        self._sessions.stopping = True

    async def wait_closed(self) -> None:
        """Hang up every session and wait until their planners have ended."""
        await self._acceptor.wait_closed()
        await self._sessions.end_all()


async def start_server(plans: Path, authorized_keys: Path, host: str = "127.0.0.1", port: int = 2222,
                       host_key: Path | None = None, cap: int = SESSION_CAP,
                       idle_seconds: float = IDLE_SECONDS) -> Listener:
    """Start listening; close() then wait_closed() the result to stop."""
    plans = plans.resolve()
    if not plans.is_dir():
        raise PlanError(f"{plans} is not a folder", "create it, or give --plans an existing folder of plans")
    clients = load_clients(authorized_keys)
    key = ensure_host_key(host_key or state_dir() / "ssh_host_key")
    sessions = Sessions(cap)
    rooms = RoomServer(plans)
    acceptor = await asyncssh.create_server(
        lambda: PlannerServer(plans, clients, sessions, idle_seconds, rooms), host, port, server_host_keys=[key],
        agent_forwarding=False, x11_forwarding=False, allow_pty=True, line_editor=False, encoding=None,
        keepalive_interval=KEEPALIVE_SECONDS,
        keepalive_count_max=3, login_timeout=60,
    )
    return Listener(acceptor, sessions)


def log_internal_error(loop: asyncio.AbstractEventLoop, context: dict) -> None:
    """One log line for an error nothing caught; its traceback goes to a crash log in the state folder."""
    crash_log = write_crash_log(context.get("exception"))
    log.error("internal error: %s (details in %s)", context["message"], crash_log)


def _log_to_stdout() -> None:
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%Y-%m-%d %H:%M:%S"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False


def serve_forever(plans: Path, authorized_keys: Path, host: str, port: int, host_key: Path | None) -> None:
    """Run the SSH server until ctrl+c or SIGTERM; then hang up every session and wait for the planners to end."""

    async def main() -> None:
        loop = asyncio.get_running_loop()
        loop.set_exception_handler(log_internal_error)
        listener = await start_server(plans, authorized_keys, host, port, host_key)
        stop = asyncio.Event()
        # Handled here rather than left to asyncio.run: it ignores a ctrl+c that the process inherited as
        # ignored (a shell's background job), and SIGTERM would kill the server with its planners left running.
        for signum in STOP_SIGNALS:
            loop.add_signal_handler(signum, stop.set)
        print(f"serving the planner on ssh://{host}:{port} (plans in {plans}); ctrl+c stops", flush=True)
        try:
            await stop.wait()
        finally:
            listener.close()
            await listener.wait_closed()

    _log_to_stdout()
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
