"""The expected discounted repayment of an income-contingent loan (kernels/loan_repayment.py)
against explicit sums and its bounds."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from ecosim.model.kernels import loan_repayment as klr

money = st.floats(0.0, 60000.0)


@settings(max_examples=200, deadline=None)
@given(annual=st.floats(1.0, 5000.0), n=st.integers(1, 30), r=st.floats(0.0, 0.5))
def test_whole_years_equal_the_sum_of_discounted_payments(annual, n, r):
    """A loan of n years' repayments, with time to repay it: the PV is the sum of n yearly
    payments, each discounted to now."""
    got = klr.repayment_pv(annual, 60.0, 0.0, annual * n, r, 0.0)
    exp = sum(annual * (1.0 + r) ** -k for k in range(1, n + 1))
    assert math.isclose(got, exp, rel_tol=1e-9)


@settings(max_examples=300, deadline=None)
@given(annual=money, years=st.floats(0.0, 50.0), debt=money, borrow=money,
       r=st.floats(0.0, 0.5), delay=st.floats(0.0, 3.0))
def test_bounds_and_monotonicity(annual, years, debt, borrow, r, delay):
    pv = klr.repayment_pv(annual, years, debt, borrow, r, delay)
    assert 0.0 <= pv <= borrow + 1e-6
    # more expected pay (a larger repayment a year) never makes the loan cheaper
    assert klr.repayment_pv(annual * 1.5 + 1.0, years, debt, borrow, r, delay) >= pv - 1e-6
    # fewer years to repay (an older borrower) never makes it dearer
    assert klr.repayment_pv(annual, years * 0.5, debt, borrow, r, delay) <= pv + 1e-6


def test_low_pay_writes_most_of_the_loan_off():
    """GBP 10,000 borrowed: repaid in full at r = 0 by a high earner; mostly written off for
    one who repays GBP 100 a year for 40 years."""
    assert math.isclose(klr.repayment_pv(2000.0, 40.0, 0.0, 10000.0, 0.0, 0.0), 10000.0)
    assert klr.repayment_pv(100.0, 40.0, 0.0, 10000.0, 0.0, 0.0) == 4000.0
    assert klr.repayment_pv(0.0, 40.0, 0.0, 10000.0, 0.25, 0.0) == 0.0
