"""Reference values: COINr's ASEM example, as used by the uncertainty audit's tests.

Source: ../shared/oracles/coinr-asem/README.md (the data converted from the R package COINr v1.1.14,
bluefoxr/COINr; its documented example pipeline R/examples.R ``build_example_coin``): "Index scores:
CHE 68.383724, NLD 64.819516, DNK 64.804080, NOR 64.467776, BEL 63.539520", so CHE ranks first under
the nominal pipeline; ``ASEM_iData`` has 51 countries; ``ASEM_iMeta`` has 49 indicators under 8 pillars
under 2 sub-indices under the Index (68 rows with the denominators). The uncertain choices are those of
COINr's documentation, "Sensitivity analysis" (``get_sensitivity()``, SA_type = "UA", N = 100), as
transcribed in data/examples/coinr_asem_uncertainty.json.
"""

#: The top unit of COINr's nominal pipeline (Index 68.383724, the highest).
TOP_UNIT = "CHE"
#: Units (countries) in ASEM_iData.
N_UNITS = 51
#: Codes below the Index: sub-indices, pillars, indicators (ASEM_iMeta).
N_SUBINDICES, N_PILLARS, N_INDICATORS = 2, 8, 49
#: The first two codes below the Index, in the tree's order (the sub-indices).
SUBINDICES = ("Conn", "Sust")
#: The winsorization limits of COINr's documented uncertainty analysis (spec ``treat`` options).
WINMAX = (1, 2, 3, 4, 5)
