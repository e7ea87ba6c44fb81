import pytest
from django.conf import settings as django_settings
from django.utils import translation

from skow_portal.tests.world import World


@pytest.fixture
def world(db, tmp_path, settings):
    """The small board of skow_portal/tests/world.py; scans under this test's own directory."""
    settings.PRIVATE_STORAGE_ROOT = str(tmp_path)
    # Every page is in the matrix with its feature switched on: the ernstig-incident pages answer
    # 404 to everyone while it is off (sanctions/tests/test_serious_incidents.py).
    settings.SERIOUS_INCIDENT_TASKS = True
    return World(tmp_path)


@pytest.fixture(autouse=True)
def _dutch_again_afterwards():
    """A request with the language cookie leaves its language active in this thread; later tests
    that call services directly expect the portal's Dutch."""
    yield
    translation.activate(django_settings.LANGUAGE_CODE)
