"""Cards: integer encoding, the 5/6/7-card evaluator, hand isomorphism and exact equity."""
