"""Building blocks every scenario section shares: the qualification bands (RQF: 0 none/entry,
1 Level 1, 2 Level 2, 3 Level 3, 4 Level 4-5, 5 Level 6+), a strict base model that rejects
unknown keys, and per-band shares, rates and pay premia."""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

LEVEL_KEYS = ("none", "level1", "level2", "level3", "level4_5", "level6_plus")
LEVEL_LABELS = ("none", "L1", "L2", "L3", "L4-5", "L6+")
N_LEVELS = 6
SHARE_TOLERANCE = 1e-3


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _level_field(desc: str, default: float | None = None, ge: float | None = 0.0,
                 le: float | None = 1.0):
    kw = {}
    if ge is not None:
        kw["ge"] = ge
    if le is not None:
        kw["le"] = le
    if default is None:
        return Field(description=desc, **kw)
    return Field(default, description=desc, **kw)


class _PerLevel(_Strict):
    """One number per qualification band (the six fields of LEVEL_KEYS)."""

    def as_array(self) -> np.ndarray:
        """The six values in band order, as float64."""
        return np.array([getattr(self, k) for k in LEVEL_KEYS], dtype=np.float64)


class LevelShares(_PerLevel):
    """Shares of people (or jobs) in each qualification band; must sum to 1."""

    none: float = _level_field("Share with no qualification or entry level only (0-1).")
    level1: float = _level_field("Share whose highest qualification is Level 1 (0-1).")
    level2: float = _level_field("Share whose highest qualification is Level 2 (0-1).")
    level3: float = _level_field("Share whose highest qualification is Level 3 (0-1).")
    level4_5: float = _level_field("Share at Level 4-5, higher technical (0-1).")
    level6_plus: float = _level_field("Share at Level 6+, degree and above (0-1).")


class LevelRates(_PerLevel):
    """A rate or probability per qualification band (no sum constraint)."""

    none: float = _level_field("Value for no qualification / entry level (0-1).")
    level1: float = _level_field("Value for Level 1 (0-1).")
    level2: float = _level_field("Value for Level 2 (0-1).")
    level3: float = _level_field("Value for Level 3 (0-1).")
    level4_5: float = _level_field("Value for Level 4-5 (0-1).")
    level6_plus: float = _level_field("Value for Level 6+ (0-1).")


class LevelPremia(_PerLevel):
    """Pay relative to Level 2 (proportional; Level 2 is the base, 0)."""

    none: float = _level_field("Pay premium of no qualification vs Level 2 (proportion, e.g. "
                               "-0.2 = 20% less).", -0.20, ge=-0.9, le=5.0)
    level1: float = _level_field("Pay premium of Level 1 vs Level 2 (proportion).", -0.08,
                                 ge=-0.9, le=5.0)
    level2: float = _level_field("Pay premium of Level 2 vs itself (proportion; keep 0).", 0.0,
                                 ge=-0.9, le=5.0)
    level3: float = _level_field("Pay premium of Level 3 vs Level 2 (proportion).", 0.15,
                                 ge=-0.9, le=5.0)
    level4_5: float = _level_field("Pay premium of Level 4-5 vs Level 2 (proportion).", 0.45,
                                   ge=-0.9, le=5.0)
    level6_plus: float = _level_field("Pay premium of Level 6+ vs Level 2 (proportion).", 0.85,
                                      ge=-0.9, le=5.0)
