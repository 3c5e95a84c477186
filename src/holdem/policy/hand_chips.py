"""The chips of a real hand replayed action by action, for following it into a betting tree.

`HandChips` keeps a few integer lists (the fast way, `holdem.policy.follower`'s default);
`EngineChips` asks the rules engine itself (slow, exact: the follower's fallback when the two
disagree). Both answer what each action's seat faced, ``(max_bet, pot, bet, stack)``, and the
pot and stacks now.
"""

from __future__ import annotations

from holdem.rules.actions import ActionKind
from holdem.rules.state import ActionRecord, HandState


class HandChips:
    """The chips of a hand replayed from its start: each seat's bet this round and stack.

    The start (blinds and antes posted, any uncalled ante returned) comes from the rules
    engine; then a call puts in what is owed (at most the stack), a raise to ``a`` puts in
    ``a`` minus the seat's bet, and a new street clears the bets. Chips an uncalled bet gets
    back at the end of a round are not given back here: that only happens when every other
    seat still in is all-in, after which nobody decides again, so no decision sees them.
    """

    def __init__(self, bets: tuple[int, ...], stacks: tuple[int, ...], pot: int, street: int):
        self.bets = list(bets)
        self.stacks = list(stacks)
        self.pot = pot
        self.street = street

    @classmethod
    def at_start(cls, start: HandState) -> HandChips:
        return cls(start.bets, start.stacks, start.total_pot, 0)

    def before(self, record: ActionRecord) -> tuple[int, int, int, int]:
        """``(max_bet, pot, bet, stack)`` that ``record``'s seat faced when it acted."""
        if record.street != self.street:
            self.bets = [0] * len(self.bets)
            self.street = int(record.street)
        seat = record.seat
        return max(self.bets), self.pot, self.bets[seat], self.stacks[seat]

    def now(self) -> tuple[int, tuple[int, ...]]:
        """The pot and every seat's stack."""
        return self.pot, tuple(self.stacks)

    def apply(self, record: ActionRecord) -> None:
        seat, action = record.seat, record.action
        if action.kind is ActionKind.CALL:
            chips = min(max(self.bets) - self.bets[seat], self.stacks[seat])
        elif action.kind is ActionKind.RAISE:
            chips = action.amount - self.bets[seat]
        else:
            return
        self.bets[seat] += chips
        self.stacks[seat] -= chips
        self.pot += chips

    def matches(self, state: HandState) -> bool:
        """Whether these chips are the state's (stacks, and bets of its current round)."""
        if tuple(self.stacks) != state.stacks:
            return False
        if self.street == state.street:
            return tuple(self.bets) == state.bets
        return not any(state.bets)


class EngineChips:
    """The same answers as `HandChips` from the rules engine itself (slow, exact)."""

    def __init__(self, start: HandState) -> None:
        self.state = start.clone()

    def before(self, record: ActionRecord) -> tuple[int, int, int, int]:
        state, seat = self.state, record.seat
        return state.max_bet, state.total_pot, state.bets[seat], state.stacks[seat]

    def now(self) -> tuple[int, tuple[int, ...]]:
        return self.state.total_pot, self.state.stacks

    def apply(self, record: ActionRecord) -> None:
        self.state.apply(record.action, record.seat)
        if self.state.awaiting_cards:
            # Cards do not change the betting: any unused ones will do.
            used = set(self.state.board) | {c for pair in self.state.hole_cards for c in pair}
            spare = [c for c in range(52) if c not in used]
            self.state.deal_board(spare[: self.state.awaiting_cards])
