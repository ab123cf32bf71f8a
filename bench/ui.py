"""UI benchmarks: process CPU from a key press to the updated screen, and the longest event-loop stalls.

    python bench/ui.py                      # 1,000, 10,000 and 100,000 people (several minutes)
    python bench/ui.py --sizes 10000        # one size
    python bench/ui.py --json out.json      # figures as JSON too

Each action is driven headless with Pilot and costed in process CPU (every thread counts: a worker
that saves or writes the recovery file is charged to the action), minus a key bound to nothing
pressed the same way (the harness's own floor). Stalls are measured by a probe that sleeps 10 ms
in the app's event loop and records how late it wakes. bench/run.py calls these functions too.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
import tomllib
from collections import defaultdict
from collections.abc import Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout's planner, not an installed copy

from planner.model import Org, Person, Plan
from planner.storage import save

SIZES = (1_000, 10_000, 100_000)  # 1,000 people: no target, the part of each figure that does not grow with the plan
SCREEN = (120, 40)
NO_OP_KEY = "f12"
PROBE_SECONDS = 0.01
SETTLE_SECONDS = 3.0
ACTIONS = ("vacancy", "rename", "move", "undo", "redo", "team view")
EXTRAS = ("open the move picker",)
DEEP_LAYERS = 800
EAGER_FLOOR_UP_TO = 10_000
TARGET_MS = {10_000: 50, 100_000: 150}
STALL_TARGET_MS = 100


class LoopLagProbe:
    """A task that sleeps 10 ms again and again in the app's loop and keeps the longest lateness seen."""

    def __init__(self) -> None:
        self.longest = 0.0
        self._task: asyncio.Task | None = None

    async def _run(self) -> None:
        while True:
            started = time.perf_counter()
            await asyncio.sleep(PROBE_SECONDS)
            self.longest = max(self.longest, time.perf_counter() - started - PROBE_SECONDS)

    def start(self) -> None:
        """Start probing (from now on, `longest` is the worst stall)."""
        self.longest = 0.0
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> float:
        """Stop probing; the longest stall in seconds."""
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        return self.longest


async def cpu_of(step: Callable[[], Awaitable[object]]) -> float:
    """Process CPU seconds (all threads) a step takes, until the app is idle again."""
    started = time.process_time()
    await step()
    return time.process_time() - started


def lazy_tree_app(path: Path):
    """The lazy floor: a bare Textual app that parses the plan file and shows its top two levels."""
    from textual.app import App
    from textual.widgets import Tree

    class Lazy(App):
        def compose(self):
            data = tomllib.loads(path.read_text(encoding="utf-8"))
            people = data["people"] if "people" in data else data["scenarios"][0]["people"]
            reports: dict[str | None, list[dict]] = defaultdict(list)
            for person in people:
                reports[person.get("manager")].append(person)
            tree: Tree[None] = Tree("Org")
            for top in reports[None]:
                node = tree.root.add(top["name"], expand=True)
                for report in reports[top["id"]]:
                    node.add(report["name"], allow_expand=report["id"] in reports)
            tree.root.expand()
            yield tree

    return Lazy()


def bench_floors(plan: Plan, folder: Path, runs: int) -> dict:
    """UI ready for the planner, beside a lazy floor (top two levels) and, up to 10,000, an eager one (every node).

    Medians of CPU time, the runs of the three interleaved so all see the same machine.
    """
    from bench.run import bare_tree_app, ui_ready_seconds
    from planner.ui.app import make_app

    path = folder / "floor.toml"
    save(plan, path)
    people = len(plan.scenario())
    apps = {"ui_ready_s": lambda: make_app(path, saves=folder), "ui_floor_lazy_s": lambda: lazy_tree_app(path)}
    if people <= EAGER_FLOOR_UP_TO:
        apps["ui_floor_eager_s"] = lambda: bare_tree_app(people)
    samples: dict[str, list[float]] = defaultdict(list)
    for _ in range(runs):
        for key, make in apps.items():
            samples[key].append(ui_ready_seconds(make))
    return {key: statistics.median(values) for key, values in samples.items()}


