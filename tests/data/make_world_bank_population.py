"""Writes world_bank_population.csv: the demo's World Bank population series (fixtures/
population.json: 7 countries, 2015-2024, all "estimated") as a World Bank WDI download lays
it out (BOM, a preamble, every field quoted, a trailing comma, ISO3 codes, one column per
year). Imported with world_bank_population_profile.json, whose profile has no status, over
the demo it changes nothing but the status of all 70 observations: estimated -> as
published (the case the preview of changes and the undo of a batch are tested with).

Run from the project root: .venv/bin/python tests/data/make_world_bank_population.py.
"""

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
ISO3 = {"AL": "ALB", "BA": "BIH", "ME": "MNE", "MK": "MKD", "RS": "SRB", "TR": "TUR", "XK": "XKX"}
NAMES = {
    "AL": "Albania",
    "BA": "Bosnia and Herzegovina",
    "ME": "Montenegro",
    "MK": "North Macedonia",
    "RS": "Serbia",
    "TR": "Turkiye",
    "XK": "Kosovo",
}
INDICATOR = '"Population, total","SP.POP.TOTL"'


def main():
    fixture = json.loads((ROOT / "fixtures" / "population.json").read_text(encoding="utf-8"))
    values = {}
    for item in fixture:
        if item["model"] == "statistics.observation":
            fields = item["fields"]
            values[(fields["country"][0], fields["period"])] = fields["value"]
    years = sorted({period for _country, period in values})
    lines = [
        '"Data Source","World Development Indicators",',
        "",
        '"Last Updated Date","2026-12-01",',
        "",
        '"Country Name","Country Code","Indicator Name","Indicator Code",'
        + ",".join(f'"{year}"' for year in years)
        + ",",
    ]
    for country in sorted(ISO3):
        cells = ",".join(f'"{values[(country, year)]}"' for year in years)
        lines.append(f'"{NAMES[country]}","{ISO3[country]}",{INDICATOR},{cells},')
    data = ("\r\n".join(lines) + "\r\n").encode("utf-8")
    (HERE / "world_bank_population.csv").write_bytes(b"\xef\xbb\xbf" + data)


if __name__ == "__main__":
    main()
