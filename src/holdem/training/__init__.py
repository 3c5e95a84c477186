"""Blueprint training on Hold'em: the card model, the trainer, checkpoints and metrics."""
