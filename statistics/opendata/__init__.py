"""What catalogues and search engines read of the indicators: each public indicator as a
dataset, one module a job.

- facts: what is known of each dataset (its indicator, the sources and areas of its public
  figures, the territory notes), read in a bounded number of queries for one indicator or all
- jsonld: those facts as schema.org `Dataset` (the indicator page's `<script
  type="application/ld+json">`) and as DCAT-AP (`/catalog.jsonld`), with one list of
  distributions: the downloads the indicator page offers
- views: `/catalog.jsonld`
"""
