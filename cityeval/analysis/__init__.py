"""Analyses of a scored panel, one module per question the report's findings raise.

=====================  ===================================================================
``correlation``        how strongly one dimension goes with the composite (Fig. 18's 0.7561)
``clustering``         are there capability stages? k-means/Ward/GMM and the evidence for k
``polarization``       is a score distribution bimodal? dip test, bimodality coefficient, GMM
``efficiency``         input against outcome: regression and DEA frontiers (Fig. 8)
``regional``           do regions differ, in the order west < central < east?
``typology``           the low-carbon types by a documented quantile rule
``concentration``      how concentrated is a score at the head? Gini, Lorenz, head share
``rank_agreement``     how far two published rank lists agree, and what truncation does
=====================  ===================================================================

Import the module for its question: ``from cityeval.analysis import correlation``.
"""
import importlib

__all__ = ["clustering", "concentration", "correlation", "efficiency", "polarization", "rank_agreement", "regional", "typology"]


def __getattr__(name):
    # the modules load when first used (``from cityeval.analysis import regional`` loads only regional and what it
    # imports): a notebook that needs one question does not pay for the others' imports (scikit-learn, diptest)
    if name in __all__:
        return importlib.import_module(f"cityeval.analysis.{name}")
    raise AttributeError(f"module 'cityeval.analysis' has no attribute {name!r}")
