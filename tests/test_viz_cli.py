"""``ecosim viz`` as a subprocess (bad scenario, busy port: one clear error, exit 2), the levers
built from the schema, and the WorkshopModel's baseline pairing."""

from __future__ import annotations

import inspect
import socket
import subprocess
import sys

import numpy as np
import pytest

from ecosim.viz import levers
from ecosim.viz.server import is_loopback_host
from viz_servers import REPO, free_port


def _viz(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ecosim", "viz", "--no-open", *args], cwd=REPO,
                          capture_output=True, text=True, timeout=timeout)


def test_bad_scenario_exits_2_with_located_error(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("extends: " + str(REPO / "scenarios/tiny.yaml") + "\n"
                   "policies:\n  careers_guidance:\n    qualty: 0.8\n")
    r = _viz(str(bad), "--port", str(free_port()))
    assert r.returncode == 2
    assert "qualty" in r.stderr and "did you mean 'quality'" in r.stderr
    assert "Traceback" not in r.stderr and "warming" not in r.stderr


def test_missing_scenario_exits_2():
    r = _viz("scenarios/no_such_file.yaml")
    assert r.returncode == 2 and "no such scenario file" in r.stderr


def test_busy_port_one_line_error_exit_2():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        port = s.getsockname()[1]
        r = _viz("--port", str(port))
    assert r.returncode == 2
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    errors = [ln for ln in lines if ln.startswith("error:")]
    assert len(errors) == 1 and f"port {port}" in errors[0] and "in use" in errors[0]
    assert "Traceback" not in r.stderr


def test_help_stays_light():
    code = ("import sys, ecosim.cli as c; c.build_parser(); "
            "print(any(m in sys.modules for m in ('solara', 'mesa', 'numba', 'matplotlib')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=REPO, timeout=60).stdout.strip()
    assert out == "False"


def test_loopback_hosts():
    assert is_loopback_host("127.0.0.1") and is_loopback_host("localhost")
    assert is_loopback_host("::1") and is_loopback_host("127.3.4.5")
    assert not is_loopback_host("0.0.0.0") and not is_loopback_host("192.168.1.10")


# ------------------------------------------------------------------------------- levers
def test_every_lever_is_a_model_argument_with_schema_help():
    from ecosim.viz.workshop_model import WorkshopModel

    params = inspect.signature(WorkshopModel.__init__).parameters
    for lv in levers.LEVERS:
        assert lv.name in params, lv.name
        help_ = levers.help_text(lv)
        assert help_.endswith(".") and 10 < len(help_) < 200, (lv.name, help_)
        levers.field_info(lv.path)  # the path exists in the schema
    assert "seed" in params and "scenario_path" in params


def test_unchanged_levers_give_no_overrides_and_switches_work():
    from ecosim.scenario import load_scenario

    scn = load_scenario(REPO / "scenarios/tiny.yaml")
    defaults = {lv.name: levers.scenario_value(scn, lv) for lv in levers.LEVERS}
    assert levers.overrides(scn, defaults) == []
    ov = dict(levers.overrides(scn, {**defaults, "account_credit": 800, "account_cap": 3000,
                                     "business_support": 4.0}))
    assert ov["policies.training_accounts.credit_gbp_per_year"] == 800
    assert ov["policies.training_accounts.cap_gbp"] == 3000
    assert ov["policies.business_support.budget_gbp_per_year"] == pytest.approx(4e6)
    # a cap without accounts does nothing
    assert levers.overrides(scn, {**defaults, "account_cap": 3000}) == []


def test_devolved_weights_apply_only_under_a_devolved_aeb():
    from ecosim.scenario import load_scenario

    scn = load_scenario(REPO / "scenarios/tiny.yaml")
    assert scn.policies.aeb.regime == "centralised"
    defaults = {lv.name: levers.scenario_value(scn, lv) for lv in levers.LEVERS}
    # the page shows what a devolved AEB would use: the devolved rules' own defaults (Level 3
    # weight 2.5), not the bare weight field's (1)
    assert defaults["level3_weight"] == pytest.approx(2.5)
    assert defaults["priority_weight"] == pytest.approx(
        levers.field_info("policies.aeb.devolved.priority_sector_weight").default)
    assert defaults["non_priority_share"] == pytest.approx(0.25)
    # under the centralised regime the schema refuses devolved rules: the lever waits
    assert levers.overrides(scn, {**defaults, "level3_weight": 4.0}) == []
    ov = levers.overrides(scn, {**defaults, "aeb_regime": "devolved", "level3_weight": 4.0})
    assert dict(ov)["policies.aeb.devolved.level_weights.level3"] == 4.0
    rebuilt = load_scenario(REPO / "scenarios/tiny.yaml", ov)
    assert rebuilt.policies.aeb.regime == "devolved"
    assert rebuilt.policies.aeb.devolved.level_weights.level3 == 4.0


@pytest.mark.slow
def test_baseline_is_the_unchanged_scenario_same_seed_bit_for_bit():
    from ecosim.model.model import SkillsEcosystem
    from ecosim.model.simulate import warmup
    from ecosim.viz.workshop_model import WorkshopModel, base_scenario

    warmup(progress_message=False)
    path = str(REPO / "scenarios/tiny.yaml")
    m = WorkshopModel(scenario_path=path, seed="11", guidance_quality=0.9,
                      aeb_regime="devolved")
    same = WorkshopModel(scenario_path=path, seed=11, guidance_quality=0.5)
    assert m.has_baseline and not same.has_baseline
    ref = SkillsEcosystem(base_scenario(path), rng=11)
    for _ in range(6):
        m.step()
        same.step()
        ref.step()
    for k in ("share_level3_plus", "employment_rate", "public_spend_gbp"):
        np.testing.assert_array_equal(m.baseline.current_metrics[k], ref.current_metrics[k])
        np.testing.assert_array_equal(same.policy.current_metrics[k], ref.current_metrics[k])
    assert m.policy.current_metrics["public_spend_gbp"][0] != ref.current_metrics[
        "public_spend_gbp"][0]
    assert m.quarter == m.baseline.quarter == 6


@pytest.mark.slow
def test_ctrl_c_stops_cleanly(tmp_path):
    import signal

    from viz_servers import server_process

    port = free_port()
    args = ["-m", "ecosim", "viz", "--no-open", "--port", str(port)]
    with server_process(args, port, tmp_path / "log", ready_text="ecosim viz: open") as proc:
        out = (tmp_path / "log").read_text()
        assert f"http://127.0.0.1:{port}/" in out and "warming the model kernels" in out
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=30) == 0
    out = (tmp_path / "log").read_text()
    assert "ecosim viz: stopped" in out and "Traceback" not in out


@pytest.mark.slow
def test_agent_tables_and_exports_read_the_runs():
    from ecosim.model.agents import Employer
    from ecosim.model.simulate import warmup
    from ecosim.viz import agents_view, plots
    from ecosim.viz.export import metrics_frame
    from ecosim.viz.workshop_model import WorkshopModel

    warmup(progress_message=False)
    m = WorkshopModel(scenario_path=str(REPO / "scenarios/tiny.yaml"), account_credit=800)
    for _ in range(3):
        m.step()
    scn = m.policy.scenario
    prov = agents_view.providers_html(m)
    n_prov = len(scn.providers.colleges) + len(scn.providers.universities)
    assert prov.count("<tr>") == n_prov + 1  # header + one row per provider
    emp = agents_view.employers_html(m)
    sectors = {e.sector for e in m.policy.agents_by_type[Employer]}
    assert emp.count("<tr>") == len(sectors) + 1
    lrn = agents_view.learners_html(m)
    assert lrn.count("<tr>") == len(m.sample_uids) + 1 and "Y0:" in lrn
    df = metrics_frame(m)
    assert set(df["run"]) == {"room", "baseline"}
    assert len(df[df.run == "room"]) == len(df[df.run == "baseline"]) == 3 * (
        1 + len(scn.region.districts))
    assert plots.all_figures_png(m)[:8] == b"\x89PNG\r\n\x1a\n"


def test_server_settings_offline_no_telemetry_short_cull():
    code = ("import os; from ecosim.viz.server import offline_environment as e; "
            "os.environ.update(e('x')); import solara.settings as s; "
            "import solara.server.settings as ss; "
            "print(ss.telemetry.mixpanel_enable, ss.kernel.cull_timeout, s.assets.cdn, "
            "s.assets.proxy, (ss.assets.proxy_cache_dir / 'requirejs@2.3.6').is_dir())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=REPO, timeout=120).stdout.split()
    assert out[0] == "False" and out[1] == "20s"
    assert out[2].startswith("http://127.0.0.1:") and out[3] == "True" and out[4] == "True"
