"""Hand histories: finished hands written in formats other tools read (PokerStars, ACPC)."""