def deep_plan(layers: int = DEEP_LAYERS) -> Plan:
    """An org as deep as an imported one can be: a chain of managers, each with one report beside the next."""
    org = Org()
    for layer in range(layers):
        org.put(Person(f"m{layer}", f"Manager {layer}", "Lead", roles=("sales-manager",) if layer else ("owner",)))
        org.set_manager(f"m{layer}", f"m{layer - 1}" if layer else None)
        org.put(Person(f"r{layer}", f"Rep {layer}", "Representative", roles=("sales-rep",)))
        org.set_manager(f"r{layer}", f"m{layer}")
    return Plan(f"{layers} layers", scenarios={"current": org})


async def _measure_deep(path: Path, folder: Path, runs: int) -> dict:
    """CPU of an edit at the bottom of a deep org (a vacancy toggle), minus the no-op key."""
    samples: dict[str, list[float]] = defaultdict(list)
    async with running_app(path, folder) as (app, pilot):
        app.main_screen.go_to(f"r{DEEP_LAYERS - 1}")
        await pilot.pause()
        for _ in range(runs):
            for name, key in (("no-op", NO_OP_KEY), ("deep", "v")):
                samples[name].append(await cpu_of(lambda key=key: _press(pilot, key)))
    return {"deep_edit_ms": max(0.0, statistics.median(samples["deep"]) - statistics.median(samples["no-op"])) * 1000}


def bench_deep(folder: Path, runs: int) -> dict:
    """Key press to updated screen for an edit 800 layers down."""
    path = folder / "deep.toml"
    save(deep_plan(), path)
    return asyncio.run(_measure_deep(path, folder, runs))


async def _press(pilot, *keys: str) -> None:
    """Press keys and wait until the app is idle again."""
    await pilot.press(*keys)
    await pilot.pause()


