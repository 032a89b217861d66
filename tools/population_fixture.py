"""Writes fixtures/population.json from the World Bank population file (see README.md).

    python3 tools/population_fixture.py ../shared/data/worldbank_population_wb7_1960_2024.csv

Keeps the last ten years of the seven countries (the demo needs a recent series, not all
65 years), exactly as in the file. The World Bank writes Kosovo as XKX; the portal uses XK.
"""

import csv
import json
import sys
from pathlib import Path

FIRST_YEAR = 2015
WORLD_BANK_TO_PORTAL = {
    "ALB": "AL",
    "BIH": "BA",
    "XKX": "XK",
    "MNE": "ME",
    "MKD": "MK",
    "SRB": "RS",
    "TUR": "TR",
}
OUTPUT = Path(__file__).resolve().parents[1] / "fixtures" / "population.json"


def main(path):
    objects = [
        {
            "model": "statistics.source",
            "fields": {
                "name": "World Bank, World Development Indicators (SP.POP.TOTL)",
                "code": "worldbank-wdi-sp-pop-totl",
                "url": "https://data.worldbank.org/indicator/SP.POP.TOTL",
                "description": (
                    "Total population, mid-year estimates. Taken from the datasets/population "
                    "data package (which declares ODC-PDDL-1.0), a copy of the World Bank's "
                    "series."
                ),
                "publisher": "World Bank",
                "is_own_compilation": False,
                # The World Bank's terms of use for its data: CC BY 4.0 (../shared/data/README.md).
                "licence": "CC BY 4.0",
                "licence_url": "https://creativecommons.org/licenses/by/4.0/",
                "terms": "",
                # The attribution the data's README asks for; the file gives no release date.
                "citation": "World Bank, World Development Indicators (SP.POP.TOTL)",
                "reference_date": None,
            },
        },
        {
            "model": "statistics.indicator",
            "fields": {
                "code": "population",
                "name": "Population",
                "description": "Total population (mid-year estimate), World Bank indicator "
                "SP.POP.TOTL.",
                "unit": "people",
                "decimals": 0,
                "breakdown_label": "",
                "is_featured": False,
                "order": 20,
            },
        },
    ]
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if int(row["Year"]) < FIRST_YEAR:
                continue
            objects.append(
                {
                    "model": "statistics.observation",
                    "fields": {
                        "indicator": ["population"],
                        "country": [WORLD_BANK_TO_PORTAL[row["Country Code"]]],
                        "region": None,
                        "period": row["Year"],
                        "category": "",
                        "value": row["Value"],
                        "qualifier": "",
                        # The World Bank's values are mid-year estimates: it says so itself.
                        "status": "estimated",
                        "source": ["worldbank-wdi-sp-pop-totl"],
                        "note": "",
                    },
                }
            )
    OUTPUT.write_text(json.dumps(objects, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"Wrote {OUTPUT}: {len(objects) - 2} observations.")


if __name__ == "__main__":
    main(sys.argv[1])
