"""The demo's source files (fixtures/data/) are the published files, byte for byte."""

import hashlib
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[3] / "fixtures" / "data"


def listed_checksums() -> dict[str, str]:
    checksums = {}
    for line in (DATA / "SHA256SUMS").read_text(encoding="ascii").splitlines():
        digest, name = line.split(maxsplit=1)
        checksums[name.lstrip("*")] = digest
    return checksums


def test_every_data_file_is_listed_with_its_checksum():
    files = {path.name for path in DATA.glob("*.csv")}
    assert files == set(listed_checksums()) and len(files) == 4


@pytest.mark.parametrize("name", sorted(listed_checksums()))
def test_data_file_matches_its_checksum(name):
    digest = hashlib.sha256((DATA / name).read_bytes()).hexdigest()
    assert digest == listed_checksums()[name]


def test_the_world_bank_file_keeps_its_crlf_line_endings():
    """Git must not convert line endings (fixtures/data/.gitattributes): the checksum is of
    the file as published."""
    data = (DATA / "worldbank_population_wb7_1960_2024.csv").read_bytes()
    assert data.count(b"\r\n") == 456 and data.count(b"\n") == 456
