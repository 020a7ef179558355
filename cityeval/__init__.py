"""cityeval: reproduce, test and teach the CCID 2022 digital-city evaluation.

Subpackages, in the order data flows through them (each imports only those after it):

- :mod:`cityeval.cli`        the command line, one module per command
- :mod:`cityeval.notebook`   what the notebooks share (scored panel, labels, results files) and the runner
- :mod:`cityeval.analysis`   one module per question a finding raises
- :mod:`cityeval.audit`      robustness of a ranking over method choices
- :mod:`cityeval.ccid2022`   the report's published tables, reference data, claims, synthetic panel
- :mod:`cityeval.composite`  the composite-indicator stages, raw values to ranks
- base modules: :mod:`cityeval.errors`, :mod:`cityeval.validation`, :mod:`cityeval.files` (reading),
  :mod:`cityeval.outputs` (writing), :mod:`cityeval.paths`, :mod:`cityeval.progress`, :mod:`cityeval.lazy`

The objects most scripts need are here: ``from cityeval import load_dataset, run``.
"""
from cityeval.errors import CityevalError, DataError, ParameterError
from cityeval.lazy import lazy_exports

__version__ = "0.1.0"

__all__ = ["Dataset", "load_dataset", "run", "RunResult", "CityevalError", "DataError", "ParameterError",
           "__version__"]

# The composite objects are imported on first use (PEP 562), so ``python -m cityeval`` reaches its Ctrl-C
# handling before pandas and numpy load (an interrupt then is one line, not a traceback).
_LAZY = {"Dataset": "cityeval.composite.dataset", "load_dataset": "cityeval.composite.dataset",
         "RunResult": "cityeval.composite.pipeline", "run": "cityeval.composite.pipeline"}


__getattr__, __dir__ = lazy_exports(__name__, _LAZY, globals())
