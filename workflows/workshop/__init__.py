"""The workshop: its state machine and queries, its steps and stage models, deadlines, and the flows that run
its slow half."""
