"""One module per source export: parse -> validate -> normalise -> pseudonymise."""
