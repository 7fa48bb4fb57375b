import pytest

from tests.unlock.builders import identity_checks_only


@pytest.fixture(autouse=True)
def only_identity_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    identity_checks_only(monkeypatch)
