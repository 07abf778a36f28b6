import pytest


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    # Every test writes its files in its own folder, never in media/.
    settings.MEDIA_ROOT = tmp_path / "media"
