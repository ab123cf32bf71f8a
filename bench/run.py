"""Benchmarks: each figure is the median of several runs beside a floor measured in the same run, the same way.

    python bench/run.py                # 1,000, 10,000 and 100,000 people, a 5,000-layer chain, and bench/ui.py's
                                       # key presses at each size (many minutes)
    python bench/run.py --quick        # 1,000 people only: the CI smoke run; it asserts nothing about time
    python bench/run.py --markdown     # also print the table BENCHMARKS.md holds
    python bench/run.py --sizes 100000 --runs 3 --no-chain

Times are process CPU (the machine is often busy: CPU time is what the other processes inflate least), with
the cyclic garbage collector paused around every timed call, the planner's and its floor's alike, and what
the call returns freed after the clock stops; open and save run in a fresh worker process; commands run in a
fresh process are costed by that process's own CPU time.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import gc
import io
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
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import tomli_w

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout's planner, not an installed copy

from planner.analysis.handoff import hand_off
from planner.analysis.report import analyse
from planner.model import Org, Person, Plan
from planner.model.edits import MovePerson, update_person
from planner.render.tables import people_csv
from planner.storage import load, save
from planner.storage.codec import to_data
from planner.storage.importer import import_csv
from planner.ui.session import Session

SIZES = (1_000, 10_000, 100_000)
OPEN_TARGET_AT = 10_000
CHAIN = 5_000
HEADS = (("sales", "sales-manager", "sales-rep"), ("marketing", "marketing-manager", "marketing-executive"),
         ("operations", "operations-assistant", "operations-assistant"))
REPO = Path(__file__).resolve().parents[1]


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


def chain(depth: int = CHAIN) -> Plan:
    """One line of command, `depth` people deep."""
    org = Org()
    for index in range(depth):
        org.put(Person(f"c{index}", f"Person {index}", "Team lead", roles=("sales-manager",)))
        if index:
            org.set_manager(f"c{index}", f"c{index - 1}")
    return Plan(f"Chain of {depth}", scenarios={"current": org})


@dataclass
class Figure:
    """One measured figure: the median, its floor (if any), the target and whether it is met."""

    name: str
    people: int
    seconds: float
    floor: float | None = None
    target: str = ""
    met: bool | None = None
    memory_mb: float | None = None
    floor_memory_mb: float | None = None

    @property
    def ratio(self) -> float | None:
        """The median against its floor."""
        return self.seconds / self.floor if self.floor else None


def timed(task: Callable[[], object]) -> float:
    """The process CPU time of one call (every thread), the garbage collector paused after a collection not timed.

    What the call returns is let go after the clock stops: freeing a plan is not opening it, nor freeing
    a parsed file parsing it, and what freeing costs swings with whatever else the process holds.
    """
    gc.collect()
    gc.disable()
    try:
        started = time.process_time()
        result = task()
        spent = time.process_time() - started
        del result
        return spent
    finally:
        gc.enable()


def medians(task: Callable[[], object], floor: Callable[[], object] | None, runs: int) -> tuple[float, float | None]:
    """Median times of a task and its floor, their runs interleaved so both see the same machine."""
    times, floors = [], []
    for _ in range(runs):
        times.append(timed(task))
        if floor is not None:
            floors.append(timed(floor))
    return statistics.median(times), statistics.median(floors) if floors else None


def ratio_figure(name: str, people: int, measured: tuple[float, float | None], limit: float, what: str,
                 at: int | None = None) -> Figure:
    """A figure whose target is a ratio to its floor (only at `at` people, if given), from `medians`."""
    seconds, floor_seconds = measured
    if at is not None and people != at:
        return Figure(name, people, seconds, floor_seconds, f"(set at {at:,})")
    met = floor_seconds is not None and seconds <= limit * floor_seconds
    return Figure(name, people, seconds, floor_seconds, f"{limit:g}x {what}" + (f" at {at:,}" if at else ""), met)


def fresh_python(code: str) -> str:
    """What `code` prints when a fresh interpreter runs it, with this checkout's planner and benchmarks importable."""
    prelude = f"import sys\nsys.path.insert(0, {str(REPO)!r})\n"
    return subprocess.run([sys.executable, "-c", prelude + code], capture_output=True, text=True, check=True).stdout


