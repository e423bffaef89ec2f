"""Button and menu clicks (block actions), one module per family of buttons."""
