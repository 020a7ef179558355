"""Reference values: the textbook DEA example of Coelli's DEAP program (five firms, one output, two inputs).

Source: Coelli, T. J. (1996), "A Guide to DEAP Version 2.1: A Data Envelopment Analysis (Computer)
Program", CEPA Working Paper 96/08, University of New England, section 6, example 1 (files
``eg1-dta.txt``, ``eg1-ins.txt``, ``eg1-out.txt``: input-oriented DEA, constant returns to scale, slacks by
the multi-stage method); the same five firms are the worked example of Coelli, Rao & Battese (1998),
*An Introduction to Efficiency and Productivity Analysis*, Kluwer, chapter 6 (the ``Coelli_1998``
data set of the R package deaR). The numbers below are those of DEAP's printed output (3 decimals).

The data: firm 1 produces y = 1 with x = (2, 5); firm 2 y = 2, x = (2, 4); firm 3 y = 3, x = (6, 6);
firm 4 y = 1, x = (3, 2); firm 5 y = 2, x = (6, 2). The output file shows them through its targets
(input target = te * x - slack, output target = y, no output slack): e.g. firm 3's target
(5, 5) = 0.833 * (6, 6), firm 4's (2.143, 1.429) = 0.714 * (3, 2).

By hand (per unit of output the inputs are A (2, 5), B (1, 2), C (2, 2), D (3, 2), E (3, 1); the
frontier is B -> E plus the free-disposal rays): C's ray t (2, 2) meets B-E, (1 + 2s, 2 - s), at
s = 1/3, t = 5/6; D's ray t (3, 2) at s = 4/7, t = 5/7; A's ray reaches x1 = 1 (B's) at t = 1/2, where
x2 = 2.5 exceeds B's 2 by the slack 0.5.
"""

UNITS = ("firm1", "firm2", "firm3", "firm4", "firm5")
OUTPUT = (1.0, 2.0, 3.0, 1.0, 2.0)
INPUT_1 = (2.0, 2.0, 6.0, 3.0, 6.0)
INPUT_2 = (5.0, 4.0, 6.0, 2.0, 2.0)

#: "EFFICIENCY SUMMARY", te (CRS, input orientation), 3 decimals; exactly 1/2, 1, 5/6, 5/7, 1.
TE_CRS = (0.500, 1.000, 0.833, 0.714, 1.000)
TE_CRS_EXACT = (1 / 2, 1.0, 5 / 6, 5 / 7, 1.0)
#: "SUMMARY OF INPUT SLACKS" (input 1, input 2); no output slack.
INPUT_SLACKS = ((0.0, 0.5), (0.0, 0.0), (0.0, 0.0), (0.0, 0.0), (0.0, 0.0))
#: "SUMMARY OF PEERS" (DEAP lists them by firm number).
PEERS = (("firm2",), ("firm2",), ("firm2", "firm5"), ("firm2", "firm5"), ("firm5",))
#: "SUMMARY OF PEER WEIGHTS" as {peer: lambda}; firm 4: 0.286 = 2/7 of firm 5, 0.214 = 3/14 of firm 2.
PEER_WEIGHTS = ({"firm2": 0.500}, {"firm2": 1.000}, {"firm5": 0.500, "firm2": 1.000},
                {"firm5": 0.286, "firm2": 0.214}, {"firm5": 1.000})
#: Tolerance of DEAP's 3-decimal printing.
DECIMALS_ATOL = 5e-4
