"""Head counts by district for the KPIs: one pass over the learners for every indicator.

``metrics.compute`` counts some 36 subsets of learners (working age by level, employed, on a
course, funded starts by level, ...) by district every quarter. Building a boolean mask per
subset and counting it costs a pass over the learners each; this kernel makes one pass and
fills a row per indicator. Counts are whole numbers, so the sums are exact in any order.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ecosim.model.state import (
    ADULT_AGE_START,
    EMPLOYED,
    FUND_PUBLIC,
    INACTIVE,
    OLDER_AGE_START,
    UNEMPLOYED,
    WORKING_AGE_END,
)

#: indicator rows of :func:`kpi_counts`, in order (wa = aged under 65, adult = wa and 19+,
#: part = took part in further education in the last 4 quarters, f = funded learner on a
#: course, fs = funded start this quarter, cl = level of the learner's course)
INDICATORS = (
    "wa", "wa_l0", "wa_l2p", "wa_l3p", "wa_l4p", "wa_emp", "emp", "wa_une", "wa_inactive",
    "adult", "adult_part", "lowq", "lowq_part", "age50", "age50_part", "adult_lowpaid",
    "adult_lowpaid_part", "on", "starts", "completions", "f", "f_cl1", "f_cl2", "f_cl3",
    "f_cl4p", "f_prio", "job_outcome", "lowpaid", "he_progression", "l3_completions",
    "completions_l3p", "fs", "fs_cl1", "fs_cl3", "fs_prio", "fs_out_of_area", "fs_prio_cl2p",
)
ROW = {name: r for r, name in enumerate(INDICATORS)}


@njit(cache=True)
def count_by_district(district, mask, n_districts):
    """float64[1 + n_districts]: learners with ``mask`` set, in total (index 0) and by
    district (index d + 1)."""
    cnt = np.zeros(n_districts + 1, np.int64)
    for i in range(district.shape[0]):
        cnt[district[i] + 1] += np.int64(mask[i])  # no branch: masks are unpredictable
    out = np.empty(n_districts + 1)
    total = 0
    for d in range(n_districts):
        out[d + 1] = cnt[d + 1]
        total += cnt[d + 1]
    out[0] = total
    return out


@njit(cache=True)
def kpi_counts(q, district, age, level, status, wage, low_pay_line, course, funding_source,
               last_start_quarter, last_completion_quarter, last_completion_level,
               last_hire_quarter, last_fe_quarter, c_level, c_priority, c_out_of_area,
               n_districts):
    """float64[len(INDICATORS), 1 + n_districts]: each indicator's learners in total (column
    0) and by district (column d + 1). ``low_pay_line``: pay below it is low pay;
    ``c_priority`` and ``c_out_of_area`` are per course."""
    n_ind = len(INDICATORS)
    cnt = np.zeros((n_districts + 1, n_ind), np.int64)
    for i in range(district.shape[0]):
        row = cnt[district[i] + 1]
        wa = age[i] < WORKING_AGE_END
        lv = level[i]
        st = status[i]
        emp = st == EMPLOYED
        lcq = last_completion_quarter[i]
        lcl = last_completion_level[i]
        c = course[i]
        on = c >= 0
        cl = c_level[c] if on else -1
        prio = c_priority[c] if on else False
        ooa = c_out_of_area[c] if on else False
        fe = last_fe_quarter[i]
        part = fe >= 0 and q - fe < 4
        adult = wa and age[i] >= ADULT_AGE_START
        lowpaid = emp and wage[i] < low_pay_line
        start_now = last_start_quarter[i] == q
        compl_now = lcq == q
        recent = lcq >= 0 and q - lcq <= 4
        funded = on and funding_source[i] == FUND_PUBLIC
        fs = funded and start_now
        row[0] += wa
        row[1] += wa and lv == 0
        row[2] += wa and lv >= 2
        row[3] += wa and lv >= 3
        row[4] += wa and lv >= 4
        row[5] += wa and emp
        row[6] += emp
        row[7] += wa and st == UNEMPLOYED
        row[8] += wa and st == INACTIVE
        row[9] += adult
        row[10] += adult and part
        row[11] += adult and lv < 2
        row[12] += adult and lv < 2 and part
        row[13] += wa and age[i] >= OLDER_AGE_START
        row[14] += wa and age[i] >= OLDER_AGE_START and part
        row[15] += adult and lowpaid
        row[16] += adult and lowpaid and part
        row[17] += on
        row[18] += start_now
        row[19] += compl_now
        row[20] += funded
        row[21] += funded and cl <= 1
        row[22] += funded and cl == 2
        row[23] += funded and cl == 3
        row[24] += funded and cl >= 4
        row[25] += funded and prio
        row[26] += last_hire_quarter[i] == q and recent
        row[27] += lowpaid
        row[28] += start_now and cl >= 4 and lcl == 3 and recent
        row[29] += compl_now and lcl == 3
        row[30] += compl_now and lcl >= 3
        row[31] += fs
        row[32] += fs and cl <= 1
        row[33] += fs and cl == 3
        row[34] += fs and prio
        row[35] += fs and ooa
        row[36] += fs and prio and cl >= 2
    out = np.empty((n_ind, n_districts + 1))
    for r in range(n_ind):
        total = 0
        for d in range(n_districts):
            out[r, d + 1] = cnt[d + 1, r]
            total += cnt[d + 1, r]
        out[r, 0] = total
    return out
