"""The authorized_keys file of `planner serve`: one public key a line, with an optional role option."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import asyncssh

from planner.model.errors import PlanError
from planner.model.text import clean_line

ROLES = ("editor", "viewer")
MAX_COMMENT = 40


@dataclass(frozen=True)
class Client:
    """A key allowed in, and what its holder may do."""

    key: asyncssh.SSHKey
    role: str
    comment: str = ""

    @property
    def fingerprint(self) -> str:
        """The key's SHA256 fingerprint, as `ssh-keygen -l` shows it."""
        return self.key.get_fingerprint()

    @property
    def name(self) -> str:
        """What others in a room see: the key's comment (anna@consulting), or the start of its fingerprint."""
        return self.comment or f"{self.role} {self.fingerprint.removeprefix('SHA256:')[:8]}"


def _role_of(options: str, line: int, path: Path) -> str:
    role = "editor"
    for option in filter(None, (part.strip() for part in options.split(","))):
        name, _, value = option.partition("=")
        if name == "role":
            role = value.strip('"')
        elif name not in ("restrict", "no-pty"):
            raise PlanError(f"{path}:{line}: unknown option {name!r}", 'use role="viewer" or role="editor"')
    if role not in ROLES:
        raise PlanError(f"{path}:{line}: unknown role {role!r}", 'use role="viewer" or role="editor"')
    return role


def _client_of(text: str, line: int, path: Path) -> Client:
    options, key_text = "", text
    if not text.startswith(("ssh-", "ecdsa-", "sk-")):
        options, _, key_text = text.partition(" ")
    try:
        key = asyncssh.import_public_key(key_text)
    except (asyncssh.KeyImportError, ValueError):
        raise PlanError(f"{path}:{line}: not a public key", "paste the client's .pub file as one line") from None
    comment = clean_line(key.get_comment() or "").strip()[:MAX_COMMENT]
    return Client(key, _role_of(options, line, path), comment)


def load_clients(path: Path) -> list[Client]:
    """Every key in the file with its role (editor unless `role="viewer"` stands before the key), each key once."""
    try:
        lines = path.read_text().splitlines()
    except OSError as error:
        raise PlanError(f"cannot read {path}: {error.strerror}", "give the path of an authorized_keys file") from None
    clients: dict[bytes, tuple[int, Client]] = {}
    for number, text in enumerate(lines, start=1):
        text = text.strip()
        if not text or text.startswith("#"):
            continue
        client = _client_of(text, number, path)
        first_line, first = clients.setdefault(client.key.public_data, (number, client))
        if first.role != client.role:
            raise PlanError(f"{path}:{number}: this key is already on line {first_line} as {first.role}, "
                            f"here as {client.role}", "keep one line per key, with the role it should have")
    return [client for _, client in clients.values()]
