import pytest

from contracts.sample import PASSWORD, build_registry


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def job_files(settings, tmp_path):
    settings.EQUISANTE_JOBS_DIR = tmp_path / "travaux"


@pytest.fixture
def immediate_jobs(settings):
    """Jobs run at once in the process that starts them (the task library's immediate backend)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def registry(db):
    from equisante.contracts.coding import forget_suggesters

    forget_suggesters()
    return build_registry()


@pytest.fixture
def analyst(registry):
    from django.contrib.auth import get_user_model

    from equisante.accounts.management import analyst_group

    user = get_user_model().objects.create_user("analyste", password=PASSWORD)
    user.groups.add(analyst_group())
    return user


def login(client, user):
    client.force_login(user)
    return client
