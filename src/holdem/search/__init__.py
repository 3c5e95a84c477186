"""Search: ranges, postflop spots and the spot solver on exact cards (see DESIGN.md, "Search")."""
