import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.redirects import is_local_path


@pytest.mark.parametrize("target", ["/", "/learn/", "/hr/people?page=2", "/admin/users/3#roles"])
def test_local_paths_are_followed(target):
    assert is_local_path(target)


@pytest.mark.parametrize(
    "target",
    [
        None,
        "",
        "https://evil.example/",
        "//evil.example/path",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "learn/",
        "/\tevil",
        "http:/evil.example",
    ],
)
def test_anything_that_could_leave_the_site_is_refused(target):
    assert not is_local_path(target)


@given(st.text())
def test_an_accepted_target_never_names_a_host(target):
    if is_local_path(target):
        assert target.startswith("/") and not target.startswith("//")
        assert "\\" not in target
