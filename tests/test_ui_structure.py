"""The code behind the screens keeps its shape: files that read in one sitting, a typed way to the app, one dialog look."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import textual.app

import planner.ui.screens
from planner.ui.screens import assign, dialogs, forms, help, person_form, picker, whatif
from planner.ui.screens.dialogs import Dialog
from planner.ui.screens.main import MainScreen

SCREENS = Path(planner.ui.screens.__file__).parent
LONGEST = 300  # lines: a screen module reads in one sitting
DIALOG_LOOK = ("align: center middle", "border:", ".dialog-title", ".dialog-buttons", ".form-error")


def _app_attributes(path: Path) -> set[str]:
    """Every `self.app.NAME` a module reads."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute)
                and node.value.attr == "app" and isinstance(node.value.value, ast.Name) and node.value.value.id == "self"):
            names.add(node.attr)
    return names


def test_screen_modules_read_in_one_sitting():
    for path in SCREENS.glob("*.py"):
        assert len(path.read_text(encoding="utf-8").splitlines()) <= LONGEST, path.name


def test_screens_reach_the_planners_own_methods_through_the_typed_handle():
    for path in SCREENS.glob("*.py"):
        own = {name for name in _app_attributes(path) if not hasattr(textual.app.App, name)}
        assert not own, f"{path.name} reaches the planner through untyped self.app: {sorted(own)}; use self.planner"


def test_the_dialogs_look_is_written_once_on_the_dialog_base():
    for module in (dialogs, forms, help, picker, whatif, person_form, assign):
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Dialog) and cls is not Dialog:
                own_css = cls.__dict__.get("DEFAULT_CSS", "")
                assert not any(rule in own_css for rule in DIALOG_LOOK), f"{cls.__name__} repeats the dialog look"


def test_nothing_shadows_textuals_names():
    assert not hasattr(dialogs, "Message") and hasattr(dialogs, "Notice")  # textual.message.Message
    ours = [cls for cls in MainScreen.__mro__ if cls.__module__.startswith("planner.")]
    assert not any("tree" in vars(cls) for cls in ours), "MainScreen hides Textual's DOMNode.tree"
