"""Expected discounted repayment of an income-contingent loan (the Lifelong Learning
Entitlement's, Plan-5-like terms).

A borrower repays a fixed share of earnings above a threshold each year until the balance is
repaid or the loan is written off (``years`` after the course ends, or at retirement). In real
terms the balance stays constant (interest at inflation, assumption) and the learner's expected
annual repayment ``annual`` is constant (their expected pay after the course, assumption), so
the balance ``X`` is repaid in ``X / annual`` years and the present value of the repayments at
discount rate ``r`` is

    PV(X) = annual * A(min(X / annual, years))       A(t) = (1 - (1 + r)^-t) / r

(``A(t) = t`` at r = 0). A new loan ``B`` on top of a balance ``D`` already owed is repaid
after ``D`` (one balance): its cost is ``PV(D + B) - PV(D)``, discounted further by the
``delay`` years before repayments start (the course length). The cost is smaller than ``B``
for low expected pay (small ``annual``: much is written off) and for older borrowers (few
``years``), and equals ``B`` only when repayment is fast and the discount rate 0.
"""

from __future__ import annotations

import math

from numba import njit


@njit(cache=True)
def annuity(t, r):
    """Present value of 1 a year for ``t`` years (t may be fractional) at rate ``r``."""
    if t <= 0.0:
        return 0.0
    if r <= 0.0:
        return t
    if r < 1e-6:  # second order in r: the closed form loses its digits as r -> 0
        return t - 0.5 * r * t * (t + 1.0)
    return -math.expm1(-t * math.log1p(r)) / r  # (1 - (1 + r)^-t) / r


@njit(cache=True)
def repayment_pv(annual, years, debt, borrow, r, delay):
    """Present value now of the repayments on a new loan ``borrow`` (GBP) taken on top of
    ``debt`` (GBP) by a borrower expected to repay ``annual`` GBP a year for at most ``years``
    years, starting ``delay`` years from now, at discount rate ``r`` (see the module)."""
    if borrow <= 0.0 or annual <= 0.0 or years <= 0.0:
        return 0.0
    t0 = min(debt / annual, years)
    t1 = min((debt + borrow) / annual, years)
    pv = annual * (annuity(t1, r) - annuity(t0, r))
    if r > 0.0 and delay > 0.0:
        pv = pv * (1.0 + r) ** (-delay)
    return pv
