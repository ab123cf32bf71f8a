"""Benchmarks: each figure is the median of several runs beside a floor measured in the same run.

    python bench/run.py            # 1,000, 10,000 and 100,000 people (a few minutes)
    python bench/run.py --quick    # 1,000 people only: the CI smoke run; it asserts nothing about time
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import tomli_w

from planner.analysis.handoff import hand_off
from planner.analysis.report import analyse
from planner.model import Org, Person, Plan
from planner.model.edits import MovePerson, update_person
from planner.storage import load, save
from planner.storage.codec import to_data
from planner.ui.session import Session

SIZES = (1_000, 10_000, 100_000)
HEADS = (("sales", "sales-manager", "sales-rep"), ("marketing", "marketing-manager", "marketing-executive"),
         ("operations", "operations-assistant", "operations-assistant"))


def generate(people: int, seed: int = 20261127) -> Plan:
    """A deterministic org: an owner, three functions, spans of 3-12 over several layers, vacancies, dotted lines.

    The head of operations doubles as sales and marketing manager: one merged role, as in a real business.
    """
    rng = random.Random(seed)
    org = Org()
    org.put(Person("p0", "Owner 0", "Owner", roles=("owner",)))
    frontier: list[tuple[str, int]] = []
    for index, (function, manager_role, _) in enumerate(HEADS, start=1):
        roles = ("sales-marketing-manager",) if function == "operations" else (manager_role,)
        org.put(Person(f"p{index}", f"Head {index}", f"Head of {function}", roles=roles))
        org.set_manager(f"p{index}", "p0")
        frontier.append((f"p{index}", index - 1))
    count = len(HEADS) + 1
    while count < people:
        manager, head = frontier.pop(0)
        _, manager_role, member_role = HEADS[head]
        for _ in range(min(rng.randint(3, 12), people - count)):
            person_id = f"p{count}"
            leads = rng.random() < 0.25
            org.put(Person(
                person_id, f"Person {count}", "Team lead" if leads else "Team member",
                roles=(manager_role if leads else member_role,), vacant=rng.random() < 0.02,
                capacity_hours=rng.choice((None, None, None, 32.0, 37.5)),
            ))
            org.set_manager(person_id, manager)
            if leads:
                frontier.append((person_id, head))
            count += 1
        if not frontier:
            frontier.append((f"p{count - 1}", head))
    ids = list(org)
    for person_id in rng.sample(ids[4:], max(1, people // 100)):
        candidate = rng.choice(ids[:4])
        if candidate not in (person_id, org.manager_of(person_id)):
            org.put(replace(org.person(person_id), dotted_managers=(candidate,)))
    return Plan(f"Generated {people}", scenarios={"current": org})


def median_seconds(task: Callable[[], object], runs: int) -> float:
    """The median wall time of `runs` calls."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        task()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def bench_files(plan: Plan, folder: Path, runs: int) -> dict:
    """Open and verified save, each against its floor."""
    path = folder / "plan.toml"
    save(plan, path)
    text = path.read_text()
    data = to_data(plan)
    return {
        "open_s": median_seconds(lambda: load(path), runs),
        "open_floor_s": median_seconds(lambda: tomllib.loads(path.read_text()), runs),
        "save_s": median_seconds(lambda: save(plan, path), runs),
        "save_floor_s": median_seconds(lambda: tomllib.loads(tomli_w.dumps(data)), runs),
        "file_mb": len(text.encode()) / 1e6,
    }


