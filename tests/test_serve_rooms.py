"""Rooms end to end: `planner serve --ssh` in a process of its own, two editors and a viewer as asyncssh clients."""

from __future__ import annotations

import asyncio
import contextlib
import os
from pathlib import Path

import asyncssh
import pytest

from planner.model.edits import toggle_vacancy
from planner.serve.rooms import ROOM_FD_VARIABLE
from planner.storage import dumps, load
from planner.storage.safety import read_recovery
from planner.storage.layouts import load_layout
from tests.test_serve_limits import SAFETY_NET, Server
from tests.test_serve_ssh import Screen, connect

S = "current"
DOWN, CTRL_S, CTRL_Q, CTRL_Y, CTRL_Z = b"\x1b[B", b"\x13", b"\x11", b"\x19", b"\x1a"


class Client:
    """One person at an 80x24 terminal: keys go in, and what the screen shows is waited for."""

    def __init__(self, name: str, connection: asyncssh.SSHClientConnection, process) -> None:
        self.name, self.connection, self.process = name, connection, process
        self.screen = Screen(process)

    def press(self, *keys: bytes) -> None:
        """Type keys, from now on waiting only for what they bring."""
        self.screen.text = b""
        for key in keys:
            self.process.stdin.write(key)

    async def sees(self, text: str) -> None:
        """Wait until the screen shows `text` (since the last keys typed here, or since `forget`)."""
        await self.screen.wait_for(text, SAFETY_NET)

    def forget(self) -> None:
        """Wait from now on only for what is drawn after this."""
        self.screen.text = b""


@pytest.fixture
def keys():
    """Two editors' keys and a viewer's, each with its comment as authorized_keys shows it."""
    return {name: asyncssh.generate_private_key("ssh-ed25519", comment=f"{name}@consulting")
            for name in ("anna", "ben", "vic")}


@pytest.fixture
async def server(tmp_path: Path, keys):
    """`planner serve --ssh` on the merged layout as acme.toml: anna and ben edit, vic views."""
    authorized = (keys["anna"].export_public_key().decode() + keys["ben"].export_public_key().decode()
                  + 'role="viewer" ' + keys["vic"].export_public_key().decode())
    server = Server(tmp_path, authorized, dict(os.environ))
    await server.started()
    yield server
    server.stop()
    assert not server.left_behind(), "the server left planners running after it stopped"


async def join(server: Server, keys, name: str) -> Client:
    """Log in as `name` and open acme.toml from the start screen."""
    connection = await connect(server.port, keys[name])
    process = await connection.create_process(term_type="xterm-256color", term_size=(80, 24), encoding=None)
    client = Client(name, connection, process)
    await client.sees("acme.toml")
    client.press(b"\r")
    await client.sees("Jordan Blake")
    return client


def forget(*clients: Client) -> None:
    for client in clients:
        client.forget()


async def test_two_editors_and_a_viewer_share_one_plan_and_the_file_holds_every_edit_once(server, keys):
    expected = load_layout("merged")
    anna = await join(server, keys, "anna")
    await anna.sees("1 here · editing: you")
    ben = await join(server, keys, "ben")
    await ben.sees("2 here · editing: anna@consulting")
    ben.press(DOWN)  # ben looks at Kim Walsh; anna's edits must leave his cursor there

    forget(ben)
    anna.press(DOWN, DOWN, b"v")
    toggle_vacancy(expected, S, "sales-marketing-manager").apply(expected)
    await anna.sees("OPEN  Jordan Blake")
    await ben.sees("OPEN  Jordan Blake")
    assert not load(server.plans / "acme.toml").scenario().person("sales-marketing-manager").vacant

    vic = await join(server, keys, "vic")
    await vic.sees("OPEN  Jordan Blake")  # the room's plan, not the file's
    await vic.sees("3 here · editing: anna@consulting")

    ben.press(b"v")
    await ben.sees("anna@consulting holds the pen")
    forget(anna, vic)
    ben.press(b"P")
    await anna.sees("ben@consulting asks for the pen")
    forget(ben)
    anna.press(b"P")
    await ben.sees("3 here · editing: you")
    await vic.sees("3 here · editing: ben@consulting")

    forget(vic)
    ben.press(b"v")
    toggle_vacancy(expected, S, "operations-assistant").apply(expected)
    await vic.sees("OPEN  Kim Walsh")
    forget(vic)
    ben.press(CTRL_Z)
    await vic.sees("80% Kim Walsh")
    forget(vic)
    ben.press(CTRL_Y)
    await vic.sees("OPEN  Kim Walsh")

    forget(anna, vic)
    ben.press(CTRL_S)
    path = server.plans / "acme.toml"
    await server.wait_for(lambda: load(path).scenario().person("operations-assistant").vacant, "ben's save")
    assert path.read_bytes() == dumps(expected).encode("utf-8")
    await anna.sees("editing: ben@consulting │ acme.toml")  # saved: no "* " before the file name
    await vic.sees("editing: ben@consulting │ acme.toml")

    for client in (anna, ben, vic):
        client.press(CTRL_Q)
        await asyncio.wait_for(client.process.wait_closed(), SAFETY_NET)
        client.connection.close()
    assert path.read_bytes() == dumps(expected).encode("utf-8")
    assert not [p.name for p in server.plans.iterdir() if "recovery" in p.name]
    assert "Traceback" not in server.log


