"""Plan files: round trips, stable bytes, safe saves, and a clear message for every broken file."""

from __future__ import annotations

import copy
import difflib
import os
import pickle
import sys
import tracemalloc
import unicodedata
from dataclasses import FrozenInstanceError, fields, replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.analysis import analyse
from planner.model import PlanError, PlanFileError
from planner.model.edits import MovePerson, update_person
from planner.model.errors import Problem
from planner.model.org import Person
from planner.model.text import clean_line, clean_multiline
from planner.render.text import analysis_text
from planner.storage import codec, dumps, load, loads, save
from planner.storage import files as files_module
from planner.storage.layouts import layouts_dir, list_layouts, load_layout

from .conftest import SHARED
from .strategies import plans

HEADER = 'schema = 1\nname = "Test"\n'


def problems_of(text: str) -> list:
    """The problems a plan text raises (failing the test if it loads)."""
    with pytest.raises(PlanFileError) as raised:
        loads(text, "plan.toml")
    return list(raised.value.problems)


@given(plans())
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_load_of_save_is_the_same_plan(plan):
    text = dumps(plan)
    assert loads(text) == plan
    assert dumps(loads(text)) == text


def test_a_person_made_from_its_fields_behaves_as_one_made_by_its_constructor():
    made = Person("ana", "Ana", "Lead", roles=("sales-rep",), capacity_hours=30.0, dotted_managers=("bo",), cost=1.0)
    loaded = Person.from_fields({field.name: getattr(made, field.name) for field in fields(Person)})
    assert loaded == made and hash(loaded) == hash(made) and repr(loaded) == repr(made)
    assert replace(loaded, name="Bo") == replace(made, name="Bo")
    assert pickle.loads(pickle.dumps(loaded)) == made and copy.copy(loaded) == made
    with pytest.raises(FrozenInstanceError):
        loaded.name = "Bo"


# A person's table as a file may hold it: known and unknown keys, values of every type TOML has.
_TEXTS = st.text(alphabet="ab \t\n\x07\u200b", max_size=4)
_VALUES = st.one_of(
    _TEXTS, st.integers(-2, 2), st.sampled_from([1.5, 0.0, float("nan"), float("inf")]), st.booleans(),
    st.lists(_TEXTS, max_size=2), st.lists(st.integers(0, 1), min_size=1, max_size=2), st.just({}),
)
person_tables = st.dictionaries(st.sampled_from([*codec.PERSON_KEYS, "nickname"]), _VALUES, max_size=6).map(
    lambda table: table | {"id": "ana"} if len(table) % 3 else table)


@given(person_tables)
@settings(max_examples=400, deadline=None)
def test_the_quick_read_of_a_person_is_the_key_by_key_check_and_the_constructor(table):
    decoder = codec._Decoder()
    checked = decoder.table(table, ("people", 0), codec.PERSON_KEYS, "a person", ("id",))
    quick = codec._plain_person(table)
    assert (quick is None) == bool(decoder.problems)
    if "id" not in checked:
        return
    get = checked.get
    expected = Person(
        checked["id"], clean_line(get("name", "")), clean_line(get("title", "")), tuple(get("roles", ())),
        tuple(get("extra_responsibilities", ())), tuple(get("dropped_responsibilities", ())),
        None if get("capacity_hours") is None else float(get("capacity_hours")), get("vacant", False),
        tuple(get("dotted_managers", ())), get("archetype"), clean_multiline(get("notes", "")),
        None if get("cost") is None else float(get("cost")),
    )
    for person in (quick, codec._plain_person(checked)):
        if person is not None:
            assert person == expected and list(vars(person)) == [field.name for field in fields(Person)]
            assert all(type(getattr(person, key)) is type(getattr(expected, key)) for key in vars(person))


@pytest.mark.parametrize("layout", ["blank", "separate", "merged", "growing"])
def test_layouts_load_and_resave_to_identical_bytes(layout, tmp_path):
    plan = load_layout(layout)
    save(plan, tmp_path / "a.toml")
    save(load(tmp_path / "a.toml"), tmp_path / "b.toml")
    assert (tmp_path / "a.toml").read_bytes() == (tmp_path / "b.toml").read_bytes()


