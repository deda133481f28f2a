"""Bugs the hostile-input corpus (tests/hostile/) found in the parsers, each pinned by its input."""
import math

import pandas as pd

from pipelines.lib.tabular import parse_numbers


def test_a_decimal_comma_is_not_a_thousands_separator():
    # fx/ecb_cp1252_semicolon.csv: '1,08' USD per EUR was loaded as 108, '160,1' JPY as 1601
    parsed = parse_numbers(pd.Series(["1,08", "160,1", "5,1E+20", "1,2345", "1,045.0", "12,345,678", "(1,234.5)"]))
    assert [None if math.isnan(v) else v for v in parsed] == [None, None, None, None, 1045.0, 12345678.0, -1234.5]


def test_parentheses_count_only_as_a_pair():
    # a Farside outflow '(95.1' whose ')' was lost was read as an inflow of 95.1
    parsed = parse_numbers(pd.Series(["(95.1", "95.1)", "(-5)", "(95.1)"]))
    assert [None if math.isnan(v) else v for v in parsed] == [None, None, None, -95.1]
