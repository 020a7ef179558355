"""Composite-indicator construction, one module per stage, in the order a run applies them.

=====================  ===================================================================
``framework``          the indicator tree: parents, children, levels
``dataset``            a dataset folder: ``values.csv``, ``indicators.csv``, ``method.json``
``method``             the method record: every choice of a run, completed and checked
``denomination``       raw values divided by a denominator (per capita, per GDP)
``imputation``         missing values imputed; units screened by data availability
``treatment``          outliers: COINr's skew/kurtosis rule, winsorizing, log transform
``normalization``      indicators brought to one scale (min-max, z-score, rank, ...)
``weighting``          weights within each parent (equal, entropy, CRITIC, PCA, AHP, ...)
``aggregation``        weighted means up the tree (arithmetic, geometric, TOPSIS, BoD, ...)
``ranking``            scores to ranks
``pipeline``           :func:`run`: all stages on a dataset, as its method record says
``comparison``         :func:`compare_methods`: how one changed choice moves the ranking
``coinr``              COINr's iData/iMeta tables read into a dataset
=====================  ===================================================================

Each stage's verb is exported here: ``from cityeval.composite import normalize``. Every
stage's methods share one contract, ``method(frame, *, <options>)``, checked in
:mod:`cityeval.composite._contract`: options are the keyword-only parameters, an unknown
method is ``ParameterError("<stage> method", ...)``, and each stage function's defaults
are those of :data:`DEFAULT_METHOD`.

>>> from cityeval.composite import load_dataset, run
>>> from cityeval import paths
>>> int(run(load_dataset(paths.DATA / "examples" / "toy")).ranks["index"].min())
1
"""
from cityeval.composite.aggregation import AGGREGATION_METHODS, aggregate, benefit_of_the_doubt
from cityeval.composite.coinr import convert_coinr, read_coinr
from cityeval.composite.comparison import MethodComparison, compare_methods
from cityeval.composite.dataset import Dataset, load_dataset
from cityeval.composite.denomination import DENOMINATE_METHODS, denominate
from cityeval.composite.imputation import IMPUTE_METHODS, SCREEN_METHODS, impute, screen
from cityeval.composite.method import DEFAULT_METHOD, STAGES, resolve_method
from cityeval.composite.normalization import NORMALIZE_METHODS, normalize
from cityeval.composite.pipeline import RunResult, run
from cityeval.composite.ranking import RANK_METHODS, rank
from cityeval.composite.treatment import TREAT_METHODS, treat
from cityeval.composite.weighting import WEIGHT_METHODS, ahp_consistency, ahp_weights, weight

__all__ = [
    "Dataset", "load_dataset", "DEFAULT_METHOD", "STAGES", "resolve_method",
    "denominate", "impute", "screen", "treat", "normalize", "weight", "aggregate", "rank",
    "run", "RunResult", "benefit_of_the_doubt", "ahp_weights", "ahp_consistency",
    "convert_coinr", "read_coinr", "compare_methods", "MethodComparison",
    "DENOMINATE_METHODS", "IMPUTE_METHODS", "SCREEN_METHODS", "TREAT_METHODS", "NORMALIZE_METHODS",
    "WEIGHT_METHODS", "AGGREGATION_METHODS", "RANK_METHODS",
]
