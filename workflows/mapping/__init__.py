"""The published map: its model, its assembly from themes, the persona, objective and quotes, and its files."""
