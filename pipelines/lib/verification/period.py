"""The `period` claim: the line's dates vs themselves, the day the file surfaced and the table's own period."""
from __future__ import annotations

import numpy as np
import pandas as pd

from pipelines.lib.common.missing import is_missing
from pipelines.lib.verification.lines import data_lines, period_days
from pipelines.lib.verification.verdicts import day_text, result


def check_period(lines: pd.DataFrame, first_seen: pd.Series) -> pd.DataFrame:
    """The line's dates vs themselves, vs the day the file was first seen (a period that had not ended
    cannot have results), and vs the table's own period (its totals row): a line outside it, or a
    totals row whose lines run outside it, contradicts the document."""
    lines = lines.copy()
    start = pd.to_datetime(lines["period_start"])
    end = pd.to_datetime(lines["period_end"])
    # through a dict: Series.map with an empty Series of dates fails in pandas (cannot cast to float64)
    seen = pd.to_datetime(lines["document_id"].map(first_seen.to_dict()))
    group = ["document_id", "table_index"]
    totals = lines[lines["is_total_row"].astype(bool) & lines["period_start"].notna() & lines["period_end"].notna()]
    ref = totals.drop_duplicates(group).set_index(group)[["period_start", "period_end"]]
    key = pd.MultiIndex.from_frame(lines[group])
    ref_start = pd.Series(pd.to_datetime(ref["period_start"]).reindex(key).to_numpy(), index=lines.index)
    ref_end = pd.Series(pd.to_datetime(ref["period_end"]).reindex(key).to_numpy(), index=lines.index)
    data = data_lines(lines)
    span = data.assign(s=pd.to_datetime(data["period_start"]), e=pd.to_datetime(data["period_end"])).groupby(group)
    span_start = pd.Series(span["s"].min().reindex(key).to_numpy(), index=lines.index)
    span_end = pd.Series(span["e"].max().reindex(key).to_numpy(), index=lines.index)
    is_total = lines["is_total_row"].astype(bool)
    outside_lines = data.assign(s=pd.to_datetime(data["period_start"]), e=pd.to_datetime(data["period_end"]))
    outside_lines = outside_lines.join(ref, on=group, rsuffix="_ref")
    outside_lines["out"] = (outside_lines["s"] < pd.to_datetime(outside_lines["period_start_ref"])) | (
        outside_lines["e"] > pd.to_datetime(outside_lines["period_end_ref"]))
    n_outside = pd.Series(outside_lines.groupby(group)["out"].sum().reindex(key).to_numpy(), index=lines.index)

    has = start.notna() & end.notna()
    reversed_ = has & (start > end)
    future = has & seen.notna() & (end.dt.date > seen.dt.date)
    has_ref = ref_start.notna() & ref_end.notna()
    line_outside = has & has_ref & ~is_total & ((start < ref_start) | (end > ref_end))
    total_outside = has & is_total & n_outside.fillna(0).gt(0)
    one_day = has & (start == end)
    flags = lines["flags"] if "flags" in lines else pd.Series([None] * len(lines), index=lines.index)
    conflicts = one_day & flags.map(lambda f: isinstance(f, (list, tuple, np.ndarray))
                                    and "period_conflicts_title" in list(f)).astype(bool)
    bad = reversed_ | future | line_outside | total_outside | conflicts
    verdict = pd.Series(np.where(~has | (one_day & ~bad), "unverifiable",
                                 np.where(bad, "implausible", "plausible")), index=lines.index)
    days = period_days(lines)
    reasons, inputs = [], []
    for i in lines.index:
        s, e = day_text(lines.loc[i, "period_start"]), day_text(lines.loc[i, "period_end"])
        if not has.loc[i]:
            reasons.append("The line gives no complete period (start and end), so its dates cannot be checked.")
            inputs.append("period missing")
            continue
        if reversed_.loc[i]:
            reasons.append(f"The period runs from {s} to {e}: it ends before it starts.")
        elif future.loc[i]:
            reasons.append(f"The sheet reports results for {s} to {e}, but the file was first seen on "
                           f"{seen.loc[i].date()}, before that period had ended.")
        elif line_outside.loc[i]:
            reasons.append(f"The line's period {s} to {e} falls outside its own table's period "
                           f"{ref_start.loc[i].date()} to {ref_end.loc[i].date()} (the totals row).")
        elif conflicts.loc[i]:
            reasons.append(f"The line covers the single day {s}, but its document's title gives a longer period: "
                           "the sheet's dates were read as days (a month or quarter written as its first day?).")
        elif one_day.loc[i]:
            reasons.append(f"The line covers the single day {s}: a cost sheet reports months or quarters, so a "
                           "one-day period is more likely a date read as the period; its figures per day cannot "
                           "be checked.")
        elif total_outside.loc[i]:
            reasons.append(f"The totals row covers {s} to {e}, but {int(n_outside.loc[i])} of its table's lines fall "
                           f"outside it (they run from {span_start.loc[i].date()} to {span_end.loc[i].date()}).")
        elif is_total.loc[i]:
            reasons.append(f"The totals row covers {s} to {e}, and every line of its table falls within it.")
        elif has_ref.loc[i]:
            reasons.append(f"The period {s} to {e} is well ordered, over before the file surfaced and within "
                           f"the table's own period {ref_start.loc[i].date()} to {ref_end.loc[i].date()}.")
        else:
            reasons.append(f"The period {s} to {e} is well ordered and was over before the file surfaced; the "
                           "table gives no period of its own to compare with.")
        inputs.append("document first seen " + (str(seen.loc[i].date()) if not is_missing(seen.loc[i]) else "unknown")
                      + ("; table period from its totals row" if has_ref.loc[i] else ""))
    return result(lines, "period", days, np.nan, np.nan, verdict, reasons, "days", inputs)
