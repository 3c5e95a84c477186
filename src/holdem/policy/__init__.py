"""Using a trained blueprint: load it, query any real game state, draw charts, play it."""

from holdem.policy.blueprint import Blueprint
from holdem.policy.follower import Spot

__all__ = ["Blueprint", "Spot"]
