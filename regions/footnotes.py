"""Footnotes of a page: each footnoted country once, in order of first appearance."""


def collect_footnoted(*country_lists):
    seen = {}
    for countries in country_lists:
        for country in countries:
            if country.footnote and country.iso_code not in seen:
                seen[country.iso_code] = country
    return list(seen.values())
