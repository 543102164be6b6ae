"""Reading a board back: Snapshot, regions, attribution, normalisation, tally, narrow, exports."""
