"""Reference values hard-coded from pymcdm 1.4.0 (``pip install pymcdm==1.4.0``; Kizielewicz, Shekhovtsov &
Sałabun, pymcdm, SoftwareX 22 (2023) 101368, https://doi.org/10.1016/j.softx.2023.101368).

Only values a test cannot recompute live are here; the tests that call pymcdm during the run
(entropy, CRITIC and standard-deviation weights, TOPSIS on random matrices) stay live.

TOPSIS docstring example (``pymcdm.methods.TOPSIS``'s docstring, pymcdm 1.4.0)::

    >>> import numpy as np
    >>> from pymcdm.methods import TOPSIS
    >>> matrix = np.array([[1, 2, 5], [3000, 3750, 4500]]).T
    >>> TOPSIS()(matrix, np.array([0.5, 0.5]), np.array([-1, 1])).tolist()
    [0.5, 0.6172177814626812, 0.5]

(the docstring prints ``[0.500, 0.617, 0.500]``; the full-precision values are the output of that
call, with pymcdm's default min-max normalization).
"""

#: The decision matrix (3 alternatives x 2 criteria), weights and criterion types of the example.
TOPSIS_MATRIX = [[1, 3000], [2, 3750], [5, 4500]]
TOPSIS_WEIGHTS = [0.5, 0.5]
TOPSIS_TYPES = [-1, 1]
#: As printed in the docstring (3 decimals).
TOPSIS_PRINTED = [0.5, 0.617, 0.5]
#: ``TOPSIS()(matrix, weights, types).tolist()`` with pymcdm 1.4.0.
TOPSIS_SCORES = [0.5, 0.6172177814626812, 0.5]
