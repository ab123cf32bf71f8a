"""Serving the planner to remote clients: over SSH (asyncssh) or to a browser (textual-serve)."""