def test_layouts_describe_themselves():
    layouts = {layout.name: layout for layout in list_layouts()}
    assert {"blank", "separate", "merged", "growing"} <= set(layouts)
    assert all(layout.description for layout in layouts.values())
    assert 35 <= layouts["growing"].people <= 45


def changed_lines(before: str, after: str) -> list[str]:
    """The lines a diff of two saves adds or removes."""
    diff = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
    return [line for line in diff if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def test_an_edit_changes_only_its_own_lines_in_the_file(separate):
    before = dumps(separate)
    update_person(separate, "current", "sales-manager", name="Dana R.").apply(separate)
    assert changed_lines(before, dumps(separate)) == ['-name = "Dana Reyes"', '+name = "Dana R."']
    before = dumps(separate)
    MovePerson("current", "sales-rep-4", "marketing-manager").apply(separate)
    changed = changed_lines(before, dumps(separate))
    assert '-manager = "sales-manager"' in changed and '+manager = "marketing-manager"' in changed
    assert all("Dana" not in line and "owner" not in line for line in changed)


def test_one_scenario_is_written_as_plain_people_and_several_as_scenarios(separate):
    assert "[[people]]" in dumps(separate) and "[[scenarios]]" not in dumps(separate)
    separate.scenarios["split"] = separate.scenario().copy()
    text = dumps(separate)
    assert "[[scenarios]]" in text and "[[scenarios.people]]" in text
    assert list(loads(text).scenarios) == ["current", "split"]


OLD_SETTINGS = ("[settings]\ncapacity_hours = {capacity}\nhours_per_report = 1.5\nswitching_rate = 0.17\n"
                "stretched_from = 1.0\noverloaded_from = 1.2\ncritical_from = 1.375\n")


@pytest.mark.parametrize(("capacity", "overloaded", "critical"), [(40.0, 48.0, 55.0), (37.5, 45.0, 51.5625)])
def test_settings_of_an_older_plan_are_translated_to_hours(capacity, overloaded, critical):
    plan = loads(HEADER + OLD_SETTINGS.format(capacity=capacity))
    assert (plan.settings.overloaded_hours, plan.settings.critical_hours) == (overloaded, critical)
    assert plan.settings.capacity_hours == capacity
    assert "overloaded_from" not in dumps(plan) and f"overloaded_hours = {overloaded}" in dumps(plan)


def test_hours_per_report_and_role_notes_round_trip():
    text = HEADER + (
        '[[catalog.responsibilities]]\nid = "lead"\ntitle = "Lead"\nfunction = "management"\nhours = 0.0\n'
        'hours_per_report = 1.25\n[[catalog.roles]]\nid = "boss"\ntitle = "Boss"\nfunction = "management"\n'
        'manager = true\nresponsibilities = ["lead"]\nnote = "Weekends too"\n'
    )
    plan = loads(text)
    assert plan.catalog.responsibilities["lead"].hours_per_report == 1.25
    assert plan.catalog.roles["boss"].note == "Weekends too"
    assert loads(dumps(plan)) == plan


def test_a_file_without_catalog_uses_the_default_catalog():
    plan = loads(HEADER + '[[people]]\nid = "a"\nname = "A"\nroles = ["sales-manager"]\n')
    assert "sales-travel" in plan.responsibilities_of(plan.scenario().person("a"))


@pytest.mark.parametrize(("text", "line", "words"), [
    (HEADER + "[settings]\nswitching = 0.2\n", 4, ["unknown key 'switching'", "switching_rate"]),
    (HEADER + '[[people]]\nid = "a"\nname = "A"\ncapacity_hours = "forty"\n', 6, ["capacity_hours", "number"]),
    (HEADER + '[[people]]\nid = "a"\nname = "A"\nmanager = "zed"\n', 6, ["unknown person 'zed'"]),
    (HEADER + '[[people]]\nid = "a"\nname = "A"\n[[people]]\nid = "a"\nname = "B"\n', 7, ["'a' is used twice"]),
    (HEADER + '[[people]]\nid = "a"\nname = "A"\nroles = ["sales-manger"]\n', 6, ["unknown role", "sales-manager"]),
    (HEADER + '[[people]]\nid = "a"\nname = "A"\ncapacity_hours = -5\n', 6, ["capacity", "-5"]),
    (HEADER + '[[people]]\nid = "a"\nname = "A"\ncapacity_hours = nan\n', 6, ["nan"]),
    (HEADER + '[settings]\ncritical_hours = 40.0\n', None, ["out of order", "overloaded_hours <= critical_hours"]),
    (HEADER + '[settings]\nstretched_from = 1.1\n', 4, ["stretched_from is no longer a setting", "capacity_hours"]),
    (HEADER + '[settings]\nhours_per_report = 2.0\n', 4, ["no longer a setting", "manage-team"]),
    (HEADER + '[settings]\noverloaded_from = 1.2\noverloaded_hours = 48.0\n', 4, ["both", "remove overloaded_from"]),
    (HEADER + '[settings]\nhours_per_report = 1.5\n[[catalog.responsibilities]]\nid = "x"\ntitle = "X"\n'
              'function = "sales"\nhours = 1.0\n', 4, ["hours_per_report is no longer a setting", "[catalog]"]),
    (HEADER + '[[catalog.responsibilities]]\nid = "x"\ntitle = "X"\nfunction = "sales"\nhours = 1.0\n'
              'hours_per_report = -1.0\n', 8, ["hours per report of responsibility 'x'"]),
    (HEADER + '[[people]]\nid = "a b"\nname = "A"\n', 4, ["not a valid id"]),
    (HEADER + '[[people]]\nid = "a"\nname = "A"\ndotted_managers = ["a"]\n', 6, ["dotted line to themselves"]),
    ('name = "x"\n', 1, ["no schema version"]),
    ('schema = 9\nname = "x"\n', 1, ["schema version 9", "upgrade"]),
    ('schema = 1\nname = "x\n', 2, ["not valid TOML", "closing quote"]),
])
def test_each_problem_names_its_line_what_and_a_fix(text, line, words):
    problems = problems_of(text)
    rendered = "\n".join(problem.render("plan.toml") for problem in problems)
    for word in words:
        assert word in rendered
    if line is not None:
        assert any(problem.line == line for problem in problems), rendered
    assert all(problem.hint for problem in problems)


def test_every_problem_of_a_file_is_reported_at_once():
    text = HEADER + (
        '[[people]]\nid = "a"\nname = "A"\nmanager = "c"\n'
        '[[people]]\nid = "b"\nnmae = "B"\n'
        '[[people]]\nid = "c"\nname = "C"\nmanager = "a"\n'
    )
    messages = " | ".join(problem.message for problem in problems_of(text))
    assert "unknown key 'nmae'" in messages
    assert "the name of person 'b' is empty" in messages
    assert "loop" in messages


def test_a_reporting_loop_names_the_people_in_it():
    text = HEADER + '[[people]]\nid = "a"\nname = "A"\nmanager = "b"\n[[people]]\nid = "b"\nname = "B"\nmanager = "a"\n'
    (problem,) = problems_of(text)
    assert "a -> b -> a" in problem.message or "b -> a -> b" in problem.message


def test_invalid_utf8_gives_line_and_column(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_bytes(b'schema = 1\nname = "caf\xe9"\n')
    with pytest.raises(PlanFileError) as raised:
        load(path)
    (problem,) = raised.value.problems
    assert "UTF-8" in problem.message and (problem.line, problem.column) == (2, 12)


@pytest.fixture
def parser_forbidden(monkeypatch):
    """Fail the test if the TOML parser is called: absurd files must be refused before it sees them."""
    def parse(*args, **kwargs):
        raise AssertionError("the TOML parser was called")

    monkeypatch.setattr(codec.tomllib, "loads", parse)


def refusal_and_peak_memory(text: str) -> tuple[Problem, int]:
    """The one problem reading a plan text raises, and the most memory the attempt took."""
    tracemalloc.start()
    try:
        with pytest.raises(PlanFileError) as raised:
            loads(text, "plan.toml")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    (problem,) = raised.value.problems
    return problem, peak


def test_keys_of_up_to_eight_parts_reach_the_parser():
    (eight,) = problems_of(HEADER + ".".join("abcdefgh") + " = 1\n")
    assert eight.message == "unknown key 'a' in the plan"
    (nine,) = problems_of(HEADER + ".".join("abcdefghi") + " = 1\n")
    assert nine.message == "a dotted key has 9 parts; a plan's keys have at most 8"


@pytest.mark.parametrize("parts", [20_000, 100_000])
def test_a_key_of_thousands_of_parts_is_refused_before_parsing(parts, parser_forbidden):
    text = HEADER + ".".join(f"k{index % 10}" for index in range(parts)) + " = 1\n"
    problem, peak = refusal_and_peak_memory(text)
    assert problem.message == f"a dotted key has {parts} parts; a plan's keys have at most {codec.MAX_KEY_PARTS}"
    assert problem.line == 3 and "shorten the key" in problem.hint
    assert peak < 10 * len(text)


@pytest.mark.parametrize("opening", ["x = " + "[" * 100_000, "x = " + "{a = " * 50_000, "[[a]]\n" * 3 + "x = [" * 100],
                         ids=["arrays", "inline tables", "after tables"])
def test_deep_nesting_is_refused_before_parsing(opening, parser_forbidden):
    problem, peak = refusal_and_peak_memory(HEADER + opening)
    assert problem.message == f"arrays or tables are nested more than {codec.MAX_NESTING} levels deep"
    assert problem.line == HEADER.count("\n") + 1 + opening.count("\n") and problem.hint
    assert peak < 10 * len(HEADER + opening)


def test_brackets_and_dots_in_strings_and_comments_are_not_counted_as_structure():
    dots, brackets = ".".join("abcdefghijklmnop"), "[{" * 40
    plan = loads(f'''schema = 1  # {dots} {brackets}
name = "{dots} {brackets}"
description = """{brackets}
{dots}"""
[[people]]
id = 'a'
name = '{dots} {brackets}'
notes = \'\'\'{brackets}\'\'\'
''')
    assert plan.name == f"{dots} {brackets}" and plan.scenario().person("a").notes == brackets


def test_a_double_byte_order_mark_is_refused_and_a_single_one_is_read(tmp_path):
    path = tmp_path / "plan.toml"
    bom = "\ufeff".encode()
    path.write_bytes(bom + HEADER.encode())
    assert load(path).name == "Test"
    path.write_bytes(bom + bom + HEADER.encode())
    with pytest.raises(PlanFileError) as raised:
        load(path)
    (problem,) = raised.value.problems
    assert "two byte-order marks" in problem.message and "UTF-8" in problem.hint and problem.line == 1


def test_control_characters_and_escapes_are_stripped_on_load():
    plan = loads(HEADER + '[[people]]\nid = "a"\nname = "\\u001b]52;c;aGk=\\u0007Ana\\u009b"\nnotes = "line1\\nline2\\u0000"\n')
    person = plan.scenario().person("a")
    assert person.name == "]52;c;aGk=Ana"
    assert person.notes == "line1\nline2"


def test_line_breaks_in_names_become_spaces_and_invisible_characters_go():
    plan = loads(HEADER + '[[people]]\nid = "a"\nname = "Ana\\r\\nLopez\\u2028Ruiz"\n'
                 'title = "\\u202eHead\\u2066 of\\u200b sales\\u2069\\u200d\\ufeff"\n'
                 'notes = "line1\\r\\nline2\\u202e"\n')
    person = plan.scenario().person("a")
    assert (person.name, person.title, person.notes) == ("Ana Lopez Ruiz", "Head of sales", "line1\nline2")


def test_every_unicode_format_character_is_removed_from_texts():
    formats = [chr(code) for code in range(sys.maxunicode + 1) if unicodedata.category(chr(code)) == "Cf"]
    assert "\u202e" in formats and "\u2066" in formats and "\u200b" in formats
    assert [char for char in formats if clean_line(f"a{char}b") != "ab"] == []
    assert [char for char in formats if clean_multiline(f"a{char}b") != "ab"] == []


def test_invisible_characters_in_names_do_not_shift_report_columns():
    rows = '[[people]]\nid = "a"\nname = "{}"\ntitle = "Owner"\n[[people]]\nid = "b"\nname = "Bo"\nmanager = "a"\n'
    plain = loads(HEADER + rows.format("Ana Lopez"))
    hostile = loads(HEADER + rows.format("\\u202eAna\\u200d\\u200b\\nLopez\\u2069"))
    assert analysis_text(analyse(hostile)) == analysis_text(analyse(plain))


def test_markup_in_names_is_kept_literally(tmp_path):
    plan = loads(HEADER + '[[people]]\nid = "a"\nname = "[bold]x[/]"\n')
    save(plan, tmp_path / "p.toml")
    assert load(tmp_path / "p.toml").scenario().person("a").name == "[bold]x[/]"


def test_a_save_that_fails_leaves_the_old_file_and_no_temp_file(separate, tmp_path, monkeypatch):
    path = tmp_path / "plan.toml"
    save(separate, path)
    original = path.read_bytes()
    separate.name = "Changed"

    def broken_replace(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files_module.os, "replace", broken_replace)
    with pytest.raises(PlanError, match="No space left"):
        save(separate, path)
    assert path.read_bytes() == original
    assert os.listdir(tmp_path) == ["plan.toml"]


def test_a_save_that_would_not_read_back_is_refused(separate, tmp_path, monkeypatch):
    path = tmp_path / "plan.toml"
    save(separate, path)
    original = path.read_bytes()
    other = dumps(load_layout("merged"))
    monkeypatch.setattr(files_module.tomli_w, "dumps", lambda data: other)
    with pytest.raises(PlanError, match="did not read back"):
        save(separate, path)
    assert path.read_bytes() == original


def test_a_save_keeps_the_file_mode_and_a_new_file_follows_the_umask(separate, tmp_path):
    path = tmp_path / "plan.toml"
    save(separate, path)
    umask = os.umask(0)
    os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask
    path.chmod(0o640)
    save(separate, path)
    assert path.stat().st_mode & 0o777 == 0o640


def test_missing_file_and_folder_are_clear_errors(tmp_path):
    with pytest.raises(PlanFileError, match="problem"):
        load(tmp_path / "nope.toml")
    with pytest.raises(PlanFileError):
        load(tmp_path)


def test_the_layouts_folder_is_found():
    assert (layouts_dir() / "merged.toml").is_file()


@pytest.mark.parametrize(("broken", "line", "fix"), [
    ('[[people]\nid = "ana"\nname = "Ana"\n', 3, "close the header with ]]"),
    ('[settings\ncapacity_hours = 40\n', 3, "close the header with ]"),
    ('[[people]]\nid = "ana"\nname = Ana Lee\n', 5, 'texts need "quotes"'),
    ('[[people]]\nid "ana"\n', 4, "put = between the key and its value"),
    ('[[people]]\nid = "ana\n', 4, "add its closing quote"),
    ('[[people]]\nid = "ana"\nnotes = \'\'\'a\n', 5, "close the multi-line string"),
    ("[[people]]\nid = 'ana\n", 4, "close the 'literal string'"),
    ('[[people]]\nid = "ana"\nroles = ["sales-rep"\n', 5, "close the list"),
])
def test_a_syntax_error_says_how_to_fix_that_mistake(broken: str, line: int, fix: str):
    [problem] = problems_of(HEADER + broken)
    assert problem.message.startswith("not valid TOML: ") and problem.line == line
    assert fix in problem.hint, problem.hint


CORPUS = SHARED / "corpus" / "toml-test" / "invalid"
CORPUS_FILES = sorted(CORPUS.rglob("*.toml")) if CORPUS.is_dir() else []


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not beside the repo")
@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: str(p.relative_to(CORPUS)))
def test_every_invalid_toml_file_gives_a_clear_error(path: Path):
    with pytest.raises(PlanFileError) as raised:
        load(path)
    assert raised.value.problems
    for problem in raised.value.problems:
        assert problem.message and problem.hint
        assert problem.hint != codec.SYNTAX_HINT_FALLBACK, f"no fix of its own for {problem.message!r}"
