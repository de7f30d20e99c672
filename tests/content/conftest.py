import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True)
def _each_test_in_a_rolled_back_transaction(database):
    """Tests here touch the database; nothing they write outlives them."""


@pytest.fixture
def bank_dir(tmp_path) -> Path:
    """A writable copy of the small valid bank, laid out like the project (questions/, rubrics/)."""
    target = tmp_path / "bank"
    shutil.copytree(FIXTURES / "valid", target)
    return target
