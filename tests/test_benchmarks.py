"""The benchmarks run, and the plain-Mesa learner agrees with the numba kernels.

No timing assertions here: speed is reported by ``benchmarks/run.py``, not tested.
"""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
BENCH = ROOT / "benchmarks"
sys.path.insert(0, str(BENCH))


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    return env


def test_pure_python_philox_is_bit_identical_to_rng():
    import pyphilox

    worst = pyphilox.check_against_rng(300)
    assert worst == {"philox": 0.0, "uniform": 0.0, "normal": 0.0, "gumbel": 0.0}


@pytest.fixture(scope="module")
def inputs_q5():
    """3,000 learners after 4 quarters of the model: some are on courses in quarter 5."""
    import mesa_reference

    return mesa_reference.make_inputs(3000, warm_quarters=4)


def test_mesa_learner_matches_kernels_first_quarter():
    """Quarter 1 (no one on a course yet): decisions, allocation, employer training."""
    import mesa_reference

    diffs, act = mesa_reference.agree(n_learners=1500, warm_quarters=0, shuffle_seed=0)
    assert set(diffs) == set(mesa_reference.COMPARED)
    assert all(v == 0.0 for v in diffs.values()), diffs
    assert act["ranked a course"] > 0 and act["started"] > 0


def test_mesa_learner_matches_kernels_with_learning(inputs_q5):
    """Quarter 5: every mechanism of the learner quarter, shuffled activation order."""
    import mesa_reference

    diffs, _ = mesa_reference.agree(shuffle_seed=123, inp=inputs_q5)
    assert all(v == 0.0 for v in diffs.values()), diffs


def test_mesa_learner_comparison_is_not_vacuous(inputs_q5):
    """The quarter changes state on both sides: learners decide, start, progress, complete."""
    import mesa_reference

    a = inputs_q5.fresh_arrays()
    mesa_reference.kernels_quarter(inputs_q5, a)
    act = mesa_reference.activity(inputs_q5, a)
    for what in ("considered", "ranked a course", "started", "continued", "completed",
                 "level raised", "trained by employer"):
        assert act[what] > 0, (what, act)
    assert not (a["skill"] == inputs_q5.learners["skill"]).all()
    assert (a["age"] > inputs_q5.learners["age"]).all()


def test_mesa_comparison_detects_a_changed_rule(inputs_q5):
    """A slightly different parameter on the Mesa side shows up as a difference."""
    import mesa_reference

    a = inputs_q5.fresh_arrays()
    mesa_reference.kernels_quarter(inputs_q5, a)
    model = mesa_reference.LearnerModel(inputs_q5, rng=5)
    model.rank["taste_scale"] *= 1.0 + 1e-9
    model.p["ojt_rate"] *= 1.0 + 1e-9
    model.step()
    diffs = mesa_reference.compare(a, model.arrays())
    assert diffs["utils"] > 0.0 and diffs["skill"] > 0.0


@pytest.mark.slow
def test_run_quick_finishes(tmp_path):
    out = tmp_path / "results.md"
    p = subprocess.run([sys.executable, str(BENCH / "run.py"), "--quick", "--out", str(out)],
                       cwd=ROOT, env=_env(), capture_output=True, text=True,
                       timeout=300)  # ~2 minutes on a quiet 2-core machine; room for load
    assert p.returncode == 0, p.stdout[-3000:] + p.stderr[-3000:]
    text = out.read_text()
    for heading in ("0. Where time goes", "1. Against plain Mesa", "2. Scaling",
                    "3. Against the memory limit", "4. Start-up", "5. Sweeps", "6. Threads",
                    "7. Issue #3 claims"):
        assert heading in text, heading
    assert "Section failed" not in text
