"""The experiment file schema: what to vary, how to sample it, what to measure.

Checks that need only the file itself live here (``Experiment.semantic_errors``); checks against
the scenario (dotted paths, field ranges, metric and area names) are in ``resolve.py``. Both
report problems with file, line and key path through the scenario loader.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from ecosim.scenario.schema_levels import _Strict

Method = Literal["sobol", "grid", "lhs", "morris"]
FUNCTIONS: dict[str, str] = {
    "ishigami": "Ishigami function, 3 inputs on [-pi, pi] (a = 7, b = 0.1)",
    "g_function": "Sobol's G function, one input per coefficient in `a`, each on [0, 1]",
}
"""Built-in analytic test functions with known Sobol indices (checks of the pipeline)."""


class Parameter(_Strict):
    """One input that varies: a dotted path into the scenario and its range or values."""

    path: str = Field(min_length=1, description="Dotted path into the scenario, e.g. "
                      "'policies.careers_guidance.quality' or 'sectors.0.annual_growth' (for an "
                      "analytic function: x1, x2, ...).")
    name: str | None = Field(None, min_length=1,
                             description="Short label for tables and figures (default: the "
                             "path).")
    bounds: tuple[float, float] | None = Field(
        None, description="Lowest and highest value [low, high] (sobol, lhs, morris; grid with "
        "`points`).")
    distribution: Literal["unif", "logunif", "triang", "truncnorm"] = Field(
        "unif", description="Distribution over `bounds`: unif (uniform), logunif (log-uniform, "
        "low > 0), triang (triangular, peak at `peak`), truncnorm (normal with `mean` and `sd` "
        "truncated to the bounds).")
    peak: float | None = Field(None, description="Mode of a triangular distribution (a value "
                               "inside `bounds`).")
    mean: float | None = Field(None, description="Mean of a truncated normal (before "
                               "truncation).")
    sd: float | None = Field(None, gt=0, description="Standard deviation of a truncated normal.")
    values: list[float | int | bool | str] | None = Field(
        None, min_length=1, description="The values to try (grid only); text values are allowed "
        "for choice fields, e.g. [centralised, devolved].")
    points: int | None = Field(None, ge=2, le=1000,
                               description="Grid only: this many evenly spaced values across "
                               "`bounds`.")

    @property
    def label(self) -> str:
        return self.name or self.path


class Output(_Strict):
    """One measured output of each run."""

    metric: str = Field("y", min_length=1,
                        description="Metric column of the model's output (see ecosim.model."
                        "metrics.METRICS), or 'y' for an analytic function.")
    area: str = Field("region", min_length=1,
                      description="'region' or a district name.")
    when: Literal["final", "last_year_mean", "path"] = Field(
        "last_year_mean", description="final: the last reported quarter; last_year_mean: the "
        "mean of the last four quarters; path: every reported quarter (tables only, not "
        "analysed for indices).")
    aggregate: Literal["mean", "median", "sd", "min", "max"] = Field(
        "mean", description="How replications of a sample are combined for the analysis.")
    name: str | None = Field(None, min_length=1,
                             description="Column label (default: metric, plus the area when it "
                             "is not the region).")

    @property
    def label(self) -> str:
        if self.name:
            return self.name
        return self.metric if self.area == "region" else f"{self.metric}[{self.area}]"


class FunctionOptions(_Strict):
    """Options of the built-in analytic functions."""

    a: list[float] | None = Field(None, min_length=1,
                                  description="G function coefficients a_i >= 0 (one input per "
                                  "coefficient); default [0, 1, 4.5, 9, 99, 99, 99, 99].")
    noise_sd: float = Field(0.0, ge=0.0, description="Standard deviation of Gaussian noise "
                            "added to each run (drawn from the run's seed), to emulate a "
                            "stochastic model.")
    delay_seconds: float = Field(0.0, ge=0.0, le=60.0,
                                 description="Pause per run (seconds), to emulate a model's "
                                 "cost when exercising the runner.")


class Experiment(_Strict):
    """A validated experiment file."""

    name: str = Field(min_length=1, description="Experiment name (used for the output "
                      "directory).")
    description: str = Field("", description="What the experiment asks.")
    scenario: str | None = Field(None, min_length=1,
                                 description="Scenario file, relative to the experiment file.")
    function: Literal["ishigami", "g_function"] | None = Field(
        None, description="Instead of a scenario: a built-in analytic test function.")
    function_options: FunctionOptions = Field(default_factory=FunctionOptions,
                                              description="Options of the analytic function.")
    set: dict[str, Any] = Field(
        default_factory=dict,
        description="Fixed changes to the scenario for every run (dotted path -> value), e.g. "
        "{run.horizon_years: 3}.")
    method: Method = Field(description="sobol (Saltelli design, Sobol indices), grid (every "
                           "combination), lhs (Latin hypercube), morris (elementary effects).")
    parameters: list[Parameter] = Field(min_length=1, description="The inputs that vary.")
    outputs: list[Output] = Field(default_factory=lambda: [Output()],
                                  description="What is measured in each run.")
    replications: int = Field(1, ge=1, le=10_000,
                              description="Runs per sample, each with its own seed.")
    seed: int = Field(12345, ge=0, le=2**63 - 1,
                      description="Root seed: sampling, run seeds and bootstrap derive from it.")
    common_random_numbers: bool = Field(
        True, description="Replication r of every sample uses the same seed, so differences "
        "between samples are not noise (false: every run gets its own seed).")
    N: int | None = Field(None, ge=2, le=2**24,
                         description="Base sample size: a power of two for sobol (runs = "
                         "N x (D + 2), or N x (2D + 2) with second_order); samples for lhs; "
                         "trajectories for morris.")
    second_order: bool = Field(False, description="Sobol: also estimate second-order indices "
                               "S2.")
    levels: int = Field(4, ge=2, le=64, description="Morris: grid levels per input.")
    bootstrap: int = Field(1000, ge=10, le=100_000,
                           description="Bootstrap resamples for confidence intervals.")
    conf_level: float = Field(0.95, gt=0.5, lt=1.0,
                              description="Confidence level of the intervals.")
    runs_per_task: int | None = Field(
        None, ge=1, le=1_000_000,
        description="Runs grouped into one Dask task (default: automatic, about a second of "
        "work per task).")

    # ------------------------------------------------------------------ cross-field checks
    def semantic_errors(self) -> list[tuple[tuple[str | int, ...], str]]:
        """Problems within the file itself, as (key path, message)."""
        errs: list[tuple[tuple[str | int, ...], str]] = []
        if (self.scenario is None) == (self.function is None):
            errs.append(((), "give exactly one of 'scenario' (a scenario file) or 'function' "
                         "(ishigami or g_function)"))
        if self.method == "sobol":
            if self.N is None:
                errs.append((("method",), "sobol needs N (a power of two, e.g. N: 256)"))
            elif self.N & (self.N - 1):
                lo = 1 << (self.N.bit_length() - 1)
                errs.append((("N",), f"must be a power of two for sobol (got {self.N}; try "
                             f"{lo} or {lo * 2})"))
        elif self.method in ("lhs", "morris") and self.N is None:
            errs.append((("method",), f"{self.method} needs N (number of "
                         f"{'samples' if self.method == 'lhs' else 'trajectories'})"))
        if self.second_order and self.method != "sobol":
            errs.append((("second_order",), "only for method sobol"))
        labels: list[str] = []
        for i, p in enumerate(self.parameters):
            errs += [(("parameters", i, *k), m) for k, m in _parameter_errors(p, self.method)]
            if p.label in labels:
                errs.append((("parameters", i), f"duplicate parameter '{p.label}' (give it a "
                             "distinct 'name')"))
            labels.append(p.label)
        if self.method == "sobol" and len(self.parameters) < 2:
            errs.append((("parameters",), "sobol needs at least two parameters"))
        outs: list[str] = []
        for i, o in enumerate(self.outputs):
            if o.label in outs:
                errs.append((("outputs", i), f"duplicate output '{o.label}' (give it a "
                             "distinct 'name')"))
            outs.append(o.label)
        if self.function is not None:
            errs += self._function_errors()
        return errs

    def _function_errors(self) -> list[tuple[tuple[str | int, ...], str]]:
        errs: list[tuple[tuple[str | int, ...], str]] = []
        k = self.function_dimension()
        valid = [f"x{i + 1}" for i in range(k)]
        for i, p in enumerate(self.parameters):
            if p.path not in valid:
                errs.append((("parameters", i, "path"), f"{self.function} has inputs "
                             f"{', '.join(valid)}; got '{p.path}'"))
        missing = [v for v in valid if v not in {p.path for p in self.parameters}]
        if missing:
            errs.append((("parameters",), f"{self.function} needs every input; missing "
                         f"{', '.join(missing)}"))
        if self.set:
            errs.append((("set",), "only for scenario experiments"))
        for i, o in enumerate(self.outputs):
            if o.metric != "y":
                errs.append((("outputs", i, "metric"), "an analytic function has one output, "
                             "'y'"))
        if self.function_options.a is not None and any(v < 0 for v in self.function_options.a):
            errs.append((("function_options", "a"), "G function coefficients must be >= 0"))
        return errs

    def function_dimension(self) -> int:
        """Number of inputs of the analytic function."""
        if self.function == "ishigami":
            return 3
        return len(self.function_options.a or DEFAULT_G_A)


DEFAULT_G_A = [0.0, 1.0, 4.5, 9.0, 99.0, 99.0, 99.0, 99.0]


def _parameter_errors(p: Parameter, method: str) -> list[tuple[tuple[str, ...], str]]:
    errs: list[tuple[tuple[str, ...], str]] = []
    if method == "grid":
        if (p.values is None) == (p.bounds is None):
            errs.append(((), "a grid parameter needs either 'values' or 'bounds' with 'points'"))
        elif p.bounds is not None and p.points is None:
            errs.append((("bounds",), "a grid over bounds needs 'points' (how many values)"))
    else:
        if p.values is not None:
            errs.append((("values",), f"'values' are for grid sweeps; {method} needs 'bounds'"))
        if p.bounds is None:
            errs.append(((), f"{method} needs 'bounds: [low, high]'"))
        if p.points is not None:
            errs.append((("points",), "only for grid sweeps"))
    if p.bounds is not None:
        lo, hi = p.bounds
        if not lo < hi:
            errs.append((("bounds",), f"low must be below high (got [{lo:g}, {hi:g}])"))
        elif p.distribution == "logunif" and lo <= 0:
            errs.append((("bounds",), "a log-uniform range must be above 0"))
        elif p.distribution == "triang" and (p.peak is None or not lo <= p.peak < hi):
            errs.append((("peak",), f"a triangular distribution needs 'peak' with "
                         f"{lo:g} <= peak < {hi:g}"))
        elif p.distribution == "truncnorm" and (p.mean is None or p.sd is None):
            errs.append((("distribution",), "a truncated normal needs 'mean' and 'sd'"))
    if p.distribution != "unif" and method == "grid":
        errs.append((("distribution",), "grid values are evenly spaced; distributions are for "
                     "sobol, lhs and morris"))
    return errs
