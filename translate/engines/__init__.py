"""MT engines: the base class (base.py), the entry-point registry (registry.py), the built-in
argos (argos.py, with package management in models.py) and apertium (apertium.py) engines."""
