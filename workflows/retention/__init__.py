"""Data owners stay in control: delete a workshop, forget a workspace, blank old notes, export a workspace."""