def bench_files(plan: Plan, folder: Path, runs: int) -> list[Figure]:
    """Open and verified save, each against its floor, measured in a fresh worker process.

    In the benchmark's own process the open ratio at 10,000 read 1.22x alone and 1.27x after the
    1,000 round, whose freed memory scattered the new objects; pyperf runs each benchmark in worker
    processes for the same reason.
    """
    people = len(plan.scenario())
    path = folder / "plan.toml"
    save(plan, path)
    found = json.loads(fresh_python(f"import json, pathlib\nfrom bench.run import file_medians\n"
                                    f"print(json.dumps(file_medians(pathlib.Path({str(path)!r}), {runs})))\n"))
    return [
        ratio_figure("open (parse, check, build the graph)", people, found["open"], 1.25,
                     "`tomllib.loads` of the same file", OPEN_TARGET_AT),
        ratio_figure("verified save (serialise, atomic write, read back, compare)", people, found["save"], 1.3,
                     "`tomli_w.dumps` + `tomllib.loads`"),
    ]


def file_medians(path: Path, runs: int) -> dict[str, tuple[float, float | None]]:
    """The medians of opening the plan file at `path` and of its verified save, each beside its floor."""
    plan = load(path)
    data = to_data(plan)
    return {
        "open": medians(lambda: load(path), lambda: tomllib.loads(path.read_text()), runs),
        "save": medians(lambda: save(plan, path), lambda: tomllib.loads(tomli_w.dumps(data)), runs),
    }


def bench_analysis(plan: Plan, runs: int) -> Figure:
    """The full analysis of a plan; the target is 1 s at 100,000 people."""
    seconds, _ = medians(lambda: analyse(plan), None, runs)
    people = len(plan.scenario())
    met = seconds <= 1.0 if people >= 100_000 else None
    return Figure("full analysis", people, seconds, target="1 s at 100,000" if people >= 100_000 else "", met=met)


def bench_advise(plan: Plan, runs: int) -> Figure:
    """The hand-off plan (`planner advise`, the analysis already done, as on the UI's H); 1 s at 1,000 people."""
    analysis = analyse(plan)
    seconds, _ = medians(lambda: hand_off(plan, analysis), None, runs)
    people = len(plan.scenario())
    met = seconds <= 1.0 if people == 1_000 else None
    return Figure("hand-off plan", people, seconds, target="1 s at 1,000" if people == 1_000 else "", met=met)


def bench_update(plan: Plan, runs: int, target: str, mover: str, managers: list[str]) -> list[Figure]:
    """What the UI recomputes after one edit (apply it, analyse again), for a rename and for a move."""
    session = Session(plan)
    session.analysis
    flips = iter(range(10**9))

    def rename() -> None:
        session.apply(update_person(plan, "current", target, name=f"Renamed {next(flips)}"))
        session.analysis

    def move() -> None:
        session.apply(MovePerson("current", mover, managers[next(flips) % len(managers)]))
        session.analysis

    people = len(plan.scenario())
    figures = []
    for name, task in (("update after one edit: rename", rename), ("update after one edit: move", move)):
        seconds, _ = medians(task, None, runs * 3)
        met = seconds <= 0.030 if people == 10_000 else None
        figures.append(Figure(name, people, seconds, target="30 ms at 10,000" if people == 10_000 else "", met=met))
    return figures


