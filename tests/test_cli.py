"""The command line: subcommands, the extension registry, exit codes, fast start, end to end."""

from __future__ import annotations

import json
import subprocess
import sys
import types

import pytest

import ecosim.cli as cli
from conftest import ROOT
from ecosim.errors import InputError

TINY = ROOT / "scenarios" / "tiny.yaml"
FAST = ["--set", "run.horizon_years=2", "--set", "run.burn_in_years=1"]


def run_cli(*args: str, cwd=ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ecosim", *args], capture_output=True,
                          text=True, timeout=120, cwd=cwd, stdin=subprocess.DEVNULL)


def test_help_is_fast_and_light():
    code = ("import sys, ecosim, ecosim.cli; ecosim.cli.build_parser(); "
            "print(sorted(m for m in ('numba', 'mesa', 'pandas', 'dask', 'matplotlib') "
            "if m in sys.modules))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.stdout.strip() == "[]", r.stdout + r.stderr
    r = run_cli("--help")
    assert r.returncode == 0
    for cmd in ("run", "check", "scenarios", "schema"):
        assert cmd in r.stdout


def test_no_command_prints_help(capsys):
    assert cli.main([]) == 2
    assert "usage: ecosim" in capsys.readouterr().err


def test_run_prints_where_results_went(tmp_path, fake_simulate, capsys):
    out = tmp_path / "r"
    assert cli.main(["run", str(TINY), "-r", "2", "--seed", "3", *FAST, "--out", str(out)]) == 0
    o = capsys.readouterr().out
    assert f"results: {out}" in o and "share_level3_plus" in o
    assert (out / "manifest.json").exists()
    assert cli.main(["run", str(TINY), "-q", *FAST, "--out", str(out)]) == 2
    assert "already holds a complete run; use --overwrite" in capsys.readouterr().err
    assert cli.main(["run", str(TINY), "-q", *FAST, "--out", str(out), "--overwrite"]) == 0
    assert capsys.readouterr().out.strip() == f"results: {out}"


def test_check_ok(capsys):
    assert cli.main(["check", str(TINY), str(ROOT / "scenarios" / "north_east_baseline.yaml")]) == 0
    o = capsys.readouterr().out.splitlines()
    assert o[0].startswith("OK   tiny: Small, fast") and o[1].startswith("OK   north_east_baseline")


def test_scenarios_lists_with_descriptions(tmp_path):
    r = run_cli("scenarios")
    assert r.returncode == 0
    assert "tiny.yaml" in r.stdout and "Small, fast North East baseline" in r.stdout
    r = run_cli("scenarios", cwd=tmp_path)  # no ./scenarios: falls back to the repository's
    assert r.returncode == 0 and "north_east_baseline.yaml" in r.stdout


def test_schema(tmp_path, capsys):
    out = tmp_path / "schema.json"
    assert cli.main(["schema", "--out", str(out)]) == 0
    assert capsys.readouterr().out == f"schema: {out}\n"
    schema = json.loads(out.read_text())
    assert schema["title"] == "Scenario" and "region" in schema["properties"]
    assert cli.main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out)["title"] == "Scenario"


def test_registry_adds_commands_and_skips_missing(monkeypatch, capsys):
    mod = types.ModuleType("ecosim_fake_cmds")

    def register(sub):
        p = sub.add_parser("hello", help="say hello")
        p.add_argument("--who", default="world")
        p.set_defaults(func=lambda a: print(f"hello {a.who}") or 0)

    mod.register = register
    monkeypatch.setitem(sys.modules, "ecosim_fake_cmds", mod)
    monkeypatch.setattr(cli, "EXTRA_COMMAND_MODULES",
                        ["ecosim.not_written_yet.cli", "ecosim.model.not_a_cli",
                         "ecosim_fake_cmds"])
    assert cli.main(["hello", "--who", "you"]) == 0
    assert capsys.readouterr().out == "hello you\n"


def test_registry_surfaces_real_import_errors(monkeypatch):
    def bad_import(name, *a, **k):
        raise ModuleNotFoundError("No module named 'somedep'", name="somedep")

    monkeypatch.setattr(cli.importlib, "import_module", bad_import)
    monkeypatch.setattr(cli, "EXTRA_COMMAND_MODULES", ["ecosim.viz.cli"])
    with pytest.raises(ModuleNotFoundError):
        cli.build_parser()


def test_exit_codes(monkeypatch, capsys):
    def boom(args):
        raise InputError("bad thing\n  detail")

    def interrupt(args):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "cmd_schema", boom)
    assert cli.main(["schema"]) == 2
    assert capsys.readouterr().err == "error: bad thing\n  detail\n"
    monkeypatch.setattr(cli, "cmd_schema", interrupt)
    assert cli.main(["schema"]) == 130


def test_argparse_errors_exit_2():
    r = run_cli("run")
    assert r.returncode == 2 and "usage:" in r.stderr


@pytest.mark.slow
@pytest.mark.e2e
def test_real_model_end_to_end(tmp_path, capsys):
    out = tmp_path / "r"
    rc = cli.main(["run", str(TINY), "-q", "-r", "2", "--set", "run.horizon_years=1",
                   "--set", "run.burn_in_years=0", "--set", "employers.n_agents=100",
                   "--set", "run.persons_per_agent=1000", "--out", str(out)])
    assert rc == 0
    from ecosim import open_results

    res = open_results(out)
    df = res.metrics
    assert list(df.columns[:5]) == ["replication", "seed", "quarter", "year", "area"]
    assert set(df["quarter"]) == {1, 2, 3, 4}
    assert "region" in set(df["area"]) and df["area"].nunique() == 1 + 7
    assert res.summary["across"]["share_level3_plus"]["n"] == 2
    assert 0 < res.summary["across"]["share_level3_plus"]["mean"] < 1
