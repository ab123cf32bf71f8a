"""`planner serve --web`: the planner in a browser through textual-serve, bound to localhost."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

from planner.model.errors import PlanError


def serve_web(plans: Path, host: str, port: int) -> None:
    """Serve the planner on http://host:port until interrupted. No authentication: keep it behind a tunnel."""
    try:
        from textual_serve.server import Server
    except ImportError:
        raise PlanError("textual-serve is not installed", "pip install 'org-planner[web]'") from None
    command = " ".join(shlex.quote(part) for part in
                       (sys.executable, "-m", "planner", "--saves", str(plans.resolve()), "--confine"))
    Server(command, host=host, port=port, title="Org Planner").serve()
