"""COINr's ASEM example: the documented facts and results that tests/composite/test_coinr.py checks.

Source: the R package COINr (bluefoxr/COINr, v1.1.14, MIT licence, William Becker; Becker et al.
2022, *JOSS* 7(78), 4567, https://doi.org/10.21105/joss.04567), as described in
``../shared/oracles/coinr-asem/README.md``, which holds the data files (``ASEM_iData.csv``,
``ASEM_iMeta.csv``, ``ASEM_iData_p.csv``). The data files are read from there
(:data:`cityeval.paths.COINR_ASEM`), never copied into the project.

- The example pipeline is COINr's ``build_example_coin()`` (R/examples.R), which
  :data:`cityeval.composite.coinr.COINR_EXAMPLE_METHOD` transcribes.
- The index scores are those of COINr's documentation of that pipeline, quoted in the README.
- The sizes are the README's description of ``ASEM_iData`` and ``ASEM_iMeta``.

Counts that a test derives from the CSV files themselves (missing cells, failing indicators) are
not here: the test computes them.
"""

#: README: ``ASEM_iData`` has 51 countries and 49 indicators.
N_UNITS = 51
N_INDICATORS = 49
#: COINr documentation (README "Published results"): the top five index scores, in rank order.
TOP5_INDEX_SCORES = {"CHE": 68.383724, "NLD": 64.819516, "DNK": 64.804080, "NOR": 64.467776, "BEL": 63.539520}
#: Printed to 6 decimals: within half a unit of the last digit.
PRINTED_6DP = 5e-7 + 1e-12
#: README, step 3: the screening threshold of the example (data availability >= 0.9).
SCREEN_THRESHOLD = 0.9
#: README, step 4: the JRC rule's thresholds and COINr's default winsorisation limit.
SKEW_THRESH, KURT_THRESH, WINMAX = 2.0, 3.5, 5
