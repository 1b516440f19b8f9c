"""viz: draws microgrboard graphs with Graphviz (the renderer arrives with its own issue)."""
