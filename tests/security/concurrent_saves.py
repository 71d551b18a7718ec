"""Run by test_concurrent_saves.py in a fresh process on a *file* SQLite database (the test database
of pytest lives in memory, where SQLite's locking differs): two people save the same contract at the
same moment, ROUNDS times; prints one line per round: the two HTTP statuses and whether the loser got
the French refusal."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 10
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "equisante.config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
call_command("migrate", verbosity=0)

from contracts.sample import PASSWORD, build_registry  # noqa: E402
from contracts.test_contract_pages import VEY, _contract_post, _token  # noqa: E402

data = build_registry()
contract = data["contracts"]["CLS-01-VEY"]
connection.close()


def client(name: str) -> Client:
    c = Client(raise_request_exception=False)
    assert c.login(username=name, password=PASSWORD)
    return c


people = [client("coord01"), client("referent01")]
for round_ in range(ROUNDS):
    tokens = [_token(c.get(VEY + "modifier/")) for c in people]
    barrier, answers = threading.Barrier(2), [None, None]

    def save(i: int) -> None:
        post = _contract_post(contract, version=tokens[i], evaluation_note=f"Note {round_}-{i}")
        barrier.wait()
        answers[i] = people[i].post(VEY + "modifier/", post)
        connection.close()

    threads = [threading.Thread(target=save, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    statuses = sorted(a.status_code for a in answers)
    refused = any("Modification concurrente" in a.content.decode() for a in answers if a.status_code == 200)
    print(f"{statuses[0]} {statuses[1]} {'refus' if refused else '-'}", flush=True)
