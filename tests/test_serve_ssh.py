"""`planner serve --ssh`: public keys only, the planner and nothing else, viewers cannot write."""

from __future__ import annotations

import asyncio
import re
import shutil
from contextlib import asynccontextmanager
from pathlib import Path

import asyncssh
import pytest

from planner.model.errors import PlanError
from planner.serve.keys import load_clients
from planner.serve.ssh import Listener, start_server
from planner.storage import load, save
from planner.storage.layouts import load_layout

ANSI = re.compile(rb"\x1b\[[0-9;?<>=$]*[A-Za-z~]|\x1b\][^\x07]*\x07|\x1b[()][A-Z0-9]|\x1b[=>]")


@pytest.fixture
def keys():
    """An editor's, a viewer's and a stranger's key."""
    return {name: asyncssh.generate_private_key("ssh-ed25519") for name in ("editor", "viewer", "stranger")}


async def start_listener(tmp_path: Path, keys, **options) -> tuple[Listener, Path]:
    """The SSH server on a free local port, over a folder holding one plan, with an editor and a viewer; its plans."""
    plans = tmp_path / "plans"
    plans.mkdir()
    save(load_layout("merged"), plans / "acme.toml")
    authorized = tmp_path / "authorized_keys"
    authorized.write_text(
        keys["editor"].export_public_key().decode()
        + 'role="viewer" ' + keys["viewer"].export_public_key().decode()
    )
    return await start_server(plans, authorized, "127.0.0.1", 0, tmp_path / "host_key", **options), plans


@asynccontextmanager
async def serving(tmp_path: Path, keys, **options):
    """The SSH server of `start_listener`, stopped after; its port, plans and host key."""
    listener, plans = await start_listener(tmp_path, keys, **options)
    try:
        yield listener.get_port(), plans, tmp_path / "host_key"
    finally:
        listener.close()
        await listener.wait_closed()


@pytest.fixture
async def server(tmp_path: Path, keys):
    """The SSH server with the default settings."""
    async with serving(tmp_path, keys) as running:
        yield running


def connect(port: int, key=None, **options):
    """A client connection to the test server."""
    return asyncssh.connect("127.0.0.1", port, username="client", known_hosts=None,
                            client_keys=[key] if key else None, agent_path=None, **options)


class Screen:
    """What a client's terminal has received, without escape sequences."""

    def __init__(self, process) -> None:
        self.process, self.text = process, b""

    async def wait_for(self, text: str, timeout: float = 30) -> None:
        async def read() -> None:
            while text.encode() not in ANSI.sub(b"", self.text):
                self.text += await self.process.stdout.read(65536)

        try:
            await asyncio.wait_for(read(), timeout)
        except TimeoutError:
            raise AssertionError(f"{text!r} never appeared in {ANSI.sub(b'', self.text)[-2000:]!r}") from None


async def test_the_host_key_is_made_once_with_mode_0600(server):
    _, _, host_key = server
    assert host_key.stat().st_mode & 0o777 == 0o600


async def test_an_unknown_key_and_a_password_are_refused(server, keys):
    port, _, _ = server
    with pytest.raises(asyncssh.PermissionDenied):
        async with connect(port, keys["stranger"]):
            pass
    with pytest.raises(asyncssh.PermissionDenied):
        async with connect(port, password="secret", preferred_auth=["password", "keyboard-interactive"]):
            pass


async def test_exec_sftp_and_port_forwarding_are_refused(server, keys):
    port, _, _ = server
    async with connect(port, keys["editor"]) as connection:
        with pytest.raises(asyncssh.ChannelOpenError):
            await connection.create_process("cat /etc/passwd")
        with pytest.raises((asyncssh.ChannelOpenError, asyncssh.SFTPError)):
            async with connection.start_sftp_client():
                pass
        with pytest.raises(asyncssh.ChannelOpenError):
            await connection.open_connection("127.0.0.1", 22)


async def test_an_editor_sees_the_planner_at_80x24_and_a_save_lands_in_the_folder(server, keys):
    port, plans, _ = server
    async with connect(port, keys["editor"]) as connection:
        process = await connection.create_process(term_type="xterm-256color", term_size=(80, 24), encoding=None)
        screen = Screen(process)
        await screen.wait_for("acme.toml")
        process.stdin.write(b"\r")
        await screen.wait_for("Jordan Blake")
        process.stdin.write(b"v")
        await screen.wait_for("OPEN")
        process.stdin.write(b"\x13")
        for _ in range(100):
            if load(plans / "acme.toml").scenario().person("owner").vacant:
                break
            await asyncio.sleep(0.1)
        process.stdin.write(b"\x11")
        await asyncio.wait_for(process.wait_closed(), 10)
    assert load(plans / "acme.toml").scenario().person("owner").vacant


