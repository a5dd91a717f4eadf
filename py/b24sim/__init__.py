"""The simulated Bitrix24 portal (CPython only, stdlib only, never shipped in
the browser bundle).

``b24sim.generate.generate(clients, seed, today)`` builds a seeded,
deterministic synthetic portal as a ``b24-snapshot/1`` dict;
``python -m b24sim generate --clients N --seed S -o FILE`` writes it.
"""