def bench_update(plan: Plan, runs: int) -> dict:
    """What the UI recomputes after one edit: apply it and analyse again (warm cache)."""
    session = Session(plan)
    session.analysis
    target = sorted(plan.scenario())[len(plan.scenario()) // 2]
    managers = [pid for pid in plan.scenario() if plan.scenario().span(pid) > 0]
    flips = iter(range(10**9))

    def rename() -> None:
        session.apply(update_person(plan, "current", target, name=f"Renamed {next(flips)}"))
        session.analysis

    def move() -> None:
        session.apply(MovePerson("current", target, managers[next(flips) % len(managers)]))
        session.analysis

    return {"update_rename_s": median_seconds(rename, runs * 3), "update_move_s": median_seconds(move, runs * 3)}


def ui_ready_seconds(make_app: Callable[[], object], runs: int) -> float:
    """Median time from creating an app to its first screen drawn, headless."""

    async def once() -> None:
        app = make_app()
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()

    return median_seconds(lambda: asyncio.run(once()), runs)


def bare_tree_app(people: int):
    """The floor: a bare Textual app showing a tree of `people` nodes."""
    from textual.app import App
    from textual.widgets import Tree

    class Bare(App):
        def compose(self):
            tree: Tree[None] = Tree("Org")
            node = tree.root
            for index in range(people):
                if index % 10 == 0:
                    node = tree.root.add(f"Manager {index}", expand=True)
                node.add_leaf(f"Person {index}")
            tree.root.expand()
            yield tree

    return Bare()


def bench_ui(plan: Plan, folder: Path, runs: int) -> dict:
    """The planner's first screen on a plan file against a bare tree of the same size."""
    from planner.ui.app import make_app

    path = folder / "ui.toml"
    save(plan, path)
    people = len(plan.scenario())
    return {
        "ui_ready_s": ui_ready_seconds(lambda: make_app(path, saves=folder), runs),
        "ui_floor_s": ui_ready_seconds(lambda: bare_tree_app(people), runs),
    }


def peak_memory_mb(people: int) -> float:
    """Peak resident memory of a fresh process that opens and analyses a plan of this size."""
    code = (
        "import resource, sys, tempfile, pathlib\n"
        "sys.path.insert(0, %r)\n"
        "from bench.run import generate\n"
        "from planner.storage import save, load\n"
        "from planner.analysis import analyse\n"
        "folder = pathlib.Path(tempfile.mkdtemp())\n"
        "save(generate(%d), folder / 'p.toml')\n"
        "import gc; gc.collect()\n"
        "plan = load(folder / 'p.toml')\n"
        "analysis = analyse(plan)\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    ) % (str(Path(__file__).resolve().parents[1]), people)
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return int(output.split()[-1]) / 1024


def run(sizes: tuple[int, ...], runs: int) -> dict:
    """Every figure for every size."""
    results: dict = {"machine": f"{platform.machine()}, {platform.python_implementation()} "
                                f"{platform.python_version()}, {platform.system()}"}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for people in sizes:
            plan = generate(people)
            figures: dict = {"people": people}
            figures |= bench_files(plan, folder, runs)
            figures["analysis_s"] = median_seconds(lambda: analyse(plan), runs)
            if people <= 10_000:
                analysis = analyse(plan)
                figures["advise_s"] = median_seconds(lambda: hand_off(plan, analysis), runs)
                figures |= bench_update(generate(people), runs)
                figures |= bench_ui(plan, folder, runs)
            if people == max(sizes):
                figures["peak_memory_mb"] = peak_memory_mb(people)
            results[str(people)] = figures
            print(format_row(figures), flush=True)
    return results


def format_row(figures: dict) -> str:
    """One size's figures on one line, ratios beside their floors."""
    parts = [f"{figures['people']:>7} people", f"open {figures['open_s']:.3f}s ({figures['open_s'] / figures['open_floor_s']:.2f}x tomllib)",
             f"save {figures['save_s']:.3f}s ({figures['save_s'] / figures['save_floor_s']:.2f}x dumps+loads)",
             f"analysis {figures['analysis_s']:.3f}s"]
    if "advise_s" in figures:
        parts.append(f"advise {figures['advise_s']:.3f}s")
    if "update_move_s" in figures:
        parts.append(f"update {figures['update_rename_s'] * 1000:.1f}/{figures['update_move_s'] * 1000:.1f}ms")
        parts.append(f"ui {figures['ui_ready_s']:.2f}s ({figures['ui_ready_s'] / figures['ui_floor_s']:.2f}x bare tree)")
    if "peak_memory_mb" in figures:
        parts.append(f"peak {figures['peak_memory_mb']:.0f} MB")
    return "; ".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="1,000 people only (the CI smoke run)")
    parser.add_argument("--runs", type=int, default=5, help="runs per figure; the median is reported")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    results = run((1_000,) if args.quick else SIZES, 3 if args.quick else args.runs)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
