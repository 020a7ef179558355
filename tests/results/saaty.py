"""Saaty's published AHP examples: pairwise comparison matrices with their printed priorities and consistency.

Sources
-------
Saaty, T. L. (1990). How to make a decision: the analytic hierarchy process. *European Journal of
Operational Research*, 48(1), 9-26. https://doi.org/10.1016/0377-2217(90)90057-I
    The house example: criteria of a family's house purchase (size, transportation, neighbourhood,
    age, yard, modern facilities, general condition, financing); matrix, priorities, and
    lambda_max = 9.669, C.I. = 0.238, C.R. = 0.169 as printed there (Table 2 of the paper as
    recalled when these values were first written down; the paper could not be opened in that
    session, but the matrix reproduces all eight printed priorities and the three printed
    consistency figures to the printed 3 decimals, which a mistyped entry would not).
Saaty, T. L. (1977). A scaling method for priorities in hierarchical structures. *Journal of
Mathematical Psychology*, 15(3), 234-281, and Saaty (1980), *The Analytic Hierarchy Process*,
McGraw-Hill, ch. 2.
    Relative wealth of nations (US, USSR, China, France, UK, Japan, W. Germany): printed eigenvector
    .427 .230 .021 .052 .052 .123 .094, lambda_max = 7.61 (same caveat: recalled, and reproduced to
    every printed digit by the matrix below).
Saaty (1980): the random consistency index RI(n), n = 1..15 (the values of
:data:`cityeval.composite.weighting.RANDOM_INDEX`).
"""

#: Saaty (1990), the house example: the pairwise comparison matrix of the eight criteria.
HOUSE = [[1, 5, 3, 7, 6, 6, 1 / 3, 1 / 4],
         [1 / 5, 1, 1 / 3, 5, 3, 3, 1 / 5, 1 / 7],
         [1 / 3, 3, 1, 6, 3, 4, 6, 1 / 5],
         [1 / 7, 1 / 5, 1 / 6, 1, 1 / 3, 1 / 4, 1 / 7, 1 / 8],
         [1 / 6, 1 / 3, 1 / 3, 3, 1, 1 / 2, 1 / 5, 1 / 6],
         [1 / 6, 1 / 3, 1 / 4, 4, 2, 1, 1 / 5, 1 / 6],
         [3, 5, 1 / 6, 7, 5, 5, 1, 1 / 2],
         [4, 7, 5, 8, 6, 6, 2, 1]]
#: Its printed priorities (3 decimals).
HOUSE_W = [0.173, 0.054, 0.188, 0.018, 0.031, 0.036, 0.167, 0.333]
#: Its printed principal eigenvalue, consistency index and consistency ratio (3 decimals).
HOUSE_LAMBDA_MAX, HOUSE_CI, HOUSE_CR = 9.669, 0.238, 0.169
HOUSE_CODES = ["size", "transport", "neighbourhood", "age", "yard", "modern", "condition", "financing"]

#: Saaty (1977; 1980, ch. 2), relative wealth of nations.
WEALTH = [[1, 4, 9, 6, 6, 5, 5],
          [1 / 4, 1, 7, 5, 5, 3, 4],
          [1 / 9, 1 / 7, 1, 1 / 5, 1 / 5, 1 / 7, 1 / 5],
          [1 / 6, 1 / 5, 5, 1, 1, 1 / 3, 1 / 3],
          [1 / 6, 1 / 5, 5, 1, 1, 1 / 3, 1 / 3],
          [1 / 5, 1 / 3, 7, 3, 3, 1, 2],
          [1 / 5, 1 / 4, 5, 3, 3, 1 / 2, 1]]
#: Its printed eigenvector (3 decimals) and principal eigenvalue (2 decimals).
WEALTH_W = [0.427, 0.230, 0.021, 0.052, 0.052, 0.123, 0.094]
WEALTH_LAMBDA_MAX = 7.61

#: Saaty (1980): random consistency index RI(n) for n = 1..15.
RANDOM_INDEX = [0, 0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59]

#: A value printed to 3 decimals is within half a unit of the last digit.
PRINTED_3DP = 5e-4 + 1e-9
