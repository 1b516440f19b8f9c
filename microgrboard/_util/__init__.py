"""Small private helpers shared by the layers (re-exported for extenders by `microgrboard.extend`)."""
