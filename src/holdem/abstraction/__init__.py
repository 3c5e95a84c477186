"""Abstraction: betting abstraction and its compiler to a BettingTree, action translation."""
