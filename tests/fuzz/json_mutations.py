"""Mutations of a JSON document's structure, driven by a ``random.Random`` like ``mutations``.

``mutate_json`` replaces, deletes or truncates one to four nodes of a parsed document (a
column becomes ``null``, a list loses its tail, a date becomes ``"\u0661\u0662\u0663"``);
``mutate_json_or_bytes`` damages a JSON file either that way or byte-wise, evenly.
"""

from __future__ import annotations

import json
import random
from collections import deque

from tests.fuzz.mutations import mutate

__all__ = ["mutate_json", "mutate_json_or_bytes"]

_JSON_VALUES: tuple[object, ...] = (
    None,
    0,
    -1,
    10**30,
    1e308,
    True,
    "",
    "x" * 5000,
    "0000320193-24-000061",
    "2024-04-02",
    "\u0661\u0662\u0663",
    [],
    {},
    [None],
    {"name": None},
)


def mutate_json(value: object, rng: random.Random, *, rounds: int | None = None) -> object:
    """A copy of a parsed JSON document with 1 to 4 nodes replaced, deleted or truncated."""
    document = json.loads(json.dumps(value))
    for _ in range(rounds if rounds is not None else rng.randint(1, 4)):
        containers = _json_containers(document)
        if not containers:
            return rng.choice(_JSON_VALUES)
        container = rng.choice(containers)
        keys = list(container) if isinstance(container, dict) else list(range(len(container)))
        if not keys:
            continue
        key = rng.choice(keys)
        action = rng.randrange(3)
        if action == 0:
            del container[key]
        elif action == 1 and isinstance(container[key], list):
            del container[key][rng.randint(0, len(container[key])) :]
        else:
            container[key] = rng.choice(_JSON_VALUES)
    return document


def mutate_json_or_bytes(data: bytes, rng: random.Random, *, log: list[str] | None = None) -> bytes:
    """A JSON document damaged in its structure (``mutate_json``) or in its bytes, evenly."""
    if rng.random() < 0.5:
        if log is not None:
            log.append("json-tree")
        return json.dumps(mutate_json(json.loads(data), rng)).encode()
    return mutate(data, rng, log=log)


def _json_containers(document: object, limit: int = 5000) -> list[dict | list]:
    """Dicts and lists in the document, breadth first, at most ``limit``."""
    found: list[dict | list] = []
    queue = deque([document])
    while queue and len(found) < limit:
        node = queue.popleft()
        if isinstance(node, dict | list):
            found.append(node)
            children = node.values() if isinstance(node, dict) else node
            queue.extend(child for child in children if isinstance(child, dict | list))
    return found
