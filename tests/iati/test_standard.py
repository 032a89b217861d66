"""The copies of the IATI standard: complete, matching their manifest, refreshed only from a
complete 2.03 folder; a withdrawn code leaves a project out instead of failing."""

import shutil

import pytest
from django.core.management import CommandError, call_command

from iati import codelists, standard

from .conftest import assert_valid, complete_project


def test_the_copies_match_their_manifest():
    assert standard.differences() == []
    call_command("refresh_iati_standard", "--check", verbosity=0)


def test_kosovo_is_an_active_country_code():
    assert codelists.is_active("Country", "XK")
    assert not codelists.is_active("Country", "AN")  # Netherlands Antilles: withdrawn
    assert codelists.is_active("Sector", "15190")


def test_refresh_copies_a_complete_folder_and_refuses_others(tmp_path):
    source = tmp_path / "source"
    shutil.copytree(codelists.STANDARD_DIR, source)
    target = tmp_path / "target"
    target.mkdir()
    changed = standard.refresh(source, target)
    assert {name for name, _old, _new in changed} == set(standard.files())
    assert standard.differences(target) == []
    assert standard.refresh(source, target) == []  # nothing new the second time

    (source / "codelists" / "Sector.xml").unlink()
    with pytest.raises(standard.StandardError, match="codelists/Sector.xml"):
        standard.refresh(source, target)
    with pytest.raises(CommandError, match="lacks"):
        call_command("refresh_iati_standard", str(source), verbosity=0)


def test_a_refused_folder_leaves_the_copies_alone(tmp_path):
    source = tmp_path / "source"
    shutil.copytree(codelists.STANDARD_DIR, source)
    schema = source / "iati-activities-schema.xsd"
    schema.write_text(schema.read_text().replace('version="2.03"', 'version="2.02"', 1))
    with pytest.raises(CommandError, match="not 2.03"):
        call_command("refresh_iati_standard", str(source), verbosity=0)
    assert standard.differences() == []


@pytest.mark.django_db
def test_a_stored_code_withdrawn_later_leaves_the_project_out(client, publisher, places):
    kept = complete_project([places["serbia"]])
    stale = complete_project([places["serbia"]])
    withdrawn = next(c for c, item in codelists.codelist("Sector").items() if not item.active)
    type(stale).objects.filter(pk=stale.pk).update(iati_sectors=withdrawn)
    root = assert_valid(client.get("/iati/activities.xml").content)
    assert [a.findtext("iati-identifier") for a in root.iter("iati-activity")] == [
        kept.iati_identifier
    ]
    html = client.get(f"/iati/activities/{stale.slug}.xml")
    assert html.status_code == 404


@pytest.mark.django_db
def test_check_iati_reports_what_is_left_out(publisher, places, capsys):
    from tests.factories import ProjectFactory

    complete_project([places["serbia"]])
    ProjectFactory(slug="bare", iati_identifier="")
    call_command("check_iati")
    out = capsys.readouterr().out
    assert "left out: bare: IATI identifier;" in out
    assert "1 project(s) in the file, valid against the IATI 2.03 schema; 1 left out." in out


@pytest.mark.django_db
def test_check_iati_fails_without_a_publisher(places):
    complete_project([places["serbia"]])
    with pytest.raises(CommandError, match="reporting organisation's IATI identifier"):
        call_command("check_iati")
