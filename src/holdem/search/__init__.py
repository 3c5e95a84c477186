"""Search: ranges, postflop spots and the spot solver on exact cards, real-time search."""
