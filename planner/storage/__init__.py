"""Plan files: the TOML format, safe saving, and the starter layouts."""

from planner.storage.codec import SCHEMA_VERSION, dumps, loads
from planner.storage.files import load, save

__all__ = ["SCHEMA_VERSION", "dumps", "load", "loads", "save"]
