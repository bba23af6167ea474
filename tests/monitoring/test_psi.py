"""PSI on three bins and three rows, the expected values spelled out."""

from __future__ import annotations

import math

import numpy as np
import pytest

from monitoring.psi import EPSILON, bin_edges, histogram, psi, value_psi


def test_psi_of_two_three_bin_histograms():
    # (0.3-0.2)·ln(0.3/0.2) + 0 + (0.4-0.5)·ln(0.4/0.5) = 0.040547 + 0.022314
    assert psi([0.2, 0.3, 0.5], [0.3, 0.3, 0.4]) == pytest.approx(0.0628609, abs=1e-6)


def test_psi_normalises_counts():
    assert psi([2, 3, 5], [30, 30, 40]) == pytest.approx(0.0628609, abs=1e-6)


def test_psi_of_the_same_distribution_is_zero():
    assert psi([2, 3, 5], [4, 6, 10]) == 0.0


def test_an_empty_bin_counts_as_epsilon():
    expected = (EPSILON - 0.5) * math.log(EPSILON / 0.5) + (1 - 0.5) * math.log(1 / 0.5)
    assert psi([1, 1], [0, 2]) == pytest.approx(expected, rel=1e-3)


def test_psi_refuses_histograms_of_different_shapes():
    with pytest.raises(ValueError, match="one shape"):
        psi([1, 2, 3], [1, 2])


def test_histogram_bins_up_to_each_edge_with_null_last():
    values = np.array([1.0, 2.0, np.nan])
    assert histogram(values, np.array([2.0])).tolist() == [2, 0, 1]
    assert histogram(values, np.array([1.5])).tolist() == [1, 1, 1]


def test_edges_are_the_reference_quantiles_without_repeats():
    assert bin_edges(np.array([0.0, 0.0, 0.0, 5.0]), None, 4).tolist() == [0.0]


def test_value_psi_of_three_rows_unchanged_is_zero():
    assert value_psi(np.array([1.0, 2.0, 3.0]), np.array([3.0, 2.0, 1.0]), 3) == 0.0


def test_value_psi_of_three_rows_shifted_out_of_range_is_large():
    # every tonight value falls in the top bin, which held a third of the reference
    shifted = value_psi(np.array([1.0, 2.0, 3.0]), np.array([10.0, 11.0, 12.0]), 3)
    third = 1 / 3
    expected = 2 * (EPSILON - third) * math.log(EPSILON / third) + (1 - third) * math.log(3)
    assert shifted == pytest.approx(expected, rel=1e-3)
    assert shifted > 0.25


def test_counting_without_weights_equals_counting_with_unit_weights():
    rng = np.random.default_rng(3)
    values = rng.integers(0, 6, 5000).astype(float)
    values[rng.random(5000) < 0.2] = np.nan
    values[:3] = [np.inf, -np.inf, 5.0]
    for edges in (np.array([]), np.array([1.0, 2.5, 4.0]), np.array([5.0])):
        counted = histogram(values, edges)
        weighted = histogram(values, edges, np.ones(values.size))
        assert counted.tolist() == weighted.astype(int).tolist()
        assert counted[-1] == np.isnan(values).sum() and counted.sum() == values.size


def test_whole_numbers_counted_give_the_edges_and_counts_of_quantiles_and_searches():
    from monitoring.psi import IntegerCounts

    rng = np.random.default_rng(7)
    compared = 0
    for trial in range(600):
        n = int(rng.integers(1, 2500))
        values = [
            rng.integers(0, 5, n),
            np.where(rng.random(n) < 0.8, 0, rng.integers(-3, 400, n)),
            rng.integers(-50, 50, n),
            np.full(n, 7),
        ][trial % 4].astype(float)
        values[rng.random(n) < rng.random() * 0.5] = np.nan
        counted = IntegerCounts.of(values)
        if np.isnan(values).all():
            assert counted is None
            continue
        bins = int(rng.integers(2, 21))
        edges = bin_edges(values, None, bins)
        assert np.array_equal(counted.edges(bins), edges), (n, bins)
        for cut in (edges, edges + 0.5, np.array([]), np.array([-100.0, 1e9])):
            assert np.array_equal(counted.histogram(cut), histogram(values, cut))
        compared += 1
    assert compared > 500


def test_values_not_whole_numbers_or_too_wide_are_binned_by_quantiles():
    from monitoring.psi import MAX_COUNTED_RANGE, IntegerCounts

    assert IntegerCounts.of(np.array([0.0, 1.5, 2.0])) is None
    assert IntegerCounts.of(np.array([0.0, float(MAX_COUNTED_RANGE)])) is None
    assert IntegerCounts.of(np.array([0.0, np.inf])) is None
    rng = np.random.default_rng(8)
    reference, current = rng.integers(0, 9, 5000).astype(float), rng.gamma(1.0, 3.0, 5000)
    edges = bin_edges(reference, None, 10)
    expected = psi(histogram(reference, edges), histogram(current, edges))
    assert value_psi(reference, current, 10) == expected
