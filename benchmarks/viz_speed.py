"""Speed of the workshop page (``ecosim viz``) on scenarios/tiny.yaml with the default panels.

    python benchmarks/viz_speed.py [--quarters 48] [--browser-seconds 30] [--no-write]

Measures, and writes as a section of benchmarks/results.md (between the viz_speed markers):

* server side, in-process (``solara.render`` of the page inside ``solara.AppLayout``): quarters
  per second while stepping *and* re-rendering every panel of the first tab after each quarter
  (render interval 1), with no lever changed (one run) and with a lever changed (the room's run
  and the baseline, two runs); the time of a Reset (a new WorkshopModel built and drawn);
* in the browser: ``ecosim viz`` started as a subprocess; time from the command's start to the
  page showing its quarter readout in Chromium; quarters per second while playing (readout
  advance over wall time, lever changed: two runs) and how often the readout visibly changed
  (the server skips redraws it cannot keep up with, so a redraw may jump several quarters);
  Reset time as the browser sees it.

Not a test: figures depend on the machine and on what else runs on it; the load average is
reported with them.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
RESULTS = ROOT / "benchmarks" / "results.md"
START, END = "<!-- viz_speed:start -->", "<!-- viz_speed:end -->"


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def server_side(quarters: int) -> dict[str, float]:
    import ipyvuetify as v
    import solara

    from ecosim.model.simulate import warmup
    from ecosim.viz import page as page_mod
    from ecosim.viz.workshop_model import WorkshopModel

    warmup(progress_message=False)
    w = WorkshopModel(scenario_path=str(ROOT / "scenarios" / "tiny.yaml"), aeb_regime="devolved")
    for _ in range(4):
        w.step()
    os.environ[page_mod.SCENARIO_ENV] = str(ROOT / "scenarios" / "tiny.yaml")

    @solara.component
    def InLayout():
        with solara.AppLayout():
            page_mod.Page()

    out: dict[str, float] = {}
    box, rc = solara.render(InLayout(), handle_error=False)
    step = rc.find(v.Btn, children=["Step"]).widget
    reset = rc.find(v.Btn, children=["Reset"]).widget
    for label, regime in (("one run (no lever changed)", "centralised"),
                          ("two runs (lever changed)", "devolved")):
        rc.find(v.Select, label="AEB regime").widget.v_model = regime
        t0 = time.perf_counter()
        reset.click()
        out[f"Reset, {label} (s)"] = time.perf_counter() - t0
        n = min(quarters, 24)
        t0 = time.perf_counter()
        for _ in range(n):
            step.click()  # one quarter, then every panel of the tab is re-rendered
        out[f"quarters per second rendered, {label}"] = n / (time.perf_counter() - t0)
    box.close()
    return out


def in_browser(seconds: float) -> dict[str, float]:
    from browser_support import chromium_browser, offline_page
    from viz_servers import free_port

    port = free_port()
    log = Path("/tmp") / f"viz_speed_{port}.log"
    out: dict[str, float] = {}
    t_start = time.perf_counter()
    with open(log, "w") as fh:
        proc = subprocess.Popen([sys.executable, "-m", "ecosim", "viz", "--no-open", "--port",
                                 str(port)], cwd=ROOT, stdout=fh, stderr=subprocess.STDOUT,
                                start_new_session=True)
    try:
        while "ecosim viz: open" not in log.read_text():
            if proc.poll() is not None:
                raise RuntimeError(log.read_text())
            time.sleep(0.05)
        out["command start to server listening (s)"] = time.perf_counter() - t_start
        with chromium_browser() as browser, offline_page(browser, (1600, 1000)) as (page, _l):
            page.goto(f"http://127.0.0.1:{port}/")
            page.locator(".ecosim-quarter").wait_for(timeout=120_000)
            out["command start to page ready in Chromium (s)"] = time.perf_counter() - t_start

            def quarter() -> int:
                m = re.match(r"Quarter (\d+)", page.locator(".ecosim-quarter").inner_text())
                return int(m.group(1)) if m else -1

            page.get_by_label("AEB regime").click(force=True)
            page.get_by_role("option", name="devolved").click()
            t0 = time.perf_counter()
            page.get_by_role("button", name="Reset").click()
            page.locator(".ecosim-changes", has_text="The room's changes").wait_for()
            out["Reset seen in the browser, two runs (s)"] = time.perf_counter() - t0
            rates, seen = [], 0
            while sum(r[1] for r in rates) < seconds:
                q0, t0 = quarter(), time.perf_counter()
                page.get_by_role("button", name="▶").click()
                last = q0
                while last < 24 and time.perf_counter() - t0 < seconds:
                    time.sleep(0.05)
                    q = quarter()
                    seen += q != last
                    last = q
                q1, t1 = quarter(), time.perf_counter()
                rates.append((q1 - q0, t1 - t0))
                if q1 < 24:
                    page.get_by_role("button", name="❚❚").click()
                    break
                page.get_by_role("button", name="Reset").click()
                page.get_by_text("Quarter 0 of").wait_for()
            wall = sum(r[1] for r in rates)
            out["quarters per second in the browser while playing, two runs"] = (
                sum(r[0] for r in rates) / wall)
            out["readout changes seen per second (sampled every 50 ms), two runs"] = seen / wall
    finally:
        import signal

        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)
    return out


def section(figures: dict[str, float], load_start: str, load_end: str) -> str:
    rows = "\n".join(f"| {k} | {v:.2f} |" for k, v in figures.items())
    busy = float(load_start.split()[0]) > 1.5 or float(load_end.split()[0]) > 1.5
    load_note = ("**other processes were competing for the CPU**, so these are lower bounds of "
                 "what a quiet machine gives." if busy else
                 "nothing else was using the CPU to speak of (the benchmark's own browser and "
                 "server aside).")
    return f"""{START}
## Workshop app (`ecosim viz`): quarters per second, Reset, start-up

Written by `python benchmarks/viz_speed.py` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}
(scenarios/tiny.yaml, ~5,000 learner agents, default panels: status and six SVG KPI charts,
render interval 1, play interval 20 ms). "Two runs" = a lever changed, so the room's run and the
baseline are both stepped each quarter. Kernel cache warm. Load average at start {load_start},
at end {load_end} on 2 cores: {load_note}

| measure | value |
|---|---|
{rows}

The server-side rows come from `solara.render` in-process (the harness the tests use, with no
front end attached): every quarter the whole first tab is re-rendered synchronously. The browser
rows are what a room sees; compare the readout changes per second with the quarters per second
to see whether every quarter was drawn.
{END}
"""


def write(text: str) -> None:
    old = RESULTS.read_text() if RESULTS.exists() else ""
    if START in old and END in old:
        new = old[: old.index(START)] + text.strip() + old[old.index(END) + len(END):]
    else:
        new = old.rstrip() + "\n\n" + text
    tmp = RESULTS.with_suffix(".md.tmp")
    tmp.write_text(new)
    tmp.replace(RESULTS)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quarters", type=int, default=24)
    ap.add_argument("--browser-seconds", type=float, default=30.0)
    ap.add_argument("--no-write", action="store_true")
    a = ap.parse_args()
    load_start = _load()
    figures = {**server_side(a.quarters), **in_browser(a.browser_seconds)}
    text = section(figures, load_start, _load())
    print(text)
    if not a.no_write:
        write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