def bench_org_update(plan: Plan, runs: int) -> list[Figure]:
    """The update after a rename and a move in a generated org: someone in the middle, moved between managers."""
    org = plan.scenario()
    target = sorted(org)[len(org) // 2]
    managers = [person_id for person_id in org if org.span(person_id) > 0 and person_id != target]
    return bench_update(plan, runs, target, target, managers)


# A child's own peak resident memory in KB. Not ru_maxrss: on Linux it keeps the parent's peak across fork and exec.
PEAK_KB = ("def peak_kb():\n"
           "    with open('/proc/self/status') as status:\n"
           "        return next(int(line.split()[1]) for line in status if line.startswith('VmHWM:'))\n")


def cli_run(arguments: list[str]) -> tuple[float, float]:
    """CPU time (start-up included) and peak memory (MB) of `planner ARGS` in a fresh process, its output thrown away."""
    code = (PEAK_KB + "import resource, sys\nfrom planner.cli import main\ncode = main(sys.argv[1:])\n"
            "usage = resource.getrusage(resource.RUSAGE_SELF)\n"
            "print(usage.ru_utime + usage.ru_stime, peak_kb(), file=sys.stderr)\nsys.exit(code)\n")
    done = subprocess.run([sys.executable, "-c", code, *arguments], stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True, check=True)
    cpu, memory = done.stderr.split()[-2:]
    return float(cpu), int(memory) / 1024


def bench_json_report(plan: Plan, folder: Path, runs: int) -> Figure:
    """`planner report --format json` end to end against the text report of the same plan, time and peak memory."""
    path = folder / "report.toml"
    save(plan, path)
    json_runs, text_runs = [], []
    for _ in range(runs):
        json_runs.append(cli_run(["report", str(path), "--format", "json"]))
        text_runs.append(cli_run(["report", str(path)]))
    seconds, memory = (statistics.median(values) for values in zip(*json_runs))
    floor, floor_memory = (statistics.median(values) for values in zip(*text_runs))
    people = len(plan.scenario())
    met = seconds <= 1.5 * floor and memory < 600 if people >= 100_000 else None
    return Figure("`planner report --format json` (time, peak memory)", people, seconds, floor,
                  "1.5x the text report, under 600 MB at 100,000" if people >= 100_000 else "", met, memory, floor_memory)


def bench_csv_import(plan: Plan, folder: Path, runs: int) -> Figure:
    """Import of a staff CSV and its verified save, against reading the CSV, writing the TOML and reading it back."""
    source = folder / "staff.csv"
    source.write_text(people_csv(plan, analyse(plan)), encoding="utf-8")
    target, floor_target = folder / "imported.toml", folder / "floor.toml"
    imported = import_csv(source, "Staff").plan
    data = to_data(imported)

    def ours() -> None:
        save(import_csv(source, "Staff").plan, target)

    def floor() -> None:
        list(csv.reader(io.StringIO(source.read_text(encoding="utf-8-sig"), newline="")))
        floor_target.write_text(tomli_w.dumps(data), encoding="utf-8")
        tomllib.loads(floor_target.read_text(encoding="utf-8"))

    return ratio_figure("CSV import (read, build, verified save)", len(plan.scenario()), medians(ours, floor, runs), 2.0,
                        "reading the CSV + writing the TOML + reading it back")


def bench_chain(folder: Path, runs: int) -> list[Figure]:
    """A 5,000-layer chain: every command end to end, open and analysis, and an edit at the bottom."""
    plan = chain()
    path = folder / "chain.toml"
    save(plan, path)
    commands = [["check"], ["report"], ["report", "--format", "markdown"], ["report", "--format", "json"]]
    commands += [["export", "--format", fmt] for fmt in ("markdown", "html", "mermaid", "dot", "csv", "json")]
    every = sum(cli_run([command[0], str(path), *command[1:]])[0] for command in commands)
    open_analyse, _ = medians(lambda: analyse(load(path)), None, runs)
    bottom = f"c{CHAIN - 1}"
    managers = [f"c{CHAIN // 2}", f"c{CHAIN // 2 + 1}"]
    figures = [Figure(f"5,000-layer chain: {len(commands)} commands (check, report x3, export x6), each a process",
                      CHAIN, every, target="no RecursionError", met=True),
               Figure("5,000-layer chain: open and analyse", CHAIN, open_analyse)]
    return figures + [replace(figure, name="5,000-layer chain: " + figure.name)
                      for figure in bench_update(plan, runs, bottom, bottom, managers)]


def ui_ready_seconds(make_app: Callable[[], object]) -> float:
    """Time from creating an app to its first screen drawn, headless."""

    async def once() -> None:
        app = make_app()
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()

    return timed(lambda: asyncio.run(once()))


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


def bench_ui(plan: Plan, folder: Path, runs: int) -> list[Figure]:
    """The planner's first screen on a plan file against a lazy floor and, up to 10,000 people, an eager one."""
    from bench import ui

    people = len(plan.scenario())
    found = ui.bench_floors(plan, folder, runs)
    seconds = found["ui_ready_s"]
    figures = [Figure("UI ready (headless, first screen drawn), against a lazy floor: parse the file, show the top "
                      "two levels", people, seconds, found["ui_floor_lazy_s"])]
    if "ui_floor_eager_s" in found:
        figures.append(Figure("UI ready, against an eager floor: a bare app showing a tree of as many nodes", people,
                              seconds, found["ui_floor_eager_s"], "1.5x", seconds <= 1.5 * found["ui_floor_eager_s"]))
    return figures


def bench_ui_actions(plan: Plan, folder: Path, runs: int) -> list[Figure]:
    """bench/ui.py's figures: process CPU from a key press to the updated screen, and the longest stalls."""
    from bench import ui

    people = len(plan.scenario())
    figures = ui.bench_actions(plan, folder, runs)
    target = ui.TARGET_MS.get(people)
    found = [_ui_figure(f"UI: {action} (CPU, key to screen)", people, figures[f"{action}_ms"], target)
             for action in ui.ACTIONS]
    found += [_ui_figure(f"UI: {extra} (CPU)", people, figures[f"{extra}_ms"], None) for extra in ui.EXTRAS]
    found += [_ui_figure(f"UI: longest stall {when}", people, figures[f"stall_{key}_ms"],
                         ui.STALL_TARGET_MS if target else None)
              for when, key in (("after an edit", "after_edit"), ("during a save", "during_save"))]
    return [*found, Figure("UI: save (wall time, in a worker)", people, figures["save_wall_s"])]


def bench_ui_deep(folder: Path, runs: int) -> Figure:
    """bench/ui.py's edit at the bottom of a deep org, from key press to updated screen."""
    from bench import ui

    return _ui_figure(f"UI: an edit {ui.DEEP_LAYERS} layers down (CPU)", ui.DEEP_LAYERS,
                      ui.bench_deep(folder, runs)["deep_edit_ms"], None)


def _ui_figure(name: str, people: int, milliseconds: float, target: int | None) -> Figure:
    return Figure(name, people, milliseconds / 1000, target=f"{target} ms" if target else "",
                  met=milliseconds <= target if target else None)


def peak_memory_mb(people: int) -> Figure:
    """Peak resident memory of a fresh process that opens and analyses a plan of this size."""
    output = fresh_python(PEAK_KB + (
        "import tempfile, pathlib\n"
        "from bench.run import generate\n"
        "from planner.storage import save, load\n"
        "from planner.analysis import analyse\n"
        "folder = pathlib.Path(tempfile.mkdtemp())\n"
        "save(generate(%d), folder / 'p.toml')\n"
        "import gc; gc.collect()\n"
        "plan = load(folder / 'p.toml')\n"
        "analysis = analyse(plan)\n"
        "print(peak_kb())\n"
    ) % people)
    memory = int(output.split()[-1]) / 1024
    at_scale = people >= 100_000
    return Figure("peak memory (generate, save, open and analyse)", people, 0.0,
                  target="500 MB at 100,000" if at_scale else "", met=memory <= 500 if at_scale else None,
                  memory_mb=memory)


def run(sizes: tuple[int, ...], runs: int, deep: bool, actions: bool) -> list[Figure]:
    """Every figure for every size; `actions` adds bench/ui.py's key presses at its sizes."""
    from bench import ui

    figures: list[Figure] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for people in sizes:
            plan = generate(people)
            found = bench_files(plan, folder, runs) + [bench_analysis(plan, runs)]
            found += bench_org_update(generate(people), runs)
            found += [bench_json_report(plan, folder, max(1, runs // 2)), bench_csv_import(plan, folder, runs)]
            if people <= 10_000:
                found.append(bench_advise(plan, runs))
            found += bench_ui(plan, folder, runs)
            if actions and people in ui.SIZES:
                found += bench_ui_actions(plan, folder, runs)
            if people == max(sizes):
                found.append(peak_memory_mb(people))
            for figure in found:
                print(format_figure(figure), flush=True)
            figures += found
        if deep:
            for figure in bench_chain(folder, runs) + ([bench_ui_deep(folder, runs)] if actions else []):
                print(format_figure(figure), flush=True)
                figures.append(figure)
    return figures


def shown(seconds: float) -> str:
    """A duration in ms below a second, else in s."""
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def format_figure(figure: Figure) -> str:
    """One figure on one line: value, floor and ratio, memory, target and whether it is met."""
    parts = [f"{figure.people:>7,} {figure.name}: {shown(figure.seconds) if figure.seconds else ''}"]
    if figure.floor is not None:
        parts.append(f"floor {shown(figure.floor)}, {figure.ratio:.2f}x")
    if figure.memory_mb is not None:
        parts.append(f"{figure.memory_mb:.0f} MB" + (f" (floor {figure.floor_memory_mb:.0f} MB)"
                                                      if figure.floor_memory_mb is not None else ""))
    if figure.target:
        parts.append(f"target {figure.target}" + ("" if figure.met is None else ": met" if figure.met else ": not met"))
    return "; ".join(parts)


def markdown_table(figures: list[Figure]) -> str:
    """The figures as the table of BENCHMARKS.md."""
    lines = ["| figure | people | median | floor | ratio | memory | target | met? |",
             "| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |"]
    for figure in figures:
        memory = "" if figure.memory_mb is None else f"{figure.memory_mb:.0f} MB" + (
            f" (floor {figure.floor_memory_mb:.0f} MB)" if figure.floor_memory_mb is not None else "")
        lines.append(" | ".join([
            f"| {figure.name}", f"{figure.people:,}", shown(figure.seconds) if figure.seconds else "",
            shown(figure.floor) if figure.floor is not None else "",
            f"**{figure.ratio:.2f}x**" if figure.ratio is not None else "", memory, figure.target,
            "" if figure.met is None else "yes" if figure.met else "**no**",
        ]) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="1,000 people only (the CI smoke run)")
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES), help="plan sizes in people")
    parser.add_argument("--no-chain", action="store_true", help="leave out the 5,000-layer chain")
    parser.add_argument("--no-ui-actions", action="store_true", help="leave out bench/ui.py's key presses")
    parser.add_argument("--runs", type=int, default=5, help="runs per figure; the median is reported")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--markdown", action="store_true", help="also print the figures as a Markdown table")
    args = parser.parse_args()
    machine = f"{platform.machine()}, {platform.python_implementation()} {platform.python_version()}, {platform.system()}"
    print(machine, flush=True)
    sizes = (1_000,) if args.quick else tuple(args.sizes)
    figures = run(sizes, 3 if args.quick else args.runs, deep=not (args.quick or args.no_chain),
                  actions=not (args.quick or args.no_ui_actions))
    if args.markdown:
        print(markdown_table(figures))
    if args.json:
        args.json.write_text(json.dumps({"machine": machine, "figures": [asdict(figure) for figure in figures]},
                                        indent=2) + "\n")


if __name__ == "__main__":
    main()
