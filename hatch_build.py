"""Build hook (hatchling): the regular wheel carries the repository's data/ and notebooks/ inside the package,
as cityeval/_bundle/, so `pip install .` works without the repository (cityeval/paths.py finds them there).
An editable install does not copy them: it runs from the checkout, whose own folders are used."""
from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class BundleHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version, build_data):
        if version == "standard":
            build_data["force_include"]["data"] = "cityeval/_bundle/data"
            build_data["force_include"]["notebooks"] = "cityeval/_bundle/notebooks"
            # the glossary page of output/ (cityeval/notebook/pages.py reads paths.ROOT/docs/glossary.md)
            build_data["force_include"]["docs/glossary.md"] = "cityeval/_bundle/docs/glossary.md"
