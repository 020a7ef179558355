"""Hypothesis profiles: on CI (the CI environment variable is set) examples are derandomized, so a
submission is judged on the same examples every time; locally they are random, so repeated runs keep
exploring. Either way a property must hold for every example, not a lucky one."""
import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, print_blob=True)
settings.register_profile("dev", print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")
