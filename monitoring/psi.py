"""Population stability index: how far one distribution moved from a reference.

PSI = sum over bins of (a - e) * ln(a / e), with e and a each bin's share in the reference and
in tonight's values; bins are the reference's quantiles, NULL is a bin of its own, and an empty
bin counts as EPSILON so a bin that empties (or fills) gives a large but finite index.
"""

from __future__ import annotations

import numpy as np

EPSILON = 1e-4


def psi(expected: list[float] | np.ndarray, actual: list[float] | np.ndarray) -> float:
    """The PSI of two histograms over the same bins (counts or shares; each normalised)."""
    e = np.asarray(expected, dtype=float)
    a = np.asarray(actual, dtype=float)
    if e.shape != a.shape or e.sum() <= 0 or a.sum() <= 0:
        raise ValueError(f"psi: expected two non-empty histograms of one shape, got {e} and {a}")
    e = np.maximum(e / e.sum(), EPSILON)
    a = np.maximum(a / a.sum(), EPSILON)
    return float(np.sum((a - e) * np.log(a / e)))


def bin_edges(reference: np.ndarray, weights: np.ndarray | None, bins: int) -> np.ndarray:
    """The interior cut points: the reference's (weighted) quantiles, repeated ones dropped."""
    values = reference[~np.isnan(reference)]
    if values.size == 0:
        return np.array([])
    qs = np.arange(1, bins) / bins
    if weights is None:
        cuts = np.quantile(values, qs, method="inverted_cdf")
    else:
        w = weights[~np.isnan(reference)]
        order = np.argsort(values, kind="stable")
        share = np.cumsum(w[order]) / w.sum()
        cuts = values[order][np.minimum(np.searchsorted(share, qs), values.size - 1)]
    return np.unique(cuts)


def histogram(values: np.ndarray, edges: np.ndarray, weights: np.ndarray | None = None):
    """Counts per bin: (-inf, e1], (e1, e2], …, (ek, inf), then NULL (NaN)."""
    if weights is None:
        # NaN sorts after every edge, into the last value bin: moved from there to its own
        counts = np.bincount(np.searchsorted(edges, values, side="left"), minlength=edges.size + 2)
        counts[edges.size + 1] = np.count_nonzero(np.isnan(values))
        counts[edges.size] -= counts[edges.size + 1]
        return counts
    nan = np.isnan(values)
    index = np.where(nan, edges.size + 1, np.searchsorted(edges, values, side="left"))
    return np.bincount(index, weights=weights, minlength=edges.size + 2)


def value_psi(
    reference: np.ndarray,
    current: np.ndarray,
    bins: int,
    reference_weights: np.ndarray | None = None,
) -> float:
    """The PSI of `current` against `reference`, binned at the reference's quantiles."""
    reference = np.asarray(reference, dtype=float)
    current = np.asarray(current, dtype=float)
    edges = bin_edges(reference, reference_weights, bins)
    return psi(histogram(reference, edges, reference_weights), histogram(current, edges))