async def test_a_viewer_cannot_save(server, keys):
    port, plans, _ = server
    before = (plans / "acme.toml").read_bytes()
    async with connect(port, keys["viewer"]) as connection:
        process = await connection.create_process(term_type="xterm-256color", term_size=(80, 24), encoding=None)
        screen = Screen(process)
        await screen.wait_for("acme.toml")
        process.stdin.write(b"\r")
        await screen.wait_for("Jordan Blake")
        process.stdin.write(b"v")
        await screen.wait_for("cannot change it")
        process.stdin.write(b"\x13")
        await screen.wait_for("Read-only session")
        process.close()
    assert (plans / "acme.toml").read_bytes() == before
    assert not list(plans.glob(".acme.toml.*recovery"))


def test_roles_come_from_the_authorized_keys_options(tmp_path, keys):
    path = tmp_path / "keys"
    path.write_text(keys["editor"].export_public_key().decode()
                    + 'role="viewer" ' + keys["viewer"].export_public_key().decode() + "\n# a comment\n")
    assert [client.role for client in load_clients(path)] == ["editor", "viewer"]


def test_a_key_listed_twice_keeps_one_role_or_is_refused_with_both_lines(tmp_path, keys):
    editor, viewer = (keys[name].export_public_key().decode() for name in ("editor", "viewer"))
    path = tmp_path / "keys"
    path.write_text(editor + 'role="viewer" ' + viewer + 'role="editor" ' + editor)
    assert [client.role for client in load_clients(path)] == ["editor", "viewer"]
    path.write_text(editor + 'role="viewer" ' + viewer + "\n" + 'role="viewer" ' + editor)
    with pytest.raises(PlanError) as refused:
        load_clients(path)
    assert refused.value.message == f"{path}:4: this key is already on line 1 as editor, here as viewer"


async def test_an_idle_session_is_told_and_its_planner_hung_up(tmp_path, keys):
    async with serving(tmp_path, keys, idle_seconds=3) as (port, _, _):
        async with connect(port, keys["viewer"]) as connection:
            process = await connection.create_process(term_type="xterm-256color", term_size=(80, 24), encoding=None)
            await Screen(process).wait_for("Closed after a long idle time.")
            await asyncio.wait_for(process.wait_closed(), 30)
    assert process.exit_status == 129, "the planner ended on the hang-up"


async def run_openssh(port: int, key, tmp_path: Path, *command: str) -> tuple[int, str]:
    """Run the OpenSSH client against the test server with one key; its exit code and all it printed."""
    key_file = tmp_path / "client_key"
    key_file.write_bytes(key.export_private_key())
    key_file.chmod(0o600)
    process = await asyncio.create_subprocess_exec(
        "ssh", "-p", str(port), "-i", str(key_file), "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
        "-o", "UserKnownHostsFile=/dev/null", "-o", "IdentitiesOnly=yes", "-o", "PasswordAuthentication=no",
        "client@127.0.0.1", *command,
        stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    output, error = await asyncio.wait_for(process.communicate(), 30)
    return process.returncode, (output + error).decode()


@pytest.mark.skipif(shutil.which("ssh") is None, reason="the OpenSSH client is not installed")
async def test_the_openssh_client_is_refused_a_command_and_a_stranger_is_refused(server, keys, tmp_path):
    port, _, _ = server
    code, error = await run_openssh(port, keys["editor"], tmp_path, "cat", "/etc/passwd")
    assert code != 0 and "root:" not in error
    code, error = await run_openssh(port, keys["stranger"], tmp_path, "true")
    assert code == 255 and "Permission denied" in error


async def test_a_session_asked_for_once_the_server_has_stopped_is_refused(tmp_path, keys):
    listener, _ = await start_listener(tmp_path, keys)
    async with connect(listener.get_port(), keys["viewer"]) as connection:
        listener.close()
        await asyncio.wait_for(listener.wait_closed(), 30)
        process = await connection.create_process(term_type="xterm-256color", term_size=(80, 24), encoding=None)
        await Screen(process).wait_for("The planner server is stopping; try again later.")
        await asyncio.wait_for(process.wait_closed(), 30)
    assert process.exit_status == 1
