"""Every kind of bad scenario input gives a located, readable error and exit code 2."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from conftest import DATA, ROOT, ToyScenario
from ecosim.errors import InputError
from ecosim.scenario import load_model_file, load_scenario

TINY = ROOT / "scenarios" / "tiny.yaml"

# file -> substrings the message must contain (file name, line, key path, what, hint)
CASES = {
    "unknown_key.yaml": ["unknown_key.yaml:5:3", "employers.n_agentz", "unknown key",
                         "did you mean 'n_agents'?"],
    "wrong_type.yaml": ["wrong_type.yaml:4:3", "run.seed", "valid integer", "'twelve'"],
    "out_of_range.yaml": ["2 problems", "out_of_range.yaml:4:3", "employers.training_cost_gbp",
                          "greater than or equal to 0 (got -600)", "out_of_range.yaml:6:3",
                          "learners.barrier_care_mean", "less than or equal to 1 (got 1.5)"],
    "missing_field.yaml": ["3 problems", "missing_field.yaml:1:1", "region: required field is "
                           "missing", "sectors: required", "providers: required"],
    "syntax_error.yaml": ["syntax_error.yaml:5:16", "YAML syntax error", "flow sequence",
                          "line 4"],
    "missing_extends.yaml": ["missing_extends.yaml:1:1", "extends", "no such file "
                             "'no_such_base.yaml'"],
    "cycle_a.yaml": ["cycle_b.yaml:1:1", "extends", "cycle", "cycle_a.yaml -> ",
                     "cycle_b.yaml -> ", "cycle_a.yaml"],
    "semantic.yaml": ["semantic.yaml:5:3", "labour_market.applications_per_searcher",
                      "cannot exceed candidates_per_searcher"],
    "empty.yaml": ["empty.yaml", "empty"],
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_file_message(name):
    with pytest.raises(InputError) as ei:
        load_scenario(DATA / name)
    msg = str(ei.value)
    for part in CASES[name]:
        assert part in msg, f"{part!r} not in:\n{msg}"
    assert "Traceback" not in msg


def test_policies_typo_hint(write):
    f = write("p.yaml", """
        name: x
        districts: [{name: A, population: 1}]
        policies:
          aeb:
            budjet: 5
        """)
    with pytest.raises(InputError) as ei:
        load_model_file(f, ToyScenario)
    assert "p.yaml:5:5: policies.aeb.budjet: unknown key; did you mean 'budget'?" in str(ei.value)


def test_binary_file(write):
    f = write("bin.yaml", b"name: x\n\x00\x01\x02garbage")
    with pytest.raises(InputError, match=r"bin\.yaml: binary file \(NUL byte at offset 8\)"):
        load_scenario(f)


def test_not_utf8(write):
    f = write("latin.yaml", "name: caf\xe9\n".encode("latin-1"))
    with pytest.raises(InputError, match=r"latin\.yaml:1: not UTF-8 text \(invalid byte 0xe9"):
        load_scenario(f)


def test_huge_file_refused_by_size(tmp_path):
    f = tmp_path / "huge.yaml"
    with open(f, "wb") as fh:  # sparse: 50 MB on paper, instant to make
        fh.truncate(50 * 1024 * 1024)
    t0 = time.perf_counter()
    with pytest.raises(InputError, match=r"huge\.yaml: file is 52\.4 MB; scenario files are "
                                         r"limited to 5 MB"):
        load_scenario(f)
    assert time.perf_counter() - t0 < 0.5


@pytest.mark.parametrize(("text", "expect"), [
    ("", "file is empty"),
    ("   \n\n", "file is empty"),
    ("- a\n- b\n", "top level must be a mapping"),
    ("just text\n", "top level must be a mapping"),
    ("name: x\nname: y\n", "duplicate key"),
    ("name: !!python/object:os.system {}\n", "unsupported YAML tag"),
    ("name: !custom x\n", "unsupported YAML tag"),
    ("extends: [a, b]\nname: x\n", "extends: must be the name of a scenario file"),
])
def test_other_bad_texts(write, text, expect):
    with pytest.raises(InputError, match="bad.yaml") as ei:
        load_scenario(write("bad.yaml", text))
    assert expect in str(ei.value)


def test_missing_and_directory(tmp_path):
    with pytest.raises(InputError, match="no such scenario file"):
        load_scenario(tmp_path / "nope.yaml")
    with pytest.raises(InputError, match="is a directory"):
        load_scenario(tmp_path)


def test_extends_self(write):
    f = write("self.yaml", "extends: self.yaml\nname: x\n")
    with pytest.raises(InputError, match=r"self\.yaml:1:1: extends: cycle"):
        load_scenario(f)


def test_broken_base_named(write):
    write("base.yaml", "name: [unclosed\n")
    f = write("child.yaml", "extends: base.yaml\nname: x\n")
    with pytest.raises(InputError, match=r"base\.yaml:2:1: YAML syntax error"):
        load_scenario(f)


def test_cli_exit_code_2_for_every_bad_file(tmp_path):
    """One subprocess checks all the bad files: exit 2, each error reported, no traceback."""
    huge = tmp_path / "huge.yaml"
    with open(huge, "wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"\x00\xff" * 100)
    files = [str(DATA / n) for n in sorted(CASES)] + [str(huge), str(binary), str(TINY)]
    r = subprocess.run([sys.executable, "-m", "ecosim", "check", *files], capture_output=True,
                       text=True, timeout=60, cwd=ROOT, stdin=subprocess.DEVNULL,
                       env={**os.environ, "PYTHONWARNINGS": "ignore"})
    assert r.returncode == 2, r.stdout + r.stderr
    out = r.stdout
    assert "Traceback" not in out + r.stderr
    assert out.count("FAIL ") == len(CASES) + 2
    assert "OK   tiny: Small, fast North East baseline" in out
    for name, parts in CASES.items():
        assert parts[0] in out, name
    assert "file is 52.4 MB" in out and "binary file" in out
    assert f"{len(CASES) + 2} of {len(files)} file(s) failed" in out


def test_cli_run_bad_scenario_exit_2(tmp_path):
    r = subprocess.run([sys.executable, "-m", "ecosim", "run", str(DATA / "unknown_key.yaml"),
                        "--out", str(tmp_path / "out")], capture_output=True, text=True,
                       timeout=60, cwd=ROOT, stdin=subprocess.DEVNULL)
    assert r.returncode == 2
    assert r.stderr.startswith("error: tests/data/unknown_key.yaml:5:3: employers.n_agentz: "
                               "unknown key; did you mean 'n_agents'?")
    assert "Traceback" not in r.stderr
    assert not (tmp_path / "out").exists()


def test_cli_bad_override_exit_2():
    r = subprocess.run([sys.executable, "-m", "ecosim", "check", str(TINY), "--set",
                        "employers.n_agentz=3"], capture_output=True, text=True, timeout=60,
                       cwd=ROOT, stdin=subprocess.DEVNULL)
    assert r.returncode == 2
    assert ("--set employers.n_agentz=3: employers.n_agentz: unknown key; did you mean "
            "'n_agents'?") in r.stdout
