"""One engine shared by many threads gives every thread the same answers."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from lucairn import Engine, Finding


def corpus() -> list[str]:
    out = []
    for i in range(64):
        small = f"Grüße {i}: user{i}@example.com, 東京{i:03d}, EMP-{i:06d} 😀 Falcon"
        # Every fourth text is large enough to be scanned with the GIL released.
        out.append(small * (600 if i % 4 == 0 else 1))
    return out


def test_many_threads_one_engine(custom_engine: Engine) -> None:
    texts = corpus()
    expected = [custom_engine.scan(t) for t in texts]
    assert all(expected)
    errors: list[BaseException] = []
    results: dict[int, list[list[Finding]]] = {}
    start = threading.Barrier(16)

    def worker(n: int) -> None:
        try:
            start.wait()
            mine = []
            for k in range(len(texts)):
                j = (k + n) % len(texts)
                mine.append((j, custom_engine.scan(texts[j])))
            results[n] = [f for _, f in sorted(mine, key=lambda x: x[0])]
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(results) == 16
    for r in results.values():
        assert r == expected


def test_concurrent_batches_and_redactions(custom_engine: Engine) -> None:
    texts = corpus()
    expected_batch = custom_engine.scan_batch(texts)
    expected_redacted = [custom_engine.redact(t) for t in texts]
    with ThreadPoolExecutor(max_workers=8) as pool:
        batches = [pool.submit(custom_engine.scan_batch, texts) for _ in range(8)]
        redactions = [pool.submit(custom_engine.redact, t) for t in texts * 2]
        assert all(b.result() == expected_batch for b in batches)
        assert [r.result() for r in redactions] == expected_redacted * 2


def test_engines_built_concurrently_agree() -> None:
    policy = {"custom": [{"kind": "X_ID", "regex": "X-[0-9]+"}]}
    with ThreadPoolExecutor(max_workers=8) as pool:
        engines = list(pool.map(lambda _: Engine(policy), range(16)))
    assert len({e.policy_digest for e in engines}) == 1
    assert all(e.scan("X-1 X-22") == engines[0].scan("X-1 X-22") for e in engines)
