import pytest

from publishing import notifications
from staff.roles import DATA_MANAGER, EDITOR, PUBLISHER


@pytest.fixture(autouse=True)
def mail_at_once(monkeypatch):
    """The workflow mails after the commit, which a test's transaction never reaches."""
    monkeypatch.setattr(notifications, "after_commit", lambda send: send())


@pytest.fixture
def people(staff_with_role):
    return {
        "editor": staff_with_role(EDITOR),
        "publisher": staff_with_role(PUBLISHER),
        "data_manager": staff_with_role(DATA_MANAGER),
    }
