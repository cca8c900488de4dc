"""The `paddock` verbs, one module per area. Each module has `register(sub)` that adds its
parsers with `handler=` set; handlers take (args, ctx) and return an exit code."""
