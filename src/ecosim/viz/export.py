"""Exports of the current run: tidy metrics of both runs as CSV text."""

from __future__ import annotations

import pandas as pd

from ecosim.viz.workshop_model import WorkshopModel


def metrics_frame(model: WorkshopModel) -> pd.DataFrame:
    """Every collected quarter and area of the room's run and (if separate) the baseline,
    burn-in included (``quarter`` <= 0), with a ``run`` column: "room" or "baseline"."""
    frames = []
    runs = [("room", model.policy)] + ([("baseline", model.baseline)] if model.has_baseline
                                       else [])
    for name, m in runs:
        df = m.metrics_frame(include_burn_in=True)
        df.insert(0, "run", name)
        df.insert(1, "seed", model.seed_value)
        frames.append(df)
    return pd.concat(frames, ignore_index=True)


def metrics_csv(model: WorkshopModel) -> str:
    """:func:`metrics_frame` as CSV text."""
    return metrics_frame(model).to_csv(index=False)
