"""End-to-end: an observatory analyst uploads an indicator file, watches the job's progress bar, then
reads the list of what the import changed; a regional administrator deletes a contract, finds it in the
trash and restores it with its sheets and its history — no serious or critical accessibility violation
on the pages met."""

from __future__ import annotations

import threading

import pytest

from e2e.conftest import axe_violations

pytestmark = pytest.mark.browser

PASSWORD = "un-mot-de-passe-assez-long"
VALUES = ("indicator,level,code,period,numerator,denominator\n"
          "part_65,commune,01001,2021,180,850\n"
          "part_65,commune,01002,2021,400,2345\n")


@pytest.fixture
def registry(live_server, transactional_db, settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EQUISANTE_JOBS_DIR = tmp_path / "travaux"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django.contrib.auth import get_user_model

    from contracts.sample import build_registry
    from equisante.accounts.management import analyst_group
    from equisante.indicators.models import Indicator

    data = build_registry()
    analyst = get_user_model().objects.create_user("analyste.obs", password=PASSWORD)
    analyst.groups.add(analyst_group())
    Indicator.objects.create(code="part_65", label="Part des 65 ans et plus", unit="%", multiplier=100,
                             polarity="neutral")
    data["url"] = live_server.url
    return data


@pytest.fixture
def page(browser):
    """As conftest's page, with the Content-Security-Policy bypassed so that axe-core can be injected (the
    site itself runs no inline script: the policy stays checked by the JavaScript-error assertions)."""
    context = browser.new_context(locale="fr-FR", accept_downloads=True, viewport={"width": 1280, "height": 900},
                                  bypass_csp=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.js_errors = errors
    yield page
    context.close()


class _Worker:
    """The task library's database worker, in a thread of the test (signals belong to the main thread)."""

    def __init__(self):
        from django_tasks_db.management.commands.db_worker import Worker

        class Quiet(Worker):
            def configure_signals(self):
                return None

            def reset_signals(self):
                return None

        self.worker = Quiet(queue_names=["*"], interval=0.2, batch=False, backend_name="default",
                            startup_delay=False, max_tasks=None, worker_id="e2e", excluded_queue_names=[])
        self.thread = threading.Thread(target=self.worker.run, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.worker.running = False
        self.thread.join(timeout=10)


def login(page, url, username):
    page.goto(f"{url}/connexion/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{url}/")


def test_analyst_imports_values_and_watches_the_progress(page, registry, tmp_path):
    url = registry["url"]
    login(page, url, "analyste.obs")
    page.goto(f"{url}/travaux/")
    page.get_by_role("link", name="Importer des données").click()
    page.locator("label", has_text="Valeurs d'indicateurs").click()
    path = tmp_path / "valeurs-2021.csv"
    path.write_text(VALUES, encoding="utf-8")
    page.set_input_files("#id_file", str(path))
    assert axe_violations(page) == []
    page.get_by_role("button", name="Importer").click()
    page.wait_for_url(f"{url}/travaux/*/")
    # queued: the progress bar is there, at 0, until the worker takes the job
    bar = page.locator("progress#job-progress")
    assert bar.is_visible() and bar.get_attribute("value") == "0"
    assert "en attente" in page.locator("#job-state").inner_text().lower()
    assert axe_violations(page) == []
    with _Worker():
        # the page polls the job's state and shows the result once it is done, without a click
        page.get_by_role("heading", name="Ce que l’import a changé").wait_for(timeout=30_000)
    table = page.locator("table", has_text="Modifications faites par l’import")
    assert "part_65 — commune 01001 — 2021" in table.inner_text()
    assert "part_65 — commune 01002 — 2021" in table.inner_text()
    assert "2 valeurs lues" in page.locator(".fr-alert--success").inner_text()
    assert page.js_errors == []
    page.goto(f"{url}/travaux/")
    assert "valeurs-2021.csv" in page.locator("table").inner_text()


def test_administrator_restores_a_deleted_contract_with_its_sheets_and_history(page, registry):
    url = registry["url"]
    login(page, url, "admin")
    page.goto(f"{url}/contrats/CLS-01-VEY/")
    page.get_by_role("link", name="Supprimer le contrat").click()
    assert "Le contrat et ses 3 fiches-action disparaîtront" in page.locator("main").inner_text()
    page.get_by_role("button", name="Confirmer la suppression").click()
    page.wait_for_url(f"{url}/contrats/corbeille/")
    assert "supprimé avec 3 fiches-action" in page.locator("main").inner_text()
    assert axe_violations(page) == []
    response = page.goto(f"{url}/contrats/CLS-01-VEY/")
    assert response.status == 404
    page.goto(f"{url}/contrats/corbeille/")
    page.get_by_role("button", name="Restaurer le contrat CLS-01-VEY").click()
    page.wait_for_url(f"{url}/contrats/CLS-01-VEY/historique/")
    history = page.locator("main").inner_text()
    assert "restauration" in history and "suppression" in history
    page.goto(f"{url}/contrats/CLS-01-VEY/")
    main = page.locator("main").inner_text()
    assert "FA-1.1" in main and "FA-1.2" in main and "FA-2.1" in main
    assert page.js_errors == []
