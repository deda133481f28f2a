"""Reference tables shipped with the code (dated facts, each row citing its source)."""
