"""Abstraction: betting abstraction and its compiler to a BettingTree, card abstraction (bucket
tables per street, built by potential-aware k-means), action translation."""
