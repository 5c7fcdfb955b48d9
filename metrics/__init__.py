"""Pure indicator functions: data frames and dates in, results out. No database, no Dash."""
