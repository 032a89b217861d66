"""The copy of the IATI 2.03 standard kept in the repository (iati/standard/2.03/): which
files it holds, their checksums (MANIFEST.sha256), and replacing them from a folder."""

import hashlib
import shutil
from pathlib import Path

from lxml import etree

from . import codelists, validation

MANIFEST = "MANIFEST.sha256"
SCHEMAS = ("iati-activities-schema.xsd", "iati-common.xsd", "xml.xsd")
# The code lists the portal reads or checks against (tests/iati: every coded value).
CODELISTS = (
    "ActivityDateType",
    "ActivityScope",
    "ActivityStatus",
    "AidType",
    "BudgetStatus",
    "BudgetType",
    "CollaborationType",
    "Country",
    "Currency",
    "DocumentCategory",
    "FinanceType",
    "FlowType",
    "GazetteerAgency",
    "Language",
    "OrganisationRole",
    "OrganisationType",
    "Region",
    "RelatedActivityType",
    "Sector",
    "SectorVocabulary",
    "TiedStatus",
    "TransactionType",
)


class StandardError(Exception):
    pass


def files():
    """Paths of the standard's files, relative to its folder."""
    return [
        *SCHEMAS,
        "LICENSE",
        *(f"codelists/{name}.xml" for name in CODELISTS),
        "codelists/LICENSE",
    ]


def checksums(folder):
    return {
        name: hashlib.sha256((Path(folder) / name).read_bytes()).hexdigest() for name in files()
    }


def manifest_text(sums):
    return "".join(f"{digest}  {name}\n" for name, digest in sorted(sums.items()))


def read_manifest(folder):
    sums = {}
    for line in (Path(folder) / MANIFEST).read_text().splitlines():
        if line.strip():
            digest, name = line.split(maxsplit=1)
            sums[name.strip()] = digest
    return sums


def differences(folder=codelists.STANDARD_DIR):
    """Files whose content differs from the manifest (or are missing)."""
    recorded = read_manifest(folder)
    found = []
    for name in files():
        path = Path(folder) / name
        if not path.is_file():
            found.append(f"{name}: missing")
        elif hashlib.sha256(path.read_bytes()).hexdigest() != recorded.get(name):
            found.append(f"{name}: differs from {MANIFEST}")
    return found


def check_source(source):
    """Refuse a folder that is not a complete IATI 2.03 standard."""
    source = Path(source)
    missing = [name for name in files() if not (source / name).is_file()]
    if missing:
        raise StandardError(f"{source} lacks: {', '.join(missing)}")
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    schema_root = etree.parse(str(source / SCHEMAS[0]), parser).getroot()
    if schema_root.get("version") != "2.03":
        raise StandardError(
            f"{source / SCHEMAS[0]} is version {schema_root.get('version')!r}, not 2.03."
        )
    for name in CODELISTS:
        root = etree.parse(str(source / "codelists" / f"{name}.xml"), parser).getroot()
        if root.tag != "codelist" or root.get("name") != name:
            raise StandardError(f"codelists/{name}.xml is not the {name} code list.")


def refresh(source, target=codelists.STANDARD_DIR):
    """Copy the standard's files from `source` into `target` and write the manifest; the
    (file, old digest, new digest) of each file that changed."""
    check_source(source)
    target = Path(target)
    before = read_manifest(target) if (target / MANIFEST).is_file() else {}
    (target / "codelists").mkdir(parents=True, exist_ok=True)
    for name in files():
        shutil.copyfile(Path(source) / name, target / name)
    sums = checksums(target)
    (target / MANIFEST).write_text(manifest_text(sums))
    codelists.clear()
    validation.schema.cache_clear()
    return [
        (name, before.get(name), digest)
        for name, digest in sums.items()
        if before.get(name) != digest
    ]
