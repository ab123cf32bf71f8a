"""The `planner` command: open the planner, start plans from layouts, check and report on them."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from planner.analysis import analyse
from planner.analysis.compare import compare
from planner.model.errors import PlanError, PlanFileError
from planner.model.scenarios import AddScenario, RemoveScenario, RenameScenario
from planner.model.text import clean_line
from planner.render.data import analysis_json, comparison_data, to_json
from planner.render.export import FORMATS, export
from planner.render.markdown import analysis_markdown, comparison_markdown
from planner.serve.rooms import ROOM_FD_VARIABLE
from planner.render.text import analysis_text, comparison_text
from planner.storage import load, save
from planner.storage.files import export_target_exists, write_atomic
from planner.storage.importer import IMPORT_FIELDS, import_csv, parse_mapping
from planner.storage.layouts import list_layouts, load_layout

EXIT_OK, EXIT_INVALID = 0, 2


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """Keeps the examples in epilogs as written."""


def _command(subparsers, name: str, summary: str, example: str,
             handler: Callable[[argparse.Namespace], int] | None = None):
    parser = subparsers.add_parser(
        name, help=summary, description=summary, epilog=f"example:\n  {example}", formatter_class=_Formatter,
    )
    if handler is not None:
        parser.set_defaults(handler=handler)
    return parser


def build_open_parser() -> argparse.ArgumentParser:
    """The parser of `planner [PLAN]`, which opens the planner in the terminal."""
    parser = argparse.ArgumentParser(prog="planner", add_help=False)
    parser.add_argument("plan", nargs="?", type=Path)
    parser.add_argument("--layout")
    parser.add_argument("--saves", type=Path, default=Path("saves"))
    parser.add_argument("--no-mouse", action="store_true")
    parser.add_argument("--viewer", action="store_true")
    parser.add_argument("--confine", action="store_true")
    return parser


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = argparse.ArgumentParser(
        prog="planner",
        usage="planner [PLAN.toml | --layout NAME] [--saves DIR] [--no-mouse] [--viewer] [--confine]\n"
              "       planner COMMAND ...",
        description="Org Planner: plan who reports to whom, who does what, and whether it can work.\n\n"
                    "With no command it opens the planner in the terminal: on PLAN.toml, on a new plan from\n"
                    "a starter layout (--layout), or on a start screen listing the plans in --saves\n"
                    "(default: saves/). --no-mouse leaves the mouse to the terminal (for copy and paste);\n"
                    "--viewer opens read-only (nothing is saved or written); --confine keeps every file\n"
                    "inside --saves (both are what `planner serve` gives its clients).",
        epilog="examples:\n  planner --layout merged\n  planner saves/acme.toml\n  planner layouts\n"
               "  planner new --layout merged saves/acme.toml\n"
               "  planner check saves/acme.toml\n  planner report saves/acme.toml",
        formatter_class=_Formatter,
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    _command(subparsers, "layouts", "List the starter layouts, one line each.", "planner layouts", run_layouts)
    new = _command(subparsers, "new", "Write a new plan file from a starter layout.",
                   "planner new --layout merged saves/acme.toml", run_new)
    new.add_argument("path", type=Path, help="the plan file to write")
    new.add_argument("--layout", default="blank", help="the starter layout (see `planner layouts`; default: blank)")
    new.add_argument("--name", help="the plan's name (default: the layout's)")
    new.add_argument("--force", action="store_true", help="overwrite the file if it exists")
    check = _command(subparsers, "check", "Check plan files and list every problem: file, line, what, how to fix.",
                     "planner check saves/acme.toml layouts/*.toml", run_check)
    check.add_argument("paths", nargs="+", type=Path, metavar="PLAN", help="plan files to check")
    report = _command(subparsers, "report", "Report team sizes, each person's load with reasons, and health checks.",
                      "planner report layouts/merged.toml --format markdown", run_report)
    report.add_argument("path", type=Path, metavar="PLAN", help="the plan file")
    report.add_argument("--scenario", help="the scenario to report on (default: the first)")
    _format_option(report)
    compare = _command(subparsers, "compare", "Compare two plans, or two scenarios of one plan, person by person.",
                       "planner compare layouts/separate.toml layouts/merged.toml\n"
                       "  planner compare saves/acme.toml current split", run_compare)
    compare.add_argument("first", type=Path, metavar="PLAN", help="the plan before (or the plan holding both scenarios)")
    compare.add_argument("second", metavar="PLAN_OR_SCENARIO", help="the plan after, or the first scenario")
    compare.add_argument("third", nargs="?", metavar="SCENARIO", help="the second scenario, when comparing within a plan")
    _format_option(compare)
    _scenario_commands(subparsers)
    export_command = _command(
        subparsers, "export", "Export a scenario: a client report (markdown, html), a chart (mermaid, dot), "
        "a spreadsheet (csv) or the analysis (json).",
        "planner export saves/acme.toml --format html --compare current -o saves/acme.html", run_export)
    export_command.add_argument("path", type=Path, metavar="PLAN")
    export_command.add_argument("--format", choices=tuple(FORMATS), default="markdown")
    export_command.add_argument("--scenario", help="the scenario to export (default: the first)")
    export_command.add_argument("--compare", metavar="OTHER", help="add a comparison with this scenario (the one earlier in the plan is before)")
    export_command.add_argument("-o", "--output", type=Path, help="the file to write (default: print)")
    export_command.add_argument("--raw", action="store_true", help="csv: write cells exactly as they are; by default a "
                                "cell starting with = + - @ tab, CR or ' gets a leading ' so spreadsheets do not run "
                                "it as a formula (`planner import` drops it again)")
    export_command.add_argument("--force", action="store_true",
                                help="overwrite the output file if it exists (a plan file is never overwritten)")
    import_command = _command(
        subparsers, "import", "Make a plan from a staff CSV (an HR export): id, name, title, manager.",
        "planner import staff.csv -o saves/staff.toml --map 'Line Manager=manager'", run_import)
    import_command.add_argument("csv", type=Path, metavar="CSV")
    import_command.add_argument("-o", "--output", type=Path, required=True, help="the plan file to write")
    import_command.add_argument("--map", action="append", default=[], metavar="HEADER=FIELD",
                                help=f"read a column as a field ({', '.join(IMPORT_FIELDS)}); repeatable")
    import_command.add_argument("--partial", action="store_true", help="write the plan even if some rows have problems: "
                                "rows that cannot be read are left out, people whose manager is unknown or in a "
                                "loop are kept without that manager")
    import_command.add_argument("--force", action="store_true", help="overwrite the plan file if it exists")
    import_command.add_argument("--name", help="the plan's name (default: the CSV file's name)")
    serve = _command(subparsers, "serve", "Serve the planner over SSH (public keys only) or to a browser.",
                     "planner serve --ssh --plans saves --authorized-keys clients.pub --port 2222", run_serve)
    mode = serve.add_mutually_exclusive_group(required=True)
    mode.add_argument("--ssh", action="store_true", help="serve over SSH: clients connect with `ssh -p PORT host`")
    mode.add_argument("--web", action="store_true", help="serve to a browser with textual-serve: open the address it "
                      "prints, which holds a random token")
    serve.add_argument("--plans", type=Path, default=Path("saves"), help="the folder of plans (default: saves)")
    serve.add_argument("--authorized-keys", type=Path, help='public keys allowed in, one a line; role="viewer" '
                       "before a key makes it read-only")
    serve.add_argument("--host", default="127.0.0.1", help="the address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, help="the port (default: 2222 for ssh, 8000 for web)")
    serve.add_argument("--host-key", type=Path, help="the SSH host key (made on first start, mode 0600; "
                       "default: the state folder, outside the plans)")
    return parser


def _scenario_commands(subparsers) -> None:
    scenario = _command(subparsers, "scenario", "List, add, rename or remove the scenarios of a plan.",
                        "planner scenario add saves/acme.toml split --from current")
    actions = scenario.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = _command(actions, "list", "List the scenarios with their headcount (the first opens by default).",
                       "planner scenario list saves/acme.toml", run_scenario_list)
    listing.add_argument("path", type=Path, metavar="PLAN")
    add = _command(actions, "add", "Add a scenario: a copy of another (--from) or an empty one.",
                   "planner scenario add saves/acme.toml split --from current", run_scenario_edit)
    add.add_argument("path", type=Path, metavar="PLAN")
    add.add_argument("name")
    add.add_argument("--from", dest="source", help="the scenario to copy (default: start empty)")
    rename = _command(actions, "rename", "Rename a scenario.", "planner scenario rename saves/acme.toml split hire",
                      run_scenario_edit)
    rename.add_argument("path", type=Path, metavar="PLAN")
    rename.add_argument("name")
    rename.add_argument("new")
    remove = _command(actions, "remove", "Remove a scenario (a plan keeps at least one).",
                      "planner scenario remove saves/acme.toml split", run_scenario_edit)
    remove.add_argument("path", type=Path, metavar="PLAN")
    remove.add_argument("name")


def run_scenario_list(args: argparse.Namespace) -> int:
    """Print each scenario with its headcount and open positions."""
    plan = load(args.path)
    for index, (name, org) in enumerate(plan.scenarios.items()):
        vacancies = sum(1 for person in org.people() if person.vacant)
        default = "  (opens first)" if index == 0 else ""
        print(f"{name:<24} {len(org):>6} people {vacancies:>4} open{default}")
    return EXIT_OK


def run_scenario_edit(args: argparse.Namespace) -> int:
    """Add, rename or remove a scenario and save the plan."""
    plan = load(args.path)
    edit = {
        "add": lambda: AddScenario(clean_line(args.name), args.source),
        "rename": lambda: RenameScenario(args.name, clean_line(args.new)),
        "remove": lambda: RemoveScenario(args.name),
    }[args.action]()
    edit.apply(plan)
    save(plan, args.path)
    print(f"{edit.label}: saved {args.path}")
    return EXIT_OK


def _format_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("text", "markdown", "json"), default="text",
                        help="text (80 columns, the default), markdown, or json (documented in docs/report-json.md)")


def run_layouts(args: argparse.Namespace) -> int:
    """Print each starter layout with its size and what it shows."""
    for layout in list_layouts():
        print(f"{layout.name:<10} {layout.people:>3} people  {layout.description}")
    return EXIT_OK


def run_new(args: argparse.Namespace) -> int:
    """Write a plan from a starter layout, never overwriting without --force."""
    if args.path.exists() and not args.force:
        raise PlanError(f"{args.path} already exists", "choose another file name, or add --force to overwrite it")
    plan = load_layout(args.layout)
    if args.name:
        plan.name = args.name
    args.path.parent.mkdir(parents=True, exist_ok=True)
    save(plan, args.path)
    print(f"wrote {args.path} from the {args.layout!r} layout")
    return EXIT_OK


def run_check(args: argparse.Namespace) -> int:
    """Check each file; print every problem, or a one-line summary of a valid plan."""
    status = EXIT_OK
    for path in args.paths:
        try:
            plan = load(path)
        except PlanFileError as error:
            print(error.render(), file=sys.stderr)
            print(f"{path}: {len(error.problems)} problem(s)", file=sys.stderr)
            status = EXIT_INVALID
            continue
        people = sum(len(org) for org in plan.scenarios.values())
        print(f"{path}: ok ({people} people in {len(plan.scenarios)} scenario(s))")
    return status


def run_report(args: argparse.Namespace) -> int:
    """Print the analysis of one scenario."""
    analysis = analyse(load(args.path), args.scenario)
    if args.format == "json":
        sys.stdout.writelines(analysis_json(analysis))
        return EXIT_OK
    renderers = {"text": analysis_text, "markdown": analysis_markdown}
    sys.stdout.write(renderers[args.format](analysis))
    return EXIT_OK


def run_compare(args: argparse.Namespace) -> int:
    """Print two plans or two scenarios side by side."""
    first = load(args.first)
    if args.third is not None:
        before, after = analyse(first, args.second), analyse(first, args.third)
        labels = (args.second, args.third)
    else:
        before, after = analyse(first), analyse(load(args.second))
        labels = (str(args.first), args.second)
    comparison = compare(before, after, *labels)
    renderers = {"text": comparison_text, "markdown": comparison_markdown,
                 "json": lambda c: to_json(comparison_data(c))}
    sys.stdout.write(renderers[args.format](comparison))
    return EXIT_OK


def run_open(args: argparse.Namespace) -> int:
    """Open the planner in the terminal; the exit code is non-zero when it stopped on an error or a hang-up."""
    from planner.ui.app import make_app

    room_fd = os.environ.pop(ROOM_FD_VARIABLE, None)
    app = make_app(args.plan, args.layout, args.saves, read_only=args.viewer, confine=args.confine,
                   room_fd=int(room_fd) if room_fd else None)
    app.run(mouse=not args.no_mouse)
    return app.return_code or EXIT_OK


def _opens_the_ui(argv: list[str]) -> bool:
    return not argv or argv[0] not in SUBCOMMANDS and argv[0] not in ("-h", "--help")


SUBCOMMANDS = ("layouts", "new", "check", "report", "compare", "scenario", "export", "import", "serve")


def run_serve(args: argparse.Namespace) -> int:
    """Serve the planner until interrupted."""
    if args.web:
        from planner.serve.web import serve_web

        serve_web(args.plans, args.host, args.port or 8000)
        return EXIT_OK
    if args.authorized_keys is None:
        raise PlanError("--ssh needs --authorized-keys", "give a file of the clients' public keys")
    from planner.serve.ssh import serve_forever

    serve_forever(args.plans, args.authorized_keys, args.host, args.port or 2222, args.host_key)
    return EXIT_OK


def run_export(args: argparse.Namespace) -> int:
    """Write or print a scenario in an export format, never over a plan, nor over another file without --force."""
    if args.output is not None and export_target_exists(args.output) and not args.force:
        raise PlanError(f"{args.output} already exists", "choose another file name, or add --force to overwrite it")
    text = export(load(args.path), args.format, args.scenario, args.compare, raw=args.raw)
    if args.output is None:
        sys.stdout.write(text)
        return EXIT_OK
    args.output.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(args.output, text.encode("utf-8"))
    print(f"wrote {args.output}")
    return EXIT_OK


def run_import(args: argparse.Namespace) -> int:
    """Build a plan from a staff CSV; refuse to write when rows have problems unless --partial."""
    if args.output.exists() and not args.force:
        raise PlanError(f"{args.output} already exists", "choose another file name, or add --force to overwrite it")
    result = import_csv(args.csv, args.name or args.csv.stem, parse_mapping(args.map))
    for problem in result.problems:
        print(problem.render(str(args.csv)), file=sys.stderr)
    if result.problems and not args.partial:
        print(f"{args.csv}: {len(result.problems)} problem(s); nothing written (add --partial to write the rows "
              "that are fine)", file=sys.stderr)
        return EXIT_INVALID
    args.output.parent.mkdir(parents=True, exist_ok=True)
    save(result.plan, args.output)
    print(f"wrote {args.output}: {len(result.plan.scenario())} people" +
          (f", {result.left_out} row(s) left out" if result.left_out else "") +
          (f", {len(result.problems)} problem(s) reported above" if result.problems else ""))
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the planner command line; returns the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    if _opens_the_ui(argv):
        args = build_open_parser().parse_args(argv)
        args.handler = run_open
    else:
        args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except PlanFileError as error:
        print(error.render(), file=sys.stderr)
        return EXIT_INVALID
    except PlanError as error:
        print(f"error: {error.message}", file=sys.stderr)
        if error.hint:
            print(f"    fix: {error.hint}", file=sys.stderr)
        return EXIT_INVALID
    except OSError as error:
        print(f"error: {error.filename or ''}: {error.strerror or error}", file=sys.stderr)
        print("    fix: check the path exists and that you may write there", file=sys.stderr)
        return EXIT_INVALID
