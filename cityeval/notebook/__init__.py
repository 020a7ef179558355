"""What the notebooks share, and the runner that executes them.

=====================  ===================================================================
``panel``              the scored panel every finding notebook starts from
``labels``             names for figures in English or Chinese, and the CJK font
``results``            the machine-readable results file each notebook writes
``runner``             executes the notebooks with papermill and writes the index page
=====================  ===================================================================
"""