async def test_the_room_goes_on_when_the_holder_drops_mid_edit(server, keys):
    expected = load_layout("merged")
    anna = await join(server, keys, "anna")
    await anna.sees("1 here · editing: you")
    ben = await join(server, keys, "ben")
    await ben.sees("2 here · editing: anna@consulting")
    anna.press(DOWN, DOWN, b"v")
    toggle_vacancy(expected, S, "sales-marketing-manager").apply(expected)
    await ben.sees("OPEN  Jordan Blake")
    anna.press(b"e")
    await anna.sees("Edit Jordan Blake")
    forget(ben)
    anna.connection.abort()
    await ben.sees("1 here · editing: you")
    ben.press(CTRL_S)
    path = server.plans / "acme.toml"
    await server.wait_for(lambda: load(path).scenario().person("sales-marketing-manager").vacant, "ben's save")
    assert path.read_bytes() == dumps(expected).encode("utf-8")
    await server.wait_for(lambda: [p for p in server.plans.iterdir() if "recovery" in p.name],
                          "the dropped session's recovery file, as any hang-up leaves it")
    (recovery,) = [p for p in server.plans.iterdir() if "recovery" in p.name]
    assert read_recovery(recovery).scenario().person("sales-marketing-manager").vacant, "it holds anna's edit"
    ben.press(CTRL_Q)
    await asyncio.wait_for(ben.process.wait_closed(), SAFETY_NET)
    assert "Traceback" not in server.log


def socket_inodes(pid: int) -> dict[int, int]:
    """A process's open sockets: descriptor -> socket inode."""
    found = {}
    for descriptor in Path(f"/proc/{pid}/fd").iterdir():
        with contextlib.suppress(OSError):
            if (target := os.readlink(descriptor)).startswith("socket:["):
                found[int(descriptor.name)] = int(target[len("socket:["):-1])
    return found


def holders(inode: int) -> set[int]:
    """Every process on the machine that holds a socket."""
    found = set()
    for process in Path("/proc").iterdir():
        if process.name.isdigit():
            with contextlib.suppress(OSError):
                if inode in socket_inodes(int(process.name)).values():
                    found.add(int(process.name))
    return found


def unix_socket_paths() -> dict[int, str]:
    """Every Unix socket's inode -> the path or abstract name it is bound to ('' for none)."""
    paths = {}
    for line in Path("/proc/net/unix").read_text().splitlines()[1:]:
        fields = line.split()
        paths[int(fields[6])] = fields[7] if len(fields) > 7 else ""
    return paths


async def test_each_planner_reaches_its_room_through_a_nameless_socket_no_other_process_holds(server, keys):
    anna = await join(server, keys, "anna")
    vic = await join(server, keys, "vic")
    await anna.sees("2 here · editing: you")
    room_sockets = {}
    for pid in server.planners():
        environment = dict(entry.split("=", 1) for entry in
                           Path(f"/proc/{pid}/environ").read_text().split("\0") if "=" in entry)
        room_sockets[pid] = socket_inodes(pid)[int(environment[ROOM_FD_VARIABLE])]
    assert len(set(room_sockets.values())) == 2, "a socket of its own for each planner"
    paths = unix_socket_paths()
    for pid, inode in room_sockets.items():
        assert paths[inode] == "", "bound to no path nor abstract name: nothing to connect to"
        assert holders(inode) == {pid}, "only that planner holds its end"
    for client in (anna, vic):
        client.connection.close()
