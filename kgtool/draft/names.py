"""What two cluster names have in common: shared two-character words, one name inside the other, a changed
character, a shared beginning or ending; and the slugs made from names."""

from __future__ import annotations

import re
from collections.abc import Sequence

from .listing import HAN

__all__ = ["words", "rename_evidence", "lcs", "in_order", "join", "slugify", "COMMON_WORDS"]

#: Words too common in cluster names to link two names by themselves.
COMMON_WORDS = frozenset({"产业", "集群", "技术", "工程", "信息", "智能", "经济", "服务"})


def words(name: str) -> set[str]:
    """The two-character words of a name, within its parts (split at 与/和), without the commonest ones.

    >>> sorted(words("高端装备与仪器"))
    ['仪器', '端装', '装备', '高端']
    """
    found: set[str] = set()
    for part in re.split(r"[与和及、]", name):
        found |= {part[i : i + 2] for i in range(len(part) - 1)}
    return {w for w in found if HAN.search(w) and w not in COMMON_WORDS}


def _one_character_change(a: str, b: str) -> bool:
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def _common_end(a: str, b: str) -> tuple[str, str]:
    """The longest shared beginning and the longest shared ending of two names."""
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end = 0
    while end < min(len(a), len(b)) and a[-1 - end] == b[-1 - end]:
        end += 1
    return a[:start], (a[len(a) - end :] if end else "")


def rename_evidence(old: str, new: str) -> tuple[int, str] | None:
    """How strongly two names of one tier look like one renamed cluster: (strength, reason), or None.

    >>> rename_evidence("智能机器人", "机器人")
    (3, 'one name contains the other (机器人 in 智能机器人)')
    >>> rename_evidence("新材料", "高性能材料")
    (2, 'the names share their ending 材料')
    """
    if old in new or new in old:
        inner, outer = (old, new) if old in new else (new, old)
        return 3, f"one name contains the other ({inner} in {outer})"
    if _one_character_change(old, new):
        return 3, "the names differ by one character"
    beginning, ending = _common_end(old, new)
    shared = max((s for s in (beginning, ending) if HAN.search(s)), key=len, default="")
    if len(shared) >= 2 and shared not in COMMON_WORDS:
        return 2, f"the names share their {'beginning' if shared == beginning else 'ending'} {shared}"
    return None


def lcs(a: Sequence[str], b: Sequence[str]) -> list[tuple[int, int]]:
    """Index pairs of a longest common subsequence of two name lists (the clusters that kept their place).

    >>> lcs(["a", "b", "c", "d"], ["a", "c", "x", "d"])
    [(0, 0), (2, 1), (3, 3)]
    """
    table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) - 1, -1, -1):
        for j in range(len(b) - 1, -1, -1):
            table[i][j] = table[i + 1][j + 1] + 1 if a[i] == b[j] else max(table[i + 1][j], table[i][j + 1])
    pairs, i, j = [], 0, 0
    while i < len(a) and j < len(b):
        if a[i] == b[j]:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif table[i + 1][j] >= table[i][j + 1]:
            i += 1
        else:
            j += 1
    return pairs


def in_order(shared: set[str], name: str) -> str:
    """The parts of ``name`` that the two-character ``shared`` words cover, in order.

    >>> in_order({"医疗", "疗器", "器械"}, "高端医疗器械")
    '医疗器械'
    """
    covered = sorted({i + k for i in range(len(name) - 1) if name[i : i + 2] in shared for k in (0, 1)})
    runs: list[str] = []
    for i in covered:
        if runs and name[i - 1 : i + 1] in shared:  # joined only where the two characters are a shared word
            runs[-1] += name[i]
        else:
            runs.append(name[i])
    return "、".join(runs)


def join(names: list[str]) -> str:
    """Names joined for a sentence: ``a``, ``a and b``, ``a, b and c``."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def slugify(text: str) -> str:
    """An id made of the ASCII words of a text.

    >>> slugify("Safety, Energy Conservation & Environmental Protection")
    'safety-energy-conservation-and-environmental-protection'
    """
    text = text.replace("&", " and ").casefold()
    found = re.findall(r"[a-z0-9]+", text.encode("ascii", "ignore").decode())
    return "-".join(found) or "cluster"
