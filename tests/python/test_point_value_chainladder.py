"""The point-value forecast's chain ladder cross-checked against `chainladder` (the Casualty
Actuarial Society's reserving library) on the same triangles, taken from the demo warehouse:
completion factors, development factors, Mack's sigma and Mack's standard error of the filed
part of the projection. The marts stay SQL; chainladder is a test dependency only."""

from __future__ import annotations

import warnings

import duckdb
import numpy as np
import pandas as pd
import pytest

from conftest import Build

pytestmark = pytest.mark.slow

chainladder = pytest.importorskip("chainladder")

REQUEST = "request_kind = 'FORECAST' and month_offset = 2"


def connect(build: Build) -> duckdb.DuckDBPyConnection:
    assert build.returncode == 0, build.output[-3000:]
    return duckdb.connect(str(build.duckdb_path), read_only=True)


def triangle(history: pd.DataFrame, arrived: str, final: str, target: float | None = None) -> object:
    """A two-column triangle: each history month is an origin with its points at the target
    month's lag (age 12) and at the as-of date (age 24); the target month, when given, a last
    origin known at age 12 only."""
    rows = []
    for i, row in enumerate(history.itertuples()):
        rows.append((str(2000 + i), str(2000 + i), float(getattr(row, arrived))))
        rows.append((str(2000 + i), str(2001 + i), float(getattr(row, final))))
    if target is not None:
        n = len(history)
        rows.append((str(2000 + n), str(2000 + n), float(target)))
    frame = pd.DataFrame(rows, columns=["origin", "development", "points"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return chainladder.Triangle(
            frame, origin="origin", development="development", columns="points", cumulative=True
        )


@pytest.fixture(scope="module")
def cases(demo_build: Build) -> list[dict]:
    """Every sector's whole-country triangle of the live forecast's last month (the default
    factor source), with one region's filed points of that month as the new origin."""
    with connect(demo_build) as con:
        factors = con.execute(
            f"""select f.fee_quarter, f.as_of_date, f.sector, f.area_no_h, f.factor_source, f.development_factor,
                       f.sigma_squared, f.completion_factor, m.filed_points, m.filed_variance
                from intermediate.int_point_value_completion_factors f
                join intermediate.int_point_value_months_projected m
                  using (request_kind, fee_quarter, as_of_date, month_offset, sector, area_no_h)
                where f.{REQUEST} and f.area_no_h = '1' and m.filed_points > 0"""
        ).df()
        history = con.execute(
            f"""select fee_quarter, as_of_date, sector, history_fee_ym, arrived_points, final_points,
                       filed_arrived_points, filed_final_points
                from intermediate.int_point_value_development_history
                where {REQUEST} and area_no_h = 'ALL' and filed_arrived_points > 0
                order by history_fee_ym"""
        ).df()
    result = []
    for case in factors.to_dict("records"):
        rows = history[
            (history.fee_quarter == case["fee_quarter"])
            & (history.as_of_date == case["as_of_date"])
            & (history.sector == case["sector"])
        ]
        result.append({**case, "history": rows.reset_index(drop=True)})
    assert result, "the demo forecast has no projected month to check"
    return result


def test_the_default_factors_are_the_sectors(cases: list[dict]) -> None:
    assert {case["factor_source"] for case in cases} == {"SECTOR"}
    assert all(len(case["history"]) >= 6 for case in cases)


def test_development_factor_and_sigma_match_chainladder(cases: list[dict]) -> None:
    for case in cases:
        tri = triangle(case["history"], "filed_arrived_points", "filed_final_points")
        development = chainladder.Development().fit(tri)
        ldf = development.ldf_.values.ravel()[0]
        sigma = development.sigma_.values.ravel()[0]
        assert case["development_factor"] == pytest.approx(ldf, rel=1e-12), case["sector"]
        assert np.sqrt(case["sigma_squared"]) == pytest.approx(sigma, rel=1e-6), case["sector"]


def test_completion_factor_is_chainladders_inverse_cdf(cases: list[dict]) -> None:
    for case in cases:
        tri = triangle(case["history"], "arrived_points", "final_points")
        cdf = chainladder.Development().fit(tri).cdf_.values.ravel()[0]
        assert case["completion_factor"] == pytest.approx(1 / cdf, rel=1e-12), case["sector"]


def test_filed_part_standard_error_is_macks(cases: list[dict]) -> None:
    for case in cases:
        tri = triangle(case["history"], "filed_arrived_points", "filed_final_points", target=case["filed_points"])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            mack = chainladder.MackChainladder().fit(tri)
        std_err = np.nanmax(mack.mack_std_err_.values[0, 0, -1, :])
        assert np.sqrt(case["filed_variance"]) == pytest.approx(std_err, rel=1e-6), case["sector"]
