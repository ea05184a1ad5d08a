"""The trainer's workspace: the theme explorer, learning briefs and their exports."""
