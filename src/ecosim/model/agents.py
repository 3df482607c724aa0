"""Mesa agents that are views onto state rows: attributes are properties reading and writing
the arrays, so AgentSet ``select``/``groupby``/``agg``, DataCollector agent reporters and
SolaraViz work while the arrays stay the truth.

Employers, colleges and universities get views when the model is built (their rows never move).
Learner views are built only on request (``model.learner_agents()``): learners enter and leave
every quarter, so a learner view finds its row by uid (learners are kept in uid order) and a
view whose learner has left reads as ``gone``.
"""

from __future__ import annotations

import mesa
import numpy as np

from ecosim.model.state import (
    EMPLOYER_LEVEL_COLS,
    EMPLOYER_SPEC,
    LEARNER_SPEC,
    PROVIDER_SPEC,
)


def _py(x):
    return x.item() if isinstance(x, np.generic) else x


def _column_property(table_attr: str, col: str):
    def fget(self):
        return _py(getattr(getattr(self.model.state, table_attr), col)[self.row])

    def fset(self, value):
        getattr(getattr(self.model.state, table_attr), col)[self.row] = value

    return property(fget, fset, doc=f"``state.{table_attr}.{col}`` of this agent's row")


class _RowView(mesa.Agent):
    _table = ""

    @property
    def row(self) -> int:
        raise NotImplementedError


class Learner(_RowView):
    """A resident aged 16 to retirement; a view onto ``state.learners`` found by uid."""

    _table = "learners"

    def __init__(self, model, uid: int):
        super().__init__(model)
        self.uid_ = int(uid)

    @property
    def row(self) -> int:
        r = self.model.state.row_of(self.uid_)
        if r < 0:
            raise LookupError(f"learner uid {self.uid_} has left the model")
        return r

    @property
    def gone(self) -> bool:
        return self.model.state.row_of(self.uid_) < 0


class Employer(_RowView):
    """An employer agent; a view onto row ``index`` of ``state.employers``."""

    _table = "employers"

    def __init__(self, model, index: int):
        super().__init__(model)
        self.index = int(index)

    @property
    def row(self) -> int:
        return self.index

    @property
    def vacancies_total(self) -> int:
        return int(self.model.state.employers.vacancies[self.index].sum())


class _Provider(_RowView):
    _table = "providers"

    def __init__(self, model, index: int, name: str):
        super().__init__(model)
        self.index = int(index)
        self.name = name

    @property
    def row(self) -> int:
        return self.index

    @property
    def seats(self) -> int:
        c = self.model.state.courses
        return int(c.seats[c.provider == self.index].sum())

    @property
    def enrolled(self) -> int:
        c = self.model.state.courses
        return int(c.enrolled[c.provider == self.index].sum())


class College(_Provider):
    """A further-education college or other provider; a view onto ``state.providers``."""


class University(_Provider):
    """A university; a view onto ``state.providers``."""


for _col in LEARNER_SPEC:
    if _col != "uid":
        setattr(Learner, _col, _column_property("learners", _col))
Learner.uid = property(lambda self: self.uid_, doc="persistent learner id")
for _col in list(EMPLOYER_SPEC) + list(EMPLOYER_LEVEL_COLS):
    if not hasattr(Employer, _col):
        setattr(Employer, _col, _column_property("employers", _col))
for _col in PROVIDER_SPEC:
    for _cls in (College, University):
        setattr(_cls, _col, _column_property("providers", _col))
