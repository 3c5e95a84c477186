"""Published heads-up push/fold Nash ranges, the reference that the exact solver and the
trainer's push/fold results are compared with (tests and `benchmarks/measure_pushfold.py`).

At S big blinds (effective stack, blinds 0.5/1, no ante), the small blind's pushes as listed by
"Heads-Up Push-Fold Table" (http://www.super-turbo-poker-tips.com/push-fold.html, from the
HoldemResources.net Nash charts, http://www.holdemresources.net/h/poker-theory/hune/usage.html)
and the big blind's calls as listed by "Game Theory Optimal Heads-Up Calling Strategy"
(http://www.super-turbo-poker-tips.com/game-theory.html, "derived from information found in The
Mathematics of Poker", Chen and Ankenman, 2006). The lists round mixed classes to all or
nothing, and the pages' percentages count the 169 classes, not combinations.
"""

import numpy as np

from holdem.cards.preflop_matchups import class_label

SOURCES = {
    "jam": "Heads-Up Push-Fold Table, http://www.super-turbo-poker-tips.com/push-fold.html "
    "(the small blind's pushes, from the HoldemResources.net Nash charts, "
    "http://www.holdemresources.net/h/poker-theory/hune/usage.html)",
    "call": "Game Theory Optimal Heads-Up Calling Strategy, "
    "http://www.super-turbo-poker-tips.com/game-theory.html (the big blind's calls, 'derived "
    "from information found in The Mathematics of Poker', Chen and Ankenman, 2006)",
    "notes": "effective stack S big blinds, blinds 0.5/1, no ante; the lists round mixed "
    "classes to all or nothing and the pages' own percentages count the 169 classes, not "
    "combinations; '22' means every pair from 22 up, 'K9' K9 to KQ suited and offsuit, 'K4s' "
    "K4s to KQs",
}

PUBLISHED = {
    5: (
        "22,A2,K2,Q2,J3,J2s,T6,T2s,96,94s,86,84s,76,74s,63s,53s,43s",
        "22,A2,K2,Q2,J5,J2s,T7,T4s,97,95s,86s,76s",
    ),
    10: (
        "22,A2,K2,Q7,Q2s,J8,J3s,T8,T4s,97,95s,87,84s,76,74s,64s,53s,43s",
        "22,A2,K5,K2s,Q9,Q7s,JT,J8s,T9s",
    ),
    15: (
        "22,A2,K6,K2s,Q9,Q4s,J9,J6s,T8,T6s,98,96s,85s,75s,64s,54s",
        "22,A2,K9,K7s,QT,Q9s,JTs",
    ),
    20: ("22,A2,K9,K4s,Q9,Q5s,J9,J7s,T9,T6s,98,96s,86s,75s,65s,54s", "22,A5,A2s,KT,K9s,QTs"),
}
"""Per stack: the small blind's pushes, then the big blind's calls."""

LABELS = [class_label(c) for c in range(169)]


def parse_range(text: str) -> set[str]:
    """Class labels of a range written as in the published lists: ``22`` is every pair from
    22 up, ``K9`` is K9 to KQ suited and offsuit, ``K4s`` is K4s to KQs."""
    ranks = "23456789TJQKA"
    labels = set()
    for token in (t.strip() for t in text.split(",")):
        high, low = ranks.index(token[0]), ranks.index(token[1])
        if high == low:
            labels |= {ranks[r] * 2 for r in range(low, 13)}
            continue
        for kicker in range(low, high):
            labels.add(token[0] + ranks[kicker] + "s")
            if not token.endswith("s"):
                labels.add(token[0] + ranks[kicker] + "o")
    return labels


def listed_vector(text: str) -> np.ndarray:
    """1.0 for each class (in class order) the published list ``text`` holds, else 0.0."""
    listed = parse_range(text)
    return np.array([label in listed for label in LABELS], float)


def classes_differing(ours: np.ndarray, text: str) -> list[str]:
    """The classes ``ours`` plays purely (below 0.02 or above 0.98) the other way from the
    list: the classes it mixes sit on the boundary, where a list must round."""
    pure = (ours < 0.02) | (ours > 0.98)
    return sorted(LABELS[c] for c in np.flatnonzero(pure & (np.round(ours) != listed_vector(text))))
