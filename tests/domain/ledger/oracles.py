"""Slow, obviously correct answers that the fast code is checked against."""

from itertools import combinations


def fewest_transfers(amounts: list[int]) -> int:
    """Brute-force oracle: n minus the most zero-sum blocks over every set partition."""
    nonzero = [a for a in amounts if a]

    def most_blocks(values: list[int]) -> int:
        if not values:
            return 0
        first, rest = values[0], values[1:]
        best = 0
        for size in range(len(rest) + 1):
            for picked in combinations(range(len(rest)), size):
                if first + sum(rest[i] for i in picked) == 0:
                    left = [v for i, v in enumerate(rest) if i not in picked]
                    best = max(best, 1 + most_blocks(left))
        return best

    return len(nonzero) - most_blocks(nonzero)
