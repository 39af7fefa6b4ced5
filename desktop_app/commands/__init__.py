"""Sub-commands of `groupdesk` that belong to one area each (see cli.COMMAND_MODULES)."""
