"""Writing connector records into the database: upserts keyed on pseudonym + source.

Each writer takes an open session (the import's single transaction), the
territory and batch ids and the records of one file, and returns how many
people were created, updated or left unchanged.
"""
