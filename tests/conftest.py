"""Shared fixtures: paths to the shared folder and starter plans, and isolation from the user's files."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App

from planner.model import Plan
from planner.storage import save
from planner.storage.layouts import load_layout

from .ui_apps import HeldSaves

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(autouse=True)
def _isolate_home(tmp_path_factory, monkeypatch):
    """Keep tests out of the user's home and the repo's saves/."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))


@pytest.fixture
def separate() -> Plan:
    """The separate starter layout."""
    return load_layout("separate")


@pytest.fixture
def merged() -> Plan:
    """The merged starter layout."""
    return load_layout("merged")


@pytest.fixture
def growing() -> Plan:
    """The growing starter layout."""
    return load_layout("growing")


@pytest.fixture
def plan_file(tmp_path: Path) -> Path:
    """The merged layout saved as a user's plan."""
    path = tmp_path / "acme.toml"
    save(load_layout("merged"), path)
    return path


@pytest.fixture(autouse=True)
def _keep_notifications(monkeypatch):
    """Toasts vanish after a few seconds; on a busy machine a test must still find the ones it checks."""
    notify = App.notify

    def notify_for_good(self, message, **options):
        return notify(self, message, **{**options, "timeout": 24 * 3600})

    monkeypatch.setattr(App, "notify", notify_for_good)


@pytest.fixture
def held_saves(monkeypatch) -> HeldSaves:
    """Every save of the app waits in its worker until the test sets `release`."""
    return HeldSaves(monkeypatch)
