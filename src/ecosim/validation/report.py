"""The validation table on the terminal, and ``validation.csv`` / ``validation.md`` on disk
(written atomically, into a directory that holds nothing else)."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from ecosim.errors import InputError
from ecosim.validation import checks

OUTPUT_FILES = ("validation.csv", "validation.md")


def _num(x: float) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    return f"{x:.3g}" if abs(x) < 1000 else f"{x:,.0f}"


def target_text(low: float, high: float) -> str:
    lo, hi = (None if math.isnan(v) else v for v in (low, high))
    if lo is not None and hi is not None:
        return f"{_num(lo)} to {_num(hi)}"
    if lo is not None:
        return f">= {_num(lo)}"
    if hi is not None:
        return f"<= {_num(hi)}"
    return "any"


def measured_text(row: pd.Series) -> str:
    if math.isnan(row["measured"]):
        return "-"
    ci = "" if math.isnan(row["ci_low"]) else f" [{_num(row['ci_low'])}, {_num(row['ci_high'])}]"
    return f"{_num(row['measured'])}{ci}"


def status_text(row: pd.Series) -> str:
    s = row["status"]
    if s == checks.NOT_REPRODUCED and row["known_gap"]:
        return "not reproduced (known gap)"
    return s


def terminal_table(table: pd.DataFrame) -> str:
    """A fixed-width table: id, kind, target, measured [90% interval], units, status."""
    cols = [("id", [r for r in table["id"]]),
            ("kind", list(table["kind"])),
            ("target", [target_text(a, b) for a, b in zip(table["target_low"],
                                                          table["target_high"], strict=True)]),
            ("measured [90% interval]", [measured_text(r) for _, r in table.iterrows()]),
            ("units", list(table["units"])),
            ("status", [status_text(r) for _, r in table.iterrows()])]
    widths = [max(len(h), *(len(str(v)) for v in vals)) for h, vals in cols]
    lines = ["  ".join(h.ljust(w) for (h, _), w in zip(cols, widths, strict=True)).rstrip()]
    for i in range(len(table)):
        lines.append("  ".join(str(vals[i]).ljust(w)
                               for (_, vals), w in zip(cols, widths, strict=True)).rstrip())
    return "\n".join(lines)


def counts(table: pd.DataFrame) -> dict[str, int]:
    return {"facts": len(table),
            "held_out": int((table["kind"] == "held_out").sum()),
            "calibrated": int((table["kind"] == "calibrated").sum()),
            "pass": int((table["status"] == checks.PASS).sum()),
            "fail": int((table["status"] == checks.FAIL).sum()),
            "not_reproduced": int((table["status"] == checks.NOT_REPRODUCED).sum())}


def markdown(table: pd.DataFrame) -> str:
    """validation.md: the table with facts, sources, tolerances and reasons."""
    c = counts(table)
    a = table.attrs
    head = [
        "# ecosim validation",
        "",
        f"Mode: {a.get('mode', '?')}; {len(a.get('seeds', []))} replications with seeds "
        f"{', '.join(str(s) for s in a.get('seeds', []))} shared by every scenario "
        f"(common random numbers); {a.get('runs', '?')} runs; overrides for every run: "
        f"{', '.join(a.get('set', [])) or 'none'}.",
        "",
        f"{c['facts']} facts: {c['held_out']} held out, {c['calibrated']} calibrated; "
        f"{c['pass']} pass, {c['fail']} fail, {c['not_reproduced']} not reproduced.",
        "Calibrated facts are consistency checks (a parameter was set from them); held-out "
        "facts were not used to set any parameter. Intervals are 90% t intervals of the mean "
        "over replications.",
        "",
        "| id | fact | kind | target | measured [90% interval] | units | status | notes |",
        "|---|---|---|---|---|---|---|---|",
    ]
    body = []
    for _, r in table.iterrows():
        notes = [f"source: {r['source']}", f"tolerance: {r['tolerance']}"]
        if r["calibrated_by"]:
            notes.append(f"calibrated parameters: {r['calibrated_by']}")
        if r["reason"]:
            notes.append(f"why: {r['reason']}")
        cells = [r["id"], r["fact"], r["kind"].replace("_", " "),
                 target_text(r["target_low"], r["target_high"]), measured_text(r), r["units"],
                 status_text(r), "; ".join(notes)]
        body.append("| " + " | ".join(str(x).replace("|", "/") for x in cells) + " |")
    return "\n".join(head + body) + "\n"


def check_out(out: Path) -> None:
    """Refuse (before any run) an --out that cannot be written (``store.check_parent``), that is
    a file, or that is a directory holding files other than the validation's own."""
    import os

    from ecosim.store import check_parent

    check_parent(out)
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {out}: exists and is not a directory")
    if out.is_dir():
        other = sorted(p.name for p in out.iterdir() if p.name not in OUTPUT_FILES)
        if other:
            raise InputError(f"--out {out}: holds other files ({', '.join(other[:3])}); "
                             "choose an empty or new directory")
        if not os.access(out, os.W_OK | os.X_OK):
            raise InputError(f"--out {out}: is not writable; choose another --out")


def write(table: pd.DataFrame, out: Path) -> list[Path]:
    """Write validation.csv (the documented columns) and validation.md atomically."""
    from ecosim.store import write_text_atomic

    out.mkdir(parents=True, exist_ok=True)
    from ecosim.validation.suite import CSV_COLUMNS

    csv = table[CSV_COLUMNS].to_csv(index=False, float_format="%.6g")
    return [write_text_atomic(csv, out / "validation.csv"),
            write_text_atomic(markdown(table), out / "validation.md")]
