import pytest

from policy.tests.factories import version_1


@pytest.fixture(autouse=True)
def _protocol_version_1(request):
    """Version 1 as the data migration installs it; transactional tests flush it, so put it back."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None:
        return
    request.getfixturevalue("transactional_db" if marker.kwargs.get("transaction") else "db")
    version_1()
