"""The Slack edge and the process: settings, console, Slack app, scheduler."""
