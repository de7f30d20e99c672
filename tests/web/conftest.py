import pytest


@pytest.fixture(autouse=True)
def _each_test_in_a_rolled_back_transaction(database):
    """Tests here touch the database; nothing they write outlives them."""
