"""Locust scenario of bench_load.py: readers who are not logged in, browsing the main pages.

Each simulated reader requests, without pause, one page after another among: the home page, the
territory list and a département page, the indicator list and an indicator page (its map and table),
prioritisation, the contract register, a portrait and the ISTS profiles overview. The addresses of
the indicator, département and portrait pages are read from the running site when the test starts.
"""

from __future__ import annotations

import random
import re
import urllib.request

from locust import FastHttpUser, constant, events, task

TARGETS: dict[str, list[str]] = {"indicator": [], "departement": [], "portrait": []}


def _links(host: str, path: str, pattern: str) -> list[str]:
    with urllib.request.urlopen(host + path, timeout=60) as response:
        text = response.read().decode("utf-8", "replace")
    return sorted(set(re.findall(pattern, text)))


@events.test_start.add_listener
def discover(environment, **kwargs):
    host = environment.host.rstrip("/")
    TARGETS["indicator"] = _links(host, "/indicateurs/", r'href="(/indicateurs/[\w-]+/)"')[:12] or ["/indicateurs/"]
    TARGETS["departement"] = _links(host, "/territoires/?level=departement",
                                    r'href="(/territoires/departement/[\w-]+/)"')[:6] or ["/territoires/"]
    communes = _links(host, "/territoires/?level=commune", r'href="/territoires/commune/([\w-]+)/"')[:6]
    TARGETS["portrait"] = [f"/portraits/{code}/" for code in communes] or ["/portraits/"]


class Reader(FastHttpUser):
    wait_time = constant(0)

    @task(2)
    def home(self):
        self.client.get("/", name="accueil")

    @task(1)
    def territories(self):
        self.client.get("/territoires/", name="territoires")

    @task(2)
    def departement(self):
        self.client.get(random.choice(TARGETS["departement"]), name="territoire (département)")

    @task(1)
    def indicators(self):
        self.client.get("/indicateurs/", name="indicateurs")

    @task(4)
    def indicator(self):
        self.client.get(random.choice(TARGETS["indicator"]), name="indicateur (carte et tableau)")

    @task(1)
    def prioritisation(self):
        self.client.get("/priorisation/", name="priorisation")

    @task(1)
    def contracts(self):
        self.client.get("/contrats/", name="contrats")

    @task(1)
    def portrait(self):
        self.client.get(random.choice(TARGETS["portrait"]), name="portrait")

    @task(1)
    def profiles(self):
        self.client.get("/profils/", name="profils")
