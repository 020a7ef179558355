"""Data with a known answer for the clustering tests (tests/analysis/test_clustering*.py): planted stages."""
from __future__ import annotations

import numpy as np
import pandas as pd


def planted(seed, n=20, sep=10.0):
    """Three spherical Gaussian blobs (sd 1) in 3 dimensions, ``n`` cities each.

    Centres (0,0,0), (sep,0,0), (0,sep,sep): pairwise distances sep, sep*sqrt(2), sep*sqrt(3)
    (not on one line), and row means 0, sep/3, 2*sep/3, so ordering by the composite (row mean)
    numbers them 1, 2, 3. Returns the frame and the true stage of each city.
    """
    rng = np.random.default_rng(seed)
    centres = np.array([[0.0, 0.0, 0.0], [sep, 0.0, 0.0], [0.0, sep, sep]])
    x = np.vstack([rng.normal(c, 1.0, size=(n, 3)) for c in centres])
    cities = [f"city{i:03d}" for i in range(3 * n)]
    truth = pd.Series(np.repeat([1, 2, 3], n), index=cities, name="stage")
    return pd.DataFrame(x, index=cities, columns=["INF", "GOV", "TEC"]), truth
