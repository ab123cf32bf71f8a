"""The terminal UI (Textual): the app, its screens and widgets; the only layer besides serve that knows Textual."""