def _pick_people(plan: Plan) -> tuple[str, str, str]:
    """A team lead in the middle of the org, their manager, and another manager to move them to."""
    org = plan.scenario()
    order = org.tree_order()
    managers = [pid for pid in order if org.span(pid) > 0 and org.manager_of(pid) is not None]
    lead = managers[len(managers) // 2]
    target = next(pid for pid in reversed(managers) if pid != org.manager_of(lead) and lead not in
                  org.chain_of_command(pid) and pid != lead)
    return lead, org.manager_of(lead), target


@asynccontextmanager
async def running_app(path: Path, folder: Path):
    """The planner on a plan file, headless, with its first screen drawn."""
    from planner.ui.app import make_app

    app = make_app(path, saves=folder)
    async with app.run_test(size=SCREEN) as pilot:
        await pilot.pause()
        yield app, pilot


async def _stall_after(pilot, probe: LoopLagProbe, seconds: float) -> float:
    """The longest stall while the app runs on its own for `seconds` (timers, workers, recovery writes)."""
    probe.start()
    await asyncio.sleep(seconds)
    await pilot.pause()
    return await probe.stop()


async def _measure_actions(path: Path, folder: Path, plan: Plan, runs: int) -> dict:
    """CPU per action (median of `runs`, minus the no-op key), and the stalls after an edit and during a save."""
    lead, _, target = _pick_people(plan)
    target_name = plan.scenario().person(target).name
    samples: dict[str, list[float]] = defaultdict(list)
    probe = LoopLagProbe()
    stalls: dict[str, float] = {}
    async with running_app(path, folder) as (app, pilot):
        main = app.main_screen

        async def press(*keys: str) -> None:
            await _press(pilot, *keys)

        async def dialog(open_keys: tuple[str, ...], typed: str) -> float:
            """Open a dialog and type into it (not costed), then cost the enter that applies it."""
            await press(*open_keys)
            await pilot.press(*typed)
            await pilot.pause()
            return await cpu_of(lambda: press("enter"))

        for run in range(runs):
            main.go_to(lead)
            await pilot.pause()
            samples["no-op"].append(await cpu_of(lambda: press(NO_OP_KEY)))
            samples["vacancy"].append(await cpu_of(lambda: press("v")))
            if run == 0:
                stalls["after an edit"] = await _stall_after(pilot, probe, SETTLE_SECONDS)
            samples["rename"].append(await dialog(("e",), f" {run}"))
            samples["open the move picker"].append(await cpu_of(lambda: press("m")))
            await press("escape")
            samples["move"].append(await dialog(("m",), target_name))
            samples["undo"].append(await cpu_of(lambda: press("ctrl+z")))
            samples["redo"].append(await cpu_of(lambda: press("ctrl+y")))
            samples["team view"].append(await cpu_of(lambda: press("t")))
            await press("t")
            await press("ctrl+z", "ctrl+z", "ctrl+z")
        await press("v")
        probe.start()
        saving = time.perf_counter()
        await pilot.press("ctrl+s")
        while app.session.dirty:
            await asyncio.sleep(0.05)
        stalls["save_s"] = time.perf_counter() - saving
        stalls["during a save"] = await probe.stop()
    floor = statistics.median(samples["no-op"])
    figures = {f"{action}_ms": max(0.0, statistics.median(samples[action]) - floor) * 1000
               for action in (*ACTIONS, *EXTRAS)}
    figures["no-op_ms"] = floor * 1000
    figures["stall_after_edit_ms"] = stalls["after an edit"] * 1000
    figures["stall_during_save_ms"] = stalls["during a save"] * 1000
    figures["save_wall_s"] = stalls["save_s"]
    return figures


def bench_actions(plan: Plan, folder: Path, runs: int) -> dict:
    """Key press to updated screen per action, and the longest stalls, on `plan` saved in `folder`."""
    path = folder / "actions.toml"
    save(plan, path)
    return asyncio.run(_measure_actions(path, folder, plan, runs))


def format_rows(people: int, figures: dict) -> list[str]:
    """The figures of one size as table rows: value, target, met."""
    target = TARGET_MS.get(people)
    rows = []
    for action in ACTIONS:
        value = figures[f"{action}_ms"]
        met = "" if target is None else f" (target {target} ms: {'yes' if value <= target else 'no'})"
        rows.append(f"{people:>7} people  {action:<24} {value:8.1f} ms CPU{met}")
    rows += [f"{people:>7} people  {extra:<24} {figures[f'{extra}_ms']:8.1f} ms CPU (no target)" for extra in EXTRAS]
    for name, key in (("stall after an edit", "stall_after_edit_ms"), ("stall during a save", "stall_during_save_ms")):
        value = figures[key]
        met = "" if target is None else (f" (target {STALL_TARGET_MS} ms: "
                                         f"{'yes' if value <= STALL_TARGET_MS else 'no'})")
        rows.append(f"{people:>7} people  {name:<24} {value:8.1f} ms{met}")
    rows.append(f"{people:>7} people  {'save (wall, in a worker)':<24} {figures['save_wall_s']:8.2f} s")
    if "ui_ready_s" in figures:
        eager = f"eager floor {figures['ui_floor_eager_s']:.2f} s, " if "ui_floor_eager_s" in figures else ""
        rows.append(f"{people:>7} people  {'ui ready':<24} {figures['ui_ready_s']:8.2f} s "
                    f"({eager}lazy floor {figures['ui_floor_lazy_s']:.2f} s)")
    return rows


def run(sizes: tuple[int, ...], runs: int, floors: bool) -> dict:
    """Every UI figure for every size, printed as it comes."""
    from bench.run import generate

    results: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        for people in sizes:
            plan = generate(people)
            figures = bench_actions(plan, Path(tmp), runs)
            if floors:
                figures |= bench_floors(plan, Path(tmp), max(1, runs // 2))
            results[str(people)] = figures
            print("\n".join(format_rows(people, figures)), flush=True)
        results["deep"] = bench_deep(Path(tmp), runs)
        print(f"{DEEP_LAYERS} layers   an edit at the bottom    {results['deep']['deep_edit_ms']:8.1f} ms CPU",
              flush=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES), help="plan sizes in people")
    parser.add_argument("--runs", type=int, default=5, help="runs per action; the median is reported")
    parser.add_argument("--no-floors", action="store_true", help="skip the UI-ready figures and their floors")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    results = run(tuple(args.sizes), args.runs, not args.no_floors)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
