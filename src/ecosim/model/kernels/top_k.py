"""A row's K best (id, utility) pairs kept sorted, best first: the ranked lists that training
decisions (courses) and job search (posts) build candidate by candidate."""

from __future__ import annotations

from numba import njit


@njit(cache=True, inline="always")
def insert_ranked(out_id, out_util, k, n, ident, v):
    """Put (ident, v) into the first ``n`` entries of row ``k`` of the descending lists
    ``out_util`` / ``out_id``, dropping entry ``n - 1``; the caller has checked that ``v`` beats
    it. Ties keep the earlier entry first."""
    pos = n - 1
    while pos > 0 and out_util[k, pos - 1] < v:
        out_id[k, pos] = out_id[k, pos - 1]
        out_util[k, pos] = out_util[k, pos - 1]
        pos -= 1
    out_id[k, pos] = ident
    out_util[k, pos] = v
