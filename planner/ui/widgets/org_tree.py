"""The org as a tree: one node per loaded person, children added only when a node opens."""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from planner.analysis import Analysis
from planner.model.org import Org
from planner.ui.labels import person_label

AUTO_OPEN_LIMIT = 200
# Textual lays out open nodes recursively, so the tree shows at most this many levels below its top;
# going deeper makes an ancestor halfway up the top (as focusing on a team does).
DEEPEST_SHOWN = 64


class OrgTree(Tree[str]):
    """People by reporting line; node data is the person's id."""

    BINDINGS = [
        Binding("left", "collapse_or_parent", "Collapse", show=False, id="tree.collapse"),
        Binding("right", "expand_node", "Expand", show=False, id="tree.expand"),
    ]

    @dataclass
    class PersonHighlighted(Message):
        """The cursor moved onto a person."""

        person_id: str

    @dataclass
    class SubtreeShown(Message):
        """The tree now shows only one person's team, or everyone again (None)."""

        person_id: str | None

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(Text("Org"), id=id)
        self.show_root = False
        self.guide_depth = 3
        self._person_nodes: dict[str, TreeNode[str]] = {}
        self._open_ids: set[str] = set()
        self._org: Org | None = None
        self._analysis: Analysis | None = None
        self._shape_version = -1
        self._version = -1
        self.subtree_root: str | None = None

    def get_label_width(self, node: TreeNode[str]) -> int:
        """The cells of a node's label and its open/closed icon, without rendering it (Tree measures every line)."""
        icon = (self.ICON_NODE_EXPANDED if node.is_expanded else self.ICON_NODE) if node.allow_expand else ""
        return cell_len(icon) + node.label.cell_len

    @property
    def person_id(self) -> str | None:
        """The id of the person under the cursor."""
        node = self.cursor_node
        return node.data if node is not None and node.data is not None else None

    def show(self, org: Org, analysis: Analysis) -> None:
        """Show the scenario: relabel only the people whose result changed, refill only the teams that changed."""
        previous = self._analysis if org is self._org else None
        reshaped = org is self._org and org.shape_version != self._shape_version
        touched = org.changed_since(self._version) if reshaped else None
        self._org, self._analysis = org, analysis
        self._shape_version, self._version = org.shape_version, org.version
        if previous is None:
            self._rebuild()
            return
        if reshaped:
            self._reshape(touched)
        self._relabel(previous)

    def _relabel(self, previous: Analysis) -> None:
        """Relabel the loaded people whose result is new (the analysis shares a result while its inputs stay)."""
        results, before = self._analysis.people, previous.people
        for person_id, node in self._person_nodes.items():
            result = results[person_id]
            if before.get(person_id) is not result:
                node.set_label(person_label(result))

    def _reshape(self, touched: set[str] | None) -> None:
        """Follow changed reporting lines: in each loaded team that changed, drop who left and add who came.

        Only the teams of the people the org's journal names (`touched`) can have changed; None: any may have.
        """
        org = self._org
        if self.subtree_root is not None and self.subtree_root not in org:
            self._rebuild()
            return
        cursor = self.person_id
        if touched is None:
            self._reshape_everything()
        else:
            self._reshape_teams(touched)
        if cursor in org:
            self.select_person(cursor)

    def _top_team(self) -> list[str]:
        """Who is shown at the top: the focused person, or everyone without a manager."""
        return [self.subtree_root] if self.subtree_root else self._org.roots()

    def _reshape_everything(self) -> None:
        """Compare every loaded team with the org, top down."""
        org = self._org
        teams = [(self.root, self._top_team())]
        while teams:
            parent, members = teams.pop()
            self._refill_if_changed(parent, members)
            for child in parent.children:
                self._follow_span(child)
                if child.children:
                    teams.append((child, org.reports(child.data)))

    def _reshape_teams(self, touched: set[str]) -> None:
        """Compare the loaded teams of the people touched (and the top, when one of them is or was there)."""
        org, root = self._org, self.root
        at_top = any(person_id in org and org.manager_of(person_id) is None for person_id in touched)
        if self.subtree_root is None and (at_top or any(node.parent is root for node in self._nodes_of(touched))):
            self._refill_if_changed(root, self._top_team())
        for person_id in touched:
            node = self._person_nodes.get(person_id)
            if node is not None and person_id in org:
                self._follow_span(node)
                if node.children:
                    self._refill_if_changed(node, org.reports(person_id))

    def _nodes_of(self, person_ids: set[str]) -> list[TreeNode[str]]:
        """The loaded nodes of these people."""
        return [node for person_id in person_ids if (node := self._person_nodes.get(person_id)) is not None]

    def _refill_if_changed(self, parent: TreeNode[str], members: list[str]) -> None:
        """Refill a team whose members (or their order) are not these."""
        if [child.data for child in parent.children] != members:
            self._refill(parent, members)

    def _follow_span(self, node: TreeNode[str]) -> None:
        """Let a node open exactly when the person has reports."""
        if node.allow_expand != (self._org.span(node.data) > 0):
            node.allow_expand = not node.allow_expand

    def _refill(self, parent: TreeNode[str], members: list[str]) -> None:
        """Make a team's nodes these members, in order: the staying keep their node (and what is open below it)."""
        staying = set(members)
        for child in list(parent.children):
            if child.data not in staying:
                self._forget(child)
                child.remove()
        shown = {child.data for child in parent.children}
        for index, person_id in enumerate(members):
            if person_id not in shown:
                self._open_known([self._add(parent, person_id, before=index)], first_time=False)

    def _forget(self, node: TreeNode[str]) -> None:
        """Forget a node and the loaded nodes below it (a person already shown elsewhere keeps that node)."""
        dropped = [node]
        while dropped:
            node = dropped.pop()
            if self._person_nodes.get(node.data) is node:
                del self._person_nodes[node.data]
            dropped.extend(node.children)

    def _rebuild(self, keep_cursor: bool = True) -> None:
        org = self._org
        cursor = self.person_id
        if self.subtree_root is not None and self.subtree_root not in org:
            self._root_at(None)
        first_time = not self._person_nodes
        self.clear()
        self._person_nodes = {}
        tops = [self.subtree_root] if self.subtree_root else org.roots()
        for person_id in tops:
            self._add(self.root, person_id)
        self._open_known(list(self._person_nodes.values()), first_time)
        if keep_cursor and cursor in org:
            self.select_person(cursor)
        elif tops:
            self.cursor_line = 0

    def _add(self, parent: TreeNode[str], person_id: str, before: int | None = None) -> TreeNode[str]:
        node = parent.add(person_label(self._analysis.people[person_id]), data=person_id, before=before,
                          allow_expand=self._org.span(person_id) > 0)
        self._person_nodes[person_id] = node
        return node

    def _load_children(self, node: TreeNode[str]) -> None:
        if node.children or node.data is None:
            return
        for report in self._org.reports(node.data):
            self._add(node, report)

    def _open_known(self, nodes: list[TreeNode[str]], first_time: bool) -> None:
        """Reopen the nodes given (and below) that were open; on first show, open the top levels while small."""
        queue = [(node, _depth(node)) for node in nodes]
        budget = AUTO_OPEN_LIMIT
        while queue:
            node, depth = queue.pop(0)
            should_open = node.data in self._open_ids or (first_time and budget > 0 and node.allow_expand)
            if should_open and depth < DEEPEST_SHOWN:
                budget -= self._org.span(node.data)
                self._load_children(node)
                node.expand()
                queue.extend((child, depth + 1) for child in node.children)

    def select_person(self, person_id: str) -> None:
        """Open the path to a person and put the cursor on them."""
        if person_id not in self._org:
            return
        chain = [person_id, *self._org.chain_of_command(person_id)]
        shown = chain[:chain.index(self.subtree_root) + 1] if self.subtree_root in chain else chain
        if len(shown) > DEEPEST_SHOWN:
            self._show_from_halfway(chain)
        elif self.subtree_root is not None and self.subtree_root not in chain:
            self._root_at(None)
            self._rebuild()
        for ancestor in reversed(chain[1:]):
            node = self._person_nodes.get(ancestor)
            if node is not None:
                self._load_children(node)
                if not node.is_expanded:
                    node.expand()
        node = self._person_nodes.get(person_id)
        if node is not None:
            # Tree numbers its lines lazily: reading last_line renumbers them after the expansions above,
            # so the cursor lands now and keys that arrive in the same burst act on this person.
            self.last_line  # noqa: B018
            line = self.cursor_line
            self.move_cursor(node)
            if self.cursor_line == line:
                # Tree tells of a highlight only when the line changes: after an edit another person can
                # stand on the same line, and the panel must follow them.
                self.post_message(self.PersonHighlighted(person_id))

    @property
    def open_ids(self) -> frozenset[str]:
        """The people whose teams are open."""
        return frozenset(self._open_ids)

    def show_open(self, person_ids: set[str]) -> None:
        """Open exactly these people's teams (those under a closed team open when it does)."""
        if person_ids == self._open_ids:
            return
        for person_id, node in self._person_nodes.items():
            if node.is_expanded and person_id not in person_ids:
                node.collapse()
        self._open_ids = set(person_ids)
        self._open_known(list(self._person_nodes.values()), first_time=False)

    def open_team(self, person_id: str) -> None:
        """Put the cursor on a person and open their team."""
        self.select_person(person_id)
        node = self._person_nodes.get(person_id)
        if node is not None and node.allow_expand:
            self._load_children(node)
            node.expand()

    def set_subtree_root(self, person_id: str | None) -> None:
        """Show only one person's subtree (None: the whole org)."""
        self._root_at(person_id)
        self._rebuild()
        if person_id is not None:
            self.select_person(person_id)

    def _root_at(self, person_id: str | None) -> None:
        if person_id != self.subtree_root:
            self.subtree_root = person_id
            self.post_message(self.SubtreeShown(person_id))

    @on(Tree.NodeExpanded)
    def _expanded(self, event: Tree.NodeExpanded) -> None:
        self._load_children(event.node)
        if event.node.data is not None:
            self._open_ids.add(event.node.data)
            if _depth(event.node) >= DEEPEST_SHOWN:
                self._show_from_halfway([event.node.data, *self._org.chain_of_command(event.node.data)])
                self.select_person(event.node.data)

    def _show_from_halfway(self, chain: list[str]) -> None:
        """Show the tree from halfway up a chain of command (the person first) that is too deep to show whole."""
        self._root_at(chain[DEEPEST_SHOWN // 2])
        self._rebuild(keep_cursor=False)

    @on(Tree.NodeCollapsed)
    def _collapsed(self, event: Tree.NodeCollapsed) -> None:
        self._open_ids.discard(event.node.data)

    @on(Tree.NodeHighlighted)
    def _highlighted(self, event: Tree.NodeHighlighted) -> None:
        if event.node.data is not None:
            self.post_message(self.PersonHighlighted(event.node.data))

    def action_collapse_or_parent(self) -> None:
        """Collapse the node, or go to its parent when already collapsed."""
        node = self.cursor_node
        if node is None:
            return
        if node.is_expanded:
            node.collapse()
        elif node.parent is not None and node.parent is not self.root:
            self.move_cursor(node.parent)

    def action_expand_node(self) -> None:
        """Open the node under the cursor."""
        node = self.cursor_node
        if node is not None and node.allow_expand:
            self._load_children(node)
            node.expand()


def _depth(node: TreeNode[str]) -> int:
    """How many levels below the top of the tree a node is (1: a person at the top)."""
    depth = 0
    while node.parent is not None:
        node, depth = node.parent, depth + 1
    return depth
