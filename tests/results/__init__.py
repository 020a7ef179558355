"""Reference values from peer sources, one module per source, each naming where its numbers come from.

Tests import them as ``from results import saaty`` (``tests/`` is on the test path, see pyproject.toml).
A value computed by a test itself (a hand calculation written out in the test, or a live call of a
peer library such as pymcdm or scipy) stays in the test; only values copied from somewhere else live
here, next to the citation or the exact command that produced them.
"""
