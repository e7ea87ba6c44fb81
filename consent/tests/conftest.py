import pytest

from consent.tests.factories import current_form


@pytest.fixture(autouse=True)
def _consent_form_version_1(request):
    """The form the data migration installs; transactional tests flush it, so put it back."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None:
        return
    request.getfixturevalue("transactional_db" if marker.kwargs.get("transaction") else "db")
    current_form()
