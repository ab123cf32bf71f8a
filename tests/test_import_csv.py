"""The staff-CSV import: headers, --map, separators, row problems with their lines, refusals, broken files."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from planner.analysis import analyse
from planner.cli import main
from planner.model.catalog import default_catalog
from planner.model.errors import PlanError
from planner.model.org import Org, Person
from planner.model.plan import Plan
from planner.model.rules import MAX_NOTES
from planner.storage import load, save
from planner.storage.codec import MAX_BYTES
from planner.storage.importer import import_csv, parse_mapping

from .conftest import REPO


def run_planner(*args: str) -> subprocess.CompletedProcess:
    """`python -m planner` as a user runs it."""
    return subprocess.run([sys.executable, "-m", "planner", *args], capture_output=True, text=True, cwd=REPO,
                          check=False)


# ---------------------------------------------------------------- headers, --map, row problems, broken files

HR_EXPORT = (
    "\ufeffEmployee ID,Full Name,Job Title,Reports To\r\n"
    "E001,Sam Patel,Owner,\r\n"
    "E002,Dana Reyes,Sales manager,Sam Patel\r\n"
    "E003,Lee Morgan,Marketing Manager,E001\r\n"
    "E004,Alex Adams,Sales representative,Dana Reyes\r\n"
    "E005,Chloe Martin,Marketing executive,E003\r\n"
    'E006,"Walsh, Kim",Office wizard,sam patel\r\n'
    "E007,Ravi Kumar,marketing executive,Lee Morgan\r\n"
)


def write_csv(tmp_path: Path, text: str, name: str = "staff.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def test_import_a_typical_hr_export(tmp_path, capsys):
    source = write_csv(tmp_path, HR_EXPORT, "hr_export.csv")
    out = tmp_path / "saves" / "hr.toml"
    assert main(["import", str(source), "-o", str(out)]) == 0
    assert f"wrote {out}: 7 people" in capsys.readouterr().out
    plan = load(out)
    assert plan.name == "hr_export"
    org = plan.scenario()
    assert sorted(org) == [f"E00{n}" for n in range(1, 8)]
    expected = {
        "E001": ("Sam Patel", "Owner", ("owner",), None),
        "E002": ("Dana Reyes", "Sales manager", ("sales-manager",), "E001"),
        "E003": ("Lee Morgan", "Marketing Manager", ("marketing-manager",), "E001"),
        "E004": ("Alex Adams", "Sales representative", ("sales-rep",), "E002"),
        "E005": ("Chloe Martin", "Marketing executive", ("marketing-executive",), "E003"),
        "E006": ("Walsh, Kim", "Office wizard", (), "E001"),
        "E007": ("Ravi Kumar", "marketing executive", ("marketing-executive",), "E003"),
    }
    for person_id, (name, title, roles, manager) in expected.items():
        person = org.person(person_id)
        assert (person.name, person.title, person.roles, org.manager_of(person_id)) == (name, title, roles, manager)
        assert not person.vacant and person.capacity_hours is None
    assert analyse(plan).functions.sales.managers == ("E002",)


def test_import_names_the_plan_with_name(tmp_path):
    out = tmp_path / "hr.toml"
    assert main(["import", str(write_csv(tmp_path, HR_EXPORT)), "-o", str(out), "--name", "Acme staff"]) == 0
    assert load(out).name == "Acme staff"


UNUSUAL = (
    "Staff No,Person,Role Name,Line Manager\n"
    "S1,Ann Lee,Owner,\n"
    "S2,Bob Ray,Sales manager,S1\n"
    "S3,Cy Tan,Sales representative,Bob Ray\n"
)


def test_map_reads_unusual_headers(tmp_path, capsys):
    source = write_csv(tmp_path, UNUSUAL)
    out = tmp_path / "staff.toml"
    assert main(["import", str(source), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "has no column of names" in err and "--map" in err
    assert not out.exists()
    assert main(["import", str(source), "-o", str(out), "--map", "Person=name", "--map", "Staff No=id",
                 "--map", "Role Name=title", "--map", "Line Manager=manager"]) == 0
    org = load(out).scenario()
    assert [(p.id, p.name, p.title, p.roles, org.manager_of(p.id)) for p in org.people()] == [
        ("S1", "Ann Lee", "Owner", ("owner",), None),
        ("S2", "Bob Ray", "Sales manager", ("sales-manager",), "S1"),
        ("S3", "Cy Tan", "Sales representative", ("sales-rep",), "S2"),
    ]


def test_map_with_a_normalised_header_and_a_bad_pair(tmp_path, capsys):
    assert parse_mapping(["Line Manager=manager", " Staff-No. = id"]) == {"linemanager": "manager", "staffno": "id"}
    out = tmp_path / "staff.toml"
    assert main(["import", str(write_csv(tmp_path, UNUSUAL)), "-o", str(out), "--map", "Person=boss"]) == 2
    err = capsys.readouterr().err
    assert "cannot read --map 'Person=boss'" in err and "HEADER=FIELD" in err
    assert not out.exists()


def test_map_overrides_a_header_recognised_automatically(tmp_path):
    source = write_csv(tmp_path, "Name,Manager,Line Mgr\nAnn,,\nBob,Old Boss (left),Ann\n")
    result = import_csv(source, "x", parse_mapping(["Line Mgr=manager"]))
    assert result.problems == []
    assert result.plan.scenario().manager_of("bob") == "ann"


BAD_ROWS = (
    "id,name,title,manager\n"  # 1
    "a,Ann,Owner,\n"            # 2
    "b,Bob,,nobody\n"           # 3 unknown manager
    "a,Dup,,\n"                 # 4 duplicate id
    "c,Cat,,d\n"                # 5 c -> d -> c: a loop
    "d,Dan,,c\n"                # 6
    "\n"                        # 7 blank: skipped, still counted
    "e,,,a\n"                   # 8 empty name
    "f,Fay,,Ann\n"              # 9 fine, manager by name
)


def test_each_row_problem_is_reported_with_its_line(tmp_path):
    result = import_csv(write_csv(tmp_path, BAD_ROWS), "bad")
    found = [(problem.line, problem.message) for problem in result.problems]
    assert found == [
        (3, "manager 'nobody' is neither an id nor a name in the file"),
        (4, "id 'a' is also used on line 2"),
        (5, "reporting lines make a loop: d -> c -> d"),
        (8, "the name is empty"),
    ]
    assert all(problem.hint for problem in result.problems)
    org = result.plan.scenario()
    assert list(org) == ["a", "b", "c", "d", "f"]
    assert org.person("a").name == "Ann"
    assert {p: org.manager_of(p) for p in org} == {"a": None, "b": None, "c": None, "d": "c", "f": "a"}


def test_cli_writes_nothing_when_rows_have_problems_unless_partial(tmp_path, capsys):
    source = write_csv(tmp_path, BAD_ROWS)
    out = tmp_path / "bad.toml"
    assert main(["import", str(source), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    for line in (3, 4, 5, 8):
        assert f"{source}:{line}: " in err
    assert "4 problem(s); nothing written" in err and "--partial" in err
    assert not out.exists()

    assert main(["import", str(source), "-o", str(out), "--partial"]) == 0
    captured = capsys.readouterr()
    assert f"{source}:5: reporting lines make a loop" in captured.err
    assert f"wrote {out}" in captured.out
    org = load(out).scenario()
    assert sorted(org) == ["a", "b", "c", "d", "f"]
    assert org.person("a").name == "Ann" and org.manager_of("f") == "a"


def test_partial_summary_counts_the_rows_it_left_out(tmp_path, capsys):
    source = write_csv(tmp_path, BAD_ROWS)
    assert main(["import", str(source), "-o", str(tmp_path / "bad.toml"), "--partial"]) == 0
    summary = re.search(r"(\d+) people, (\d+) row\(s\) left out", capsys.readouterr().out)
    assert summary is not None
    written, left_out = int(summary[1]), int(summary[2])
    assert written == len(load(tmp_path / "bad.toml").scenario())
    assert written + left_out == 7


def test_partial_writes_a_plan_that_loads(tmp_path, capsys):
    source = write_csv(tmp_path, "id,name,manager\na,Ann,\nb," + "B" * 250 + ",a\nc,Cat,a\n")
    out = tmp_path / "long.toml"
    assert main(["import", str(source), "-o", str(out), "--partial"]) == 0
    assert f"{source}:3: the name of person 'b' is 250 characters long" in capsys.readouterr().err
    plan = load(out)
    assert {"a", "c"} <= set(plan.scenario())


def test_an_unknown_dotted_line_manager_is_reported(tmp_path):
    result = import_csv(write_csv(tmp_path, "id,name,manager,dotted_managers\na,Ann,,\nb,Bob,a,ghost\n"), "d")
    assert [(problem.line, "ghost" in problem.message) for problem in result.problems] == [(3, True)]


def test_a_row_with_a_multiline_cell_is_reported_where_it_starts(tmp_path):
    result = import_csv(write_csv(tmp_path, 'id,name,title,manager\na,Ann,"Owner\nand founder",zz\nb,Bob,,a\n'), "m")
    assert [problem.line for problem in result.problems] == [2]


def test_rows_after_a_multiline_cell_keep_their_line_numbers(tmp_path):
    result = import_csv(write_csv(tmp_path, 'id,name,title,manager\na,Ann,"Owner\nand founder",\nb,Bob,,zz\n'), "m")
    assert [problem.line for problem in result.problems] == [4]


def test_bad_cells_leave_the_row_out_with_its_line(tmp_path):
    text = ("id,name,roles,capacity,responsibilities\n"
            "a,Ann,owner,40,\n"
            "b,Bob,pilot,,\n"
            "c,Cat,,lots,\n"
            "d,Dan,,500,\n"
            "e,Eve,,,flying\n")
    result = import_csv(write_csv(tmp_path, text), "cells")
    assert [(p.line, p.message) for p in result.problems] == [
        (3, "unknown role 'pilot'"),
        (4, "capacity 'lots' is not a number of hours"),
        (5, "capacity '500' is outside 0-168 hours"),
        (6, "unknown responsibility 'flying'"),
    ]
    assert list(result.plan.scenario()) == ["a"]


def test_import_refuses_to_overwrite_without_force(tmp_path, capsys):
    source = write_csv(tmp_path, HR_EXPORT)
    out = tmp_path / "hr.toml"
    out.write_text("precious")
    assert main(["import", str(source), "-o", str(out)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert out.read_text() == "precious"
    assert main(["import", str(source), "-o", str(out), "--force"]) == 0
    assert len(load(out).scenario()) == 7


def test_a_file_that_is_not_utf8_is_a_clear_error(tmp_path):
    source = tmp_path / "latin1.csv"
    source.write_bytes("id,name\nx,José Núñez\n".encode("latin-1"))
    out = tmp_path / "x.toml"
    result = run_planner("import", str(source), "-o", str(out))
    assert result.returncode == 2
    assert f"error: {source} is not UTF-8" in result.stderr
    assert "fix: export the CSV as UTF-8" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_a_missing_csv_is_a_clear_error(tmp_path, capsys):
    assert main(["import", str(tmp_path / "nope.csv"), "-o", str(tmp_path / "x.toml")]) == 2
    assert "cannot read" in capsys.readouterr().err
    assert not (tmp_path / "x.toml").exists()


# ---------------------------------------------------------------- stray quotes

STRAY_QUOTES = {
    "to the end of the file": 'id,name,title,manager\na,Ann,Owner,\nb,"Bob,Sales manager,a\nc,Cat,,b\nd,Dan,,b\n',
    "up to a quoted cell": 'id,name,title,manager\na,Ann,Owner,\nb,"Bob,Sales manager,a\nc,Cat,,b\nd,"Walsh, Kim",,b\n',
    "closed by another stray quote": 'id,name,title,manager\na,Ann,Owner,\nb,"Bob,Sales manager,a\nc,Cat,,b\n'
                                     'd,Dan,Monitor 27",b\ne,Eve,,a\n',
}


@pytest.mark.parametrize("text", STRAY_QUOTES.values(), ids=STRAY_QUOTES)
def test_a_stray_quote_that_swallows_rows_is_refused_naming_its_row(text, tmp_path, capsys):
    source = write_csv(tmp_path, text)
    out = tmp_path / "staff.toml"
    assert main(["import", str(source), "-o", str(out), "--partial"]) == 2
    err = capsys.readouterr().err
    assert f"error: {source}:3: a double quote in this row does not close its cell where it should: the cell runs " \
           "on to line" in err
    assert "swallowing the rows in between" in err and 'double each " inside it' in err
    assert not out.exists()


def test_a_quote_that_closes_inside_a_cell_is_refused_naming_its_row(tmp_path):
    source = write_csv(tmp_path, 'id,name\na,Ann\nb,"Bob" Ray\nc,Cat\n')
    with pytest.raises(PlanError) as caught:
        import_csv(source, "q")
    assert caught.value.message == f"{source}:3: a double quote in this row does not close its cell where it should"


def test_a_quoted_cell_over_two_lines_is_still_one_cell(tmp_path):
    result = import_csv(write_csv(tmp_path, 'id,name,title,manager\na,Ann,"Owner,\nfounder",\nb,Bob,,a\n'), "m")
    assert result.problems == []
    assert [(p.id, p.title) for p in result.plan.scenario().people()] == [("a", "Owner, founder"), ("b", "")]


# ---------------------------------------------------------------- a header and no rows

@pytest.mark.parametrize("text", ["id,name,manager\n", "\ufeffEmployee ID,Full Name\r\n\r\n,\r\n"],
                         ids=["header", "header and blank rows"])
def test_a_csv_with_only_a_header_is_refused_and_nothing_written(text, tmp_path, capsys):
    source = write_csv(tmp_path, text)
    out = tmp_path / "staff.toml"
    assert main(["import", str(source), "-o", str(out), "--partial"]) == 2
    err = capsys.readouterr().err
    assert f"error: {source} has a header but no rows of people" in err and "add a row per person" in err
    assert not out.exists()


# ---------------------------------------------------------------- separators

@pytest.mark.parametrize("delimiter", [";", "\t", "|"], ids=["semicolons", "tabs", "bars"])
def test_semicolon_tab_and_bar_separated_exports_read_like_commas(delimiter, tmp_path):
    text = HR_EXPORT.replace(",", delimiter).replace(f'"Walsh{delimiter} Kim"', '"Walsh, Kim"')
    expected, found = (import_csv(write_csv(tmp_path, body, name), "hr") for body, name in
                       ((HR_EXPORT, "comma.csv"), (text, "other.csv")))
    assert found.problems == [] and len(found.plan.scenario()) == 7
    assert found.plan.scenario().person("E006").name == "Walsh, Kim"
    assert found.plan.scenario() == expected.plan.scenario()


def test_a_comma_file_with_semicolons_and_bars_in_its_cells_stays_comma_separated(tmp_path):
    text = 'id,name,title\na,"Ann; Lee",Owner\nb,Bob | Jr,Sales; north\nc,Cy;Tan,x;y|z\n'
    org = import_csv(write_csv(tmp_path, text), "c").plan.scenario()
    assert [(p.id, p.name, p.title) for p in org.people()] == [
        ("a", "Ann; Lee", "Owner"), ("b", "Bob | Jr", "Sales; north"), ("c", "Cy;Tan", "x;y|z")]


def test_a_single_column_is_read_as_comma_separated(tmp_path):
    org = import_csv(write_csv(tmp_path, "Name\nAnn Lee\nBob Ray\n"), "one").plan.scenario()
    assert [p.name for p in org.people()] == ["Ann Lee", "Bob Ray"]


def test_map_helps_with_a_semicolon_file_of_unusual_headers(tmp_path, capsys):
    source = write_csv(tmp_path, UNUSUAL.replace(",", ";"))
    out = tmp_path / "staff.toml"
    assert main(["import", str(source), "-o", str(out)]) == 2
    assert "(headers: Staff No, Person, Role Name, Line Manager; read as separated by semicolons)" in \
           capsys.readouterr().err
    assert main(["import", str(source), "-o", str(out), "--map", "Person=name", "--map", "Staff No=id",
                 "--map", "Line Manager=manager"]) == 0
    assert load(out).scenario().manager_of("S3") == "S2"


# ---------------------------------------------------------------- what a plan can hold

def test_a_csv_too_big_for_a_plan_is_refused_before_its_rows_are_read(tmp_path, capsys):
    rows = (f"e{i},Person {i},Sales representative,e{(i - 1) // 8}" for i in range(1, 800_000))
    # A stray quote in the last row: reading every row would end in that error, not the refusal.
    text = "\n".join(["id,name,title,manager", "e0,Sam Patel,Owner,", *rows, 'e800000,"Stray,,e0']) + "\n"
    source = write_csv(tmp_path, text)
    out = tmp_path / "staff.toml"
    assert main(["import", str(source), "-o", str(out), "--partial"]) == 2
    err = capsys.readouterr().err
    found = re.search(r"has about 800,00\d rows: their plan would be about (\d+\.\d) MB, more than the 64 MB a plan "
                      r"may be; nothing was imported\n    fix: split the CSV into files of at most ([\d,]+) rows", err)
    assert found is not None, err
    assert float(found[1]) > 64 and 400_000 < int(found[2].replace(",", "")) < 800_000
    assert "double quote" not in err
    assert not out.exists()


def test_a_plan_over_the_limit_is_never_written(tmp_path):
    org = Org()
    for number in range(MAX_BYTES // MAX_NOTES + 100):
        org.put(Person(f"p{number}", f"Person {number}", notes="n" * MAX_NOTES))
    plan = Plan("big", catalog=default_catalog(), scenarios={"current": org})
    path = tmp_path / "big.toml"
    path.write_text("precious")
    with pytest.raises(PlanError, match=r"the plan is \d+\.\d MB, more than the 64 MB a plan may be; .* not written"):
        save(plan, path)
    assert path.read_text() == "precious"
    assert [file.name for file in tmp_path.iterdir()] == ["big.toml"]


# ---------------------------------------------------------------- cells an export neutralised

def test_import_drops_only_the_quote_an_export_puts_before_a_formula(tmp_path):
    text = "id,name,title\na,'=SUM(A1),'+44 20\nb,'Tis Ann,''Quoted\nc,''=x,it's '-fine'\nd,'@ann,'\t-tab\n"
    org = import_csv(write_csv(tmp_path, text), "f").plan.scenario()
    assert [(p.name, p.title) for p in org.people()] == [
        ("=SUM(A1)", "+44 20"), ("'Tis Ann", "'Quoted"), ("'=x", "it's '-fine'"), ("@ann", "-tab")]
