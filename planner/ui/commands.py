"""The command palette: every action of the main screen, found by its name or what it does."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from planner.ui.screens.main import MainScreen


def _highlight(matcher, text: str) -> Content:
    """The matched letters of `text` in bold, without reading `text` as markup."""
    content = Content(text)
    _, offsets = matcher.fuzzy_search.match(matcher.query, text)
    for offset in offsets:
        content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class PlannerCommands(Provider):
    """One command per main-screen binding, titled by its description and explained by its tooltip.

    A match on the title outranks a match on the tooltip only.
    """

    def _commands(self) -> list[tuple[str, str, str]]:
        screen = self.screen
        if not isinstance(screen, MainScreen):
            return []
        return [(binding.description, binding.tooltip, binding.action) for binding in MainScreen.BINDINGS
                if binding.description and binding.tooltip]

    async def discover(self) -> Hits:
        for title, help_text, action in self._commands():
            yield DiscoveryHit(Content(title), partial(self.screen.run_action, action), text=title, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, action in self._commands():
            score = matcher.match(title) or matcher.match(help_text) / 2
            if score > 0:
                yield Hit(score, _highlight(matcher, title), partial(self.screen.run_action, action),
                          text=title, help=help_text)
