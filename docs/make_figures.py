"""Copy one figure of each executed notebook into docs/figures/ for the README.

Run after `make run`:  .venv/bin/python docs/make_figures.py
The figures are those of the default run (the synthetic panel where a notebook uses it: illustrative).
"""
from __future__ import annotations

import base64
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: notebook stem -> index of the figure (in output order) shown in the README
CHOSEN = {"00_method_walkthrough": 5, "01_published_claims": 0, "02_innovation_correlation": 1,
          "03_capability_stages": 1, "04_healthcare_polarization": 0, "05_regional_patterns": 0,
          "06_input_outcome_efficiency": 0, "07_lowcarbon_typology": 0, "08_innovation_concentration": 0,
          "09_robustness": 0}


def main() -> None:
    out = ROOT / "docs" / "figures"
    out.mkdir(parents=True, exist_ok=True)
    for stem, index in CHOSEN.items():
        nb = json.loads((ROOT / "output" / "notebooks" / f"{stem}.ipynb").read_text(encoding="utf-8"))
        images = [o["data"]["image/png"] for c in nb["cells"] for o in c.get("outputs", [])
                  if "data" in o and "image/png" in o["data"]]
        (out / f"{stem}.png").write_bytes(base64.b64decode(images[index]))
        print(f"docs/figures/{stem}.png: figure {index + 1} of {len(images)}")


if __name__ == "__main__":
    main()
