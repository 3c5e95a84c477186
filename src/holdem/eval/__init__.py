"""Evaluation: agents (baselines and blueprints), duplicate matches on every core, intervals."""
