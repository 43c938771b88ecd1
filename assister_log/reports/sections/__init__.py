"""The sections the documents share, one module each; every function returns flowables (or
markup) built from the record, never touching the vault."""
