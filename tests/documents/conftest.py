from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

DATA = Path(__file__).resolve().parent.parent / "data" / "documents"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded files go to a fresh directory for each test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def data_file(name, as_name=None):
    """A file from tests/data/documents/ as an upload, under `as_name` if given."""
    return SimpleUploadedFile(as_name or name, (DATA / name).read_bytes())


def stored_files(media_root):
    return sorted(path for path in Path(media_root).rglob("*") if path.is_file())
