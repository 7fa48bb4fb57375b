import pytest

from tests.records.people import Owner, make_owner


@pytest.fixture
def owner() -> Owner:
    return make_owner()
